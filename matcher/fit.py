"""Fit (DOMAIN §4): how strong a supporter is where a recipient is weak, term by term.

``fit_breakdown`` works on paired rows (one supporter row and one recipient row per pair)
and returns one column per term, so every proposal can show where its fit comes from.
Missing data adds nothing to fit (it is neither a strength nor a weakness). With
``weights.track_record`` above 0, a supporter's track record (the trust table's ``track_record``
column: ended agreements out of difficulty less those still in it) adds that weight per agreement.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .classify import years_before
from .domain import KeyQuestion, OversightDomain
from .settings import Settings

RI = 2  # Requires improvement: CQC terms count only where the recipient is this or worse
WEAK_SEGMENT = 3  # oversight domain terms count only where the recipient's segment is this or worse
WEAK_PERCENTILE = 0.5  # metric terms count only where the recipient is below the median


#: Each fit term's column and the words people read for it.
TERM_LABELS = {
    "fit_cqc_safe": "safe (CQC)", "fit_cqc_effective": "effective (CQC)", "fit_cqc_caring": "caring (CQC)",
    "fit_cqc_responsive": "responsive (CQC)", "fit_cqc_well_led": "well-led (CQC)",
    "fit_seg_access": "access segment", "fit_seg_effectiveness_experience": "effectiveness and experience segment",
    "fit_seg_finance_productivity": "finance and productivity segment",
    "fit_seg_patient_safety": "patient safety segment",
    "fit_seg_people_workforce": "people and workforce segment", "fit_metric_ae_4hr_pct": "A&E 4-hour",
    "fit_metric_rtt_18wk_pct": "18-week RTT", "fit_metric_staff_engagement": "staff engagement",
    "fit_metric_shmi": "mortality (SHMI)", "fit_size": "similar size", "fit_track_record": "track record",
}

#: The trust table's column with each supporter's track record (ended agreements out of difficulty less those not).
TRACK_RECORD = "track_record"


def term_columns(settings: Settings) -> list[str]:
    """Names of the fit breakdown columns, in display order."""
    return ([f"fit_cqc_{q.value}" for q in KeyQuestion] + [f"fit_seg_{d.value}" for d in OversightDomain]
            + [f"fit_metric_{m}" for m in settings.metrics] + ["fit_size"]
            + (["fit_track_record"] if settings.weights.track_record > 0 else []))


def fit_inputs(trusts: pd.DataFrame) -> pd.DataFrame:
    """The trust-table columns ``fit_breakdown`` reads, converted as it converts them, once per trust.

    Numbers become floats and the rating date a timestamp, so pairing millions of rows is a plain
    copy; ``fit_breakdown`` gives the same figures from these as from the table itself.
    """
    numbers = ["income_gbp", TRACK_RECORD, *(f"cqc_{q.value}" for q in KeyQuestion),
               *(f"seg_{d.value}" for d in OversightDomain)]
    out = pd.DataFrame({c: _num(trusts[c]) for c in numbers if c in trusts.columns}, index=trusts.index)
    if "cqc_published" in trusts.columns:
        out["cqc_published"] = pd.to_datetime(trusts["cqc_published"], errors="coerce")
    return out


def metric_percentiles(trusts: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Each metric as a 0-1 percentile across all trusts, oriented so that higher is better."""
    out = pd.DataFrame(index=trusts.index)
    for name, metric in settings.metrics.items():
        values = trusts[name].astype("Float64")
        pct = values.rank(pct=True, ascending=metric.higher_is_better)
        out[name] = pct.astype(float)
    return out


def fit_breakdown(sup: pd.DataFrame, rec: pd.DataFrame, sup_pct: pd.DataFrame, rec_pct: pd.DataFrame,
                  settings: Settings, as_of) -> pd.DataFrame:
    """Fit terms for aligned supporter and recipient rows (same length, pair i = row i of each).

    Returns a frame with one column per term (``term_columns``) and ``fit``, their sum.
    """
    w = settings.weights
    n = len(sup)
    out: dict[str, np.ndarray] = {}
    cutoff = pd.Timestamp(years_before(as_of, settings.supporter.max_rating_age_years))
    stale = (_older(sup["cqc_published"], cutoff) | _older(rec["cqc_published"], cutoff))
    discount = np.where(stale, w.stale_rating_discount, 1.0)
    for q in KeyQuestion:
        s, r = _num(sup[f"cqc_{q.value}"]), _num(rec[f"cqc_{q.value}"])
        gain = np.where(r <= RI, np.maximum(0.0, s - r), 0.0)
        out[f"fit_cqc_{q.value}"] = np.nan_to_num(gain) * getattr(w.domain, q.value) * discount
    for d in OversightDomain:
        s, r = _num(sup[f"seg_{d.value}"]), _num(rec[f"seg_{d.value}"])
        gain = np.where(r >= WEAK_SEGMENT, np.maximum(0.0, r - s), 0.0)
        out[f"fit_seg_{d.value}"] = np.nan_to_num(gain) * getattr(w.oversight_domain, d.value)
    for name, metric in settings.metrics.items():
        s, r = sup_pct[name].to_numpy(float), rec_pct[name].to_numpy(float)
        gain = np.where(r < WEAK_PERCENTILE, np.maximum(0.0, s - r), 0.0)
        out[f"fit_metric_{name}"] = np.nan_to_num(gain) * metric.weight
    s_size, r_size = _num(sup["income_gbp"]), _num(rec["income_gbp"])
    similarity = np.minimum(s_size, r_size) / np.maximum(s_size, r_size)
    out["fit_size"] = np.nan_to_num(similarity) * w.size_similarity_bonus
    if w.track_record > 0:  # the term exists only when the lever is on, so plans without it are unchanged
        net = _num(sup[TRACK_RECORD]) if TRACK_RECORD in sup else np.zeros(n)
        out["fit_track_record"] = np.nan_to_num(net) * w.track_record
    frame = pd.DataFrame(out, index=range(n))
    frame["fit"] = frame.sum(axis=1)
    return frame


def _num(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype(float).to_numpy()


def _older(published: pd.Series, cutoff: pd.Timestamp) -> np.ndarray:
    dates = pd.to_datetime(published, errors="coerce")
    return (dates <= cutoff).fillna(False).to_numpy(bool)
