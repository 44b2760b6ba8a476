"""Policy configuration: ``config.yaml`` loaded into a strict, frozen, typed model.

Every rule, weight and limit from the product specification lives in this package with its
default and a one-line description (the attribute docstring), which the README's config
reference, ``check-config`` and the policy editor all show. Unknown keys, wrong types and
out-of-range values are reported together, each with its dotted key path, in plain English.

``sections``, ``weights`` and ``payments`` hold the sections, ``schema`` the whole model,
``loading`` reads YAML, ``problems`` words the errors and ``reference`` describes every key.
"""
from __future__ import annotations

from .loading import (
    DEFAULT_CONFIG_PATH,
    config_fingerprint,
    load_settings,
    parse_settings,
    settings_from_mapping,
    settings_to_yaml,
)
from .pairing import Capacity, Geography, GroupRules, MaxDistanceKm, MaxSizeRatio, PeerGroups
from .payments import BuddyIncentive, Incentives, McIncentive, Milestone
from .reference import config_reference_markdown, iter_keys
from .schema import KNOWN_METRICS, RematchRules, Settings, Solver
from .sections import (
    EarlierFramework,
    McSupporterRules,
    Persistent,
    Programme,
    RecipientRules,
    Segments,
    SupporterRules,
    TrackRecord,
)
from .weights import DomainWeights, Metric, OversightWeights, Weights

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "KNOWN_METRICS",
    "BuddyIncentive",
    "Capacity",
    "DomainWeights",
    "EarlierFramework",
    "Geography",
    "GroupRules",
    "Incentives",
    "MaxDistanceKm",
    "MaxSizeRatio",
    "McIncentive",
    "McSupporterRules",
    "Metric",
    "Milestone",
    "OversightWeights",
    "PeerGroups",
    "Persistent",
    "Programme",
    "RecipientRules",
    "RematchRules",
    "Segments",
    "Settings",
    "Solver",
    "SupporterRules",
    "TrackRecord",
    "Weights",
    "config_fingerprint",
    "config_reference_markdown",
    "iter_keys",
    "load_settings",
    "parse_settings",
    "settings_from_mapping",
    "settings_to_yaml",
]
