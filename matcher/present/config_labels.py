"""What the policy form calls each configuration key: short labels in a policy officer's words.

The hint under each field is the key's own help text (the attribute docstring in
``matcher.settings``); the label is written here, once, so the form never shows a key path
such as ``weights.oversight_domain.people_workforce``. A test checks every field has one.
"""
from __future__ import annotations

#: Each top-level section's heading on the form.
SECTION_TITLES = {
    "segments": "Oversight segments",
    "recipient": "Which trusts are in difficulty",
    "persistent": "Persistent difficulty",
    "supporter": "Which trusts may support",
    "mc_supporter": "Which trusts may run a management contract",
    "peer_groups": "Peer groups",
    "capacity": "Capacity of supporters",
    "max_size_ratio": "Size limits",
    "max_distance_km": "Distance limits",
    "geography": "Geography",
    "groups": "Groups of trusts",
    "weights": "How pairs are weighed",
    "metrics": "Performance measures in fit",
    "": "Other settings",
    "incentives": "Payments and budget",
    "solver": "Solver limits",
    "rematch": "Re-matching after answers",
    "levers": "This scenario's own policy levers",
}

LABELS = {
    "segments.intensive": "Segments that mean intensive support",
    "segments.difficulty": "Further segments that mean difficulty",
    "segments.supporter": "Segments a supporter must be in",
    "segments.outweighs_cqc": "Segments that outweigh a weak CQC rating",
    "segments.supporter_with_good_rating": "Further segments a supporter may be in with a recent Good rating",
    "segments.earlier_framework.intensive": "Segments that meant intensive support under the 2021-25 framework",
    "segments.earlier_framework.difficulty": "Further segments that meant difficulty under the 2021-25 framework",
    "segments.programme.regimes": "Names of the intensive-support programme",
    "segments.programme.since_year": "Programme entries count from this year",
    "recipient.max_rating_age_years": "Oldest CQC rating that can alone put a trust in difficulty (years)",
    "persistent.min_inspections": "Inspections in difficulty for persistent difficulty",
    "persistent.min_months": "Months in intensive support for persistent difficulty",
    "persistent.history_events": "Special-measures events that count as an earlier episode",
    "supporter.max_rating_age_years": "Age of a CQC rating that still counts for a supporter (years)",
    "supporter.track_record.min_quarters": "Quarters in a supporter segment a supporter needs",
    "supporter.track_record.quarters": "Latest quarters the track record looks at",
    "mc_supporter.league_top_share": "Share of the league table for the league route (0 to 1)",
    "mc_supporter.league_segment": "Segment needed for the league route",
    "mc_supporter.league_scope": "League table the share is of",
    "capacity.income_bands_gbp_m": "Income thresholds between capacity steps (£ millions)",
    "capacity.units_by_band": "Support units at each step",
    "capacity.buddy_units": "Support units one buddying uses",
    "capacity.mc_units": "Support units a management contract uses",
    "capacity.max_load_ratio": "Most a supporter may take on, as a multiple of its own income",
    "max_size_ratio.buddy": "Largest buddying recipient, as a multiple of the supporter's income",
    "max_size_ratio.management_contract": "Largest managed trust, as a multiple of the supporter's income",
    "max_distance_km.buddy": "Longest distance for a buddying (km)",
    "max_distance_km.management_contract": "Longest distance for a management contract (km)",
    "geography.same_region": "Only pair trusts in the same NHS England region",
    "geography.distance_penalty_per_km": "Fit taken off for each km",
    "geography.cross_region_penalty": "Points taken off a pair across a region boundary",
    "geography.max_corecipient_km": "Furthest apart two recipients of one supporter may be (km)",
    "geography.min_pair_score": "Lowest score a pair may have (points)",
    "groups.allow_mc_in_group": "Allow a management contract inside a group that already shares leadership",
    "groups.same_supporter_bonus": "Points for giving two trusts of one group the same supporter",
    "weights.domain.safe": "CQC safe",
    "weights.domain.effective": "CQC effective",
    "weights.domain.caring": "CQC caring",
    "weights.domain.responsive": "CQC responsive",
    "weights.domain.well_led": "CQC well-led",
    "weights.oversight_domain.access": "Oversight: access",
    "weights.oversight_domain.effectiveness_experience": "Oversight: effectiveness and experience",
    "weights.oversight_domain.finance_productivity": "Oversight: finance and productivity",
    "weights.oversight_domain.patient_safety": "Oversight: patient safety",
    "weights.oversight_domain.people_workforce": "Oversight: people and workforce",
    "weights.stale_rating_discount": "Weight kept for an old CQC rating (0 to 1)",
    "weights.size_similarity_bonus": "Fit bonus for trusts of similar size",
    "weights.severity": "Coverage weight of a trust in intensive support or rated Inadequate",
    "weights.persistent": "Coverage weight of a trust in persistent difficulty",
    "weights.buddy_for_persistent": "Share of that weight a buddying earns (0 to 1)",
    "weights.track_record": "Fit points for each partnership a supporter has led out of difficulty",
    "must_match_intensive": "Every trust in intensive support must get a partner",
    "incentives.annual_budget_gbp_m": "Annual budget for incentive payments (£ millions)",
    "incentives.cost_to_income_ratio": "Cost to income ratio used to estimate income",
    "incentives.income_per_fte_gbp": "Income per full-time member of staff (£), where no cost figure exists",
    "incentives.fte_correction": "Correction to the staff numbers in the shipped data",
    "incentives.buddy.fixed": "Fixed payment a year to a buddy (£)",
    "incentives.buddy.per_income": "Payment a year to a buddy as a share of the recipient's income (0 to 1)",
    "incentives.buddy.years": "Length of a buddying (years)",
    "incentives.buddy.exit_bonus_share": "Exit bonus, as a share of the yearly fixed payment",
    "incentives.buddy.exit_bonus_probability": "Assumed chance of leaving difficulty within the term (0 to 1)",
    "incentives.mc.fee_share": "Management fee a year, as a share of the managed trust's income (0 to 1)",
    "incentives.mc.years": "Length of a management contract (years)",
    "solver.time_limit_s": "Time limit for each solver stage (seconds)",
    "solver.workers": "Solver workers",
    "solver.seed": "Random seed",
    "solver.hold_tolerance": "Share of an earlier aim a later one may give up (0 for strict order)",
    "rematch.disruption_budget": "Most pending offers a re-match may change",
}

