"""The performance snapshot: the template's row resized, with metrics drawn by quality."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import COLUMNS
from .providers import METRIC_RHO, Providers
from .reference import Reference
from .sampling import floats, latent, ranked_draw, value_pools

#: Performance columns that grow with the size of the trust.
_SIZE_COLUMNS = ("ae_type1_attendances", "ae_type1_attendances_3m_avg", "rtt_total_waiting",
                 "rtt_waiting_over_52_weeks", "beds_ganda_available", "fin_ytd_var_m",
                 "fin_full_year_plan_exc_dsf_m", "fin_forecast_outturn_exc_dsf_m")


def performance_table(rng: np.random.Generator, ref: Reference, p: Providers, deficit: np.ndarray) -> pd.DataFrame:
    """The performance snapshot: the template's row, resized, with metrics drawn by quality."""
    n = len(p.code)
    real = ref.performance
    real_types = real.index.map(ref.register.set_index("Organisation Code")["trust_type"]).to_numpy()
    mask = p.template["in_performance"].to_numpy()
    codes = p.template["Organisation Code"].where(mask, real.index[0]).to_numpy()
    t = real.loc[codes].reset_index(drop=True)
    num = {c: floats(t[c]) for c in COLUMNS["performance"][3:] if c != "shmi_banding"}
    factor = p.size * np.exp(rng.normal(0, 0.05, n))

    def metric(column: str, rho: float, w: np.ndarray | None = None) -> np.ndarray:
        """The column's real distribution per trust type, following quality with correlation ``rho``."""
        present = mask & ~np.isnan(num[column])
        score = latent(rng, p.quality, rho) if w is None else w
        return ranked_draw(score, p.trust_type, present, value_pools(floats(real[column]), real_types))

    out = {c: v.copy() for c, v in num.items()}
    for column in _SIZE_COLUMNS:
        out[column] = np.round(num[column] * factor, 1 if column.startswith("fin_") else 0)
    out["workforce_total_fte"] = np.round(num["workforce_total_fte"] * factor, 2)
    ae = np.round(metric("ae_type1_pct_within_4hrs", METRIC_RHO["ae"]), 4)
    out["ae_type1_pct_within_4hrs"] = ae
    out["ae_type1_over_4hrs"] = np.where(np.isnan(ae), np.round(num["ae_type1_over_4hrs"] * factor),
                                         np.round(out["ae_type1_attendances"] * (1 - ae)))
    out["ae_type1_over_4hrs_3m_avg"] = np.where(np.isnan(ae), np.round(num["ae_type1_over_4hrs_3m_avg"] * factor, 1),
                                                np.round(out["ae_type1_attendances_3m_avg"] * (1 - ae), 1))
    out["rtt_pct_within_18_weeks"] = np.round(metric("rtt_pct_within_18_weeks", 0, p.rtt_quality), 4)
    engagement = metric("staff_survey_2025_theme_engagement", METRIC_RHO["engagement"])
    shift = engagement - num["staff_survey_2025_theme_engagement"]
    out["staff_survey_2025_theme_engagement"] = np.round(engagement, 4)
    out["staff_survey_2025_theme_morale"] = np.round(num["staff_survey_2025_theme_morale"] + 0.8 * shift, 4)
    out["nof_staff_engagement_score"] = np.round(num["nof_staff_engagement_score"] + np.nan_to_num(shift), 2)
    shmi = np.round(metric("shmi_value", METRIC_RHO["shmi"]), 4)
    out["shmi_value"] = shmi
    out["beds_occupancy_rate"] = np.round(np.clip(num["beds_occupancy_rate"] + rng.normal(0, 0.01, n), 0, 1), 4)
    fin = _fin_deficit(rng, num["fin_in_deficit"], deficit, float(np.nanmean(floats(real["fin_in_deficit"]))))
    out["fin_in_deficit"] = fin
    sign = np.where(fin == 1, -1.0, np.where(fin == 0, 1.0, np.nan))
    for column in ("fin_full_year_plan_exc_dsf_m", "fin_forecast_outturn_exc_dsf_m"):
        out[column] = np.where(np.isnan(sign), out[column], np.abs(out[column]) * sign) + 0.0
    pct = np.round(num["nof_planned_surplus_deficit_pct"] + rng.normal(0, 0.3, n), 2)
    out["nof_planned_surplus_deficit_pct"] = np.where(np.isnan(sign), pct, np.abs(pct) * sign) + 0.0
    columns = {"org_code": p.code, "org_name": p.name, "data_month": t["data_month"].to_numpy(), **out,
               "shmi_banding": _shmi_banding(shmi, real)}
    frame = pd.DataFrame(columns)[list(COLUMNS["performance"])]
    return frame[mask].reset_index(drop=True)


def _fin_deficit(rng: np.random.Generator, template_flag: np.ndarray, deficit: np.ndarray, share: float) -> np.ndarray:
    """Finance-return deficit flag: present where the template's is; equal to the oversight flag when known."""
    drawn = (rng.random(len(template_flag)) < share).astype(float)
    out = np.where(np.isnan(deficit), drawn, deficit)
    return np.where(np.isnan(template_flag), np.nan, out)


def _shmi_banding(shmi: np.ndarray, real: pd.DataFrame) -> np.ndarray:
    """SHMI band from the value, with cut-offs halfway between the real bands."""
    value, band = floats(real["shmi_value"]), real["shmi_banding"].to_numpy()
    low = (value[band == "Lower than expected"].max() + value[band == "As expected"].min()) / 2
    high = (value[band == "As expected"].max() + value[band == "Higher than expected"].min()) / 2
    out = np.where(shmi < low, "Lower than expected", np.where(shmi > high, "Higher than expected", "As expected"))
    return np.where(np.isnan(shmi), "", out).astype(object)
