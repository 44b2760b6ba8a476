"""The one planning service: from loaded data, a configuration and the answers so far to a checked, explained plan.

``plan`` is what the command line (``python -m matcher propose``) and the service's worker
both call; neither assembles the steps itself, so a plan made from files and one made from the
database mean the same thing.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from .backups import resolver, with_backups
from .dataset import Dataset
from .model.instance import MatchInstance, build_instance
from .pipeline import Classified, classify_dataset
from .rematch import Rematch
from .result import Plan
from .settings import Settings
from .solve import propose


@dataclass(frozen=True)
class Prepared:
    """What a plan is made from: the classified trusts and the solver's input."""

    classified: Classified
    instance: MatchInstance


def plan(dataset: Dataset, settings: Settings, as_of: date, rematch: Rematch | None = None, *,
         progress: Callable[[str], None] | None = None,
         on_prepared: Callable[[Prepared], None] | None = None,
         track_records: Mapping[str, int] | None = None, backups: bool = False, explained: bool = True) -> Plan:
    """Classify the trusts, build the model, solve its stages, check and explain the plan.

    Args:
        dataset: the loaded, checked data files.
        settings: the configuration (``config.yaml`` or a scenario).
        as_of: the date ratings are aged against.
        rematch: what earlier answers add (locks, exclusions, pending offers, declared
            capacity); None for a fresh plan.
        progress: told each step in a few words, for a progress line.
        on_prepared: handed the classified trusts and the model before solving (the CLI writes
            ``--export-instance`` from it).
        track_records: each supporter's track record (``TrackRecord.net``), which feeds its fit when
            ``weights.track_record`` is above 0; None for none on record.
        backups: also name each pair's backup (``matcher.backups``): the re-match after its decline,
            solved on the same classified data, one solve a pair.
        explained: False leaves out the sentences and alternatives (the levers' re-solves).

    Raises:
        InfeasibleError: no plan satisfies the rules; carries a verified minimal diagnosis.
        BuddyingError: a lock or pending pair is unknown or contradicts an exclusion, or no plan
            was found within the time limit.
    """
    say = progress or (lambda text: None)
    say("Classifying trusts")
    classified = classify_dataset(dataset, settings, as_of, track_records)
    say("Building the model")
    instance = build_instance(classified, rematch)
    if on_prepared is not None:
        on_prepared(Prepared(classified, instance))
    say(f"Solving: {len(instance.recipients):,} recipients, {len(instance.supporters):,} supporters, "
        f"{len(instance.arcs):,} possible pairs")
    result = propose(instance, data_fingerprint=dataset.fingerprint, as_of=as_of.isoformat(), explained=explained)
    if not backups:
        return result
    return with_backups(result, rematch, resolver(classified, dataset.fingerprint), instance, say)