#: The parts of a repeated group of fields (one milestone, one performance measure).
MILESTONE_PARTS = {"name": "What must happen", "amount_gbp": "Bonus (£)",
                   "probability": "Assumed chance it happens (0 to 1)"}
MILESTONE_HELP = {"name": "For example, out of the intensive segment. Leave the row empty to remove it.",
                  "amount_gbp": "Paid once when it happens (up to 100,000,000).",
                  "probability": "Used to budget the expected cost."}
LEVER_PARTS = {"key": "Setting to move", "notch": "How far to move it", "label": "What to call it"}
LEVER_HELP = {"key": "The setting's name as the configuration reference writes it, for example "
                     "capacity.max_load_ratio (a number) or geography.same_region (a yes or no). Leave the row empty "
                     "to remove it.",
              "notch": "Added to a number setting, for example 0.5 or -10; leave empty for a yes or no setting, "
                       "which is switched.",
              "label": "What the What would cover more page calls it; leave empty to show the setting and its notch."}
METRIC_NAMES = {"ae_4hr_pct": "A&E patients seen within 4 hours", "rtt_18wk_pct": "Patients treated within 18 weeks",
                "staff_engagement": "Staff engagement", "shmi": "Summary hospital mortality (SHMI)"}
METRIC_PARTS = {"weight": "Weight in fit", "higher_is_better": "Which way is better"}
METRIC_HELP = {"weight": "On a 0 to 1 percentile scale (0 to 100). Leave empty to leave this measure out.",
               "higher_is_better": ""}

#: Words for the values of a list or a choice.
EVENT_LABELS = {"entered": "Entered special measures", "entry_recommended": "Recommended for special measures",
                "exited": "Left special measures", "exit_recommended": "Recommended to leave special measures"}
SCOPE_LABELS = {"peer_group": "The trust's own peer group",
                "league": "The whole league table of its trust type"}
SEGMENT_LABELS = {1: "Segment 1 (best)", 2: "Segment 2", 3: "Segment 3", 4: "Segment 4",
                  5: "Segment 5 (intensive support)"}
