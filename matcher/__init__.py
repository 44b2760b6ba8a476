"""Buddying matcher: NHS trust data, classification, and the partnership optimiser.

This package is the domain and optimisation core. It never imports Flask or the ``web``
package, so the command line, the web service and the tests all share one engine.

The public API (imported on first use, so ``import matcher.domain`` stays cheap)::

    from matcher import load_dataset, load_settings, plan, Rematch
    result = plan(load_dataset(), load_settings(), date.today())   # a typed, checked, explained Plan

Where things live: ``domain`` (the vocabulary), ``settings`` (the configuration), ``ingest`` and
``dataset`` (the data files), ``classify``, ``rules`` (one module per eligibility rule),
``candidates``, ``model`` (the solver), ``explain``, ``planning`` (the one planning service),
``present`` (tables, exports, map, charts, comparisons), ``store`` (persistence only).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "plan": "matcher.planning", "Prepared": "matcher.planning",
    "Plan": "matcher.result", "Partnership": "matcher.result", "Uncovered": "matcher.result",
    "Rematch": "matcher.rematch",
    "Pair": "matcher.domain", "Exclusion": "matcher.domain", "Kind": "matcher.domain",
    "Dataset": "matcher.dataset", "load_dataset": "matcher.dataset",
    "Settings": "matcher.settings", "load_settings": "matcher.settings", "parse_settings": "matcher.settings",
    "classify_dataset": "matcher.pipeline", "Classified": "matcher.pipeline",
    "BuddyingError": "matcher.errors", "ConfigError": "matcher.errors", "InputError": "matcher.errors",
    "InfeasibleError": "matcher.model.diagnose",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a public name from its home module on first use."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
