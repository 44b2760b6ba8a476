"""The column headings of each shipped file, which every synthetic table reproduces exactly."""
from __future__ import annotations

#: The headings of each shipped file, in order (a test checks them against ``data/``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "register": (
        "Organisation Code", "Name", "status_in_file", "Open Date", "Close Date", "National Grouping",
        "nhse_region_name", "High Level Health Geography", "GOR Code", "gor_name", "country", "Address Line 1",
        "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Postcode",
        "Contact Telephone Number", "Amended Record Indicator", "latitude", "longitude", "geo_source",
        "trust_type", "trust_subtype", "trust_type_source"),
    "ratings": (
        "org_code", "org_name", "provider_name", "location_id", "location_primary_inspection_category",
        "location_nhs_region", "rating_overall", "rating_safe", "rating_effective", "rating_caring",
        "rating_responsive", "rating_well-led", "inherited_rating", "publication_date", "url"),
    "oversight": (
        "org_code", "org_name", "Region", "Trust_type", "Trust_subtype", "overall_adjusted_segment",
        "league_segment", "league_rank", "league_avg_score", "overall_avg_metric_score", "lt_in_deficit",
        "domain_segment_access", "domain_segment_effectiveness_experience", "domain_segment_finance_productivity",
        "domain_segment_patient_safety", "domain_segment_people_workforce", "domain_score_access",
        "domain_score_effectiveness_experience", "domain_score_finance_productivity", "domain_score_patient_safety",
        "domain_score_people_workforce", "quarter"),
    "performance": (
        "org_code", "org_name", "data_month", "ae_type1_attendances", "ae_type1_over_4hrs",
        "ae_type1_attendances_3m_avg", "ae_type1_over_4hrs_3m_avg", "rtt_total_waiting", "rtt_pct_within_18_weeks",
        "rtt_waiting_over_52_weeks", "beds_occupancy_rate", "sickness_rate_overall", "shmi_value", "shmi_banding",
        "staff_survey_2025_theme_engagement", "staff_survey_2025_theme_morale", "nof_staff_engagement_score",
        "fin_in_deficit", "fin_ytd_var_m", "fin_full_year_plan_exc_dsf_m", "fin_forecast_outturn_exc_dsf_m",
        "nof_planned_surplus_deficit_pct", "workforce_total_fte", "beds_ganda_available", "ae_type1_pct_within_4hrs"),
    "rtt": (
        "provider_org_code", "provider_org_name", "provider_parent_org_code", "provider_parent_name", "period",
        "total_incomplete_pathways_all", "total_known_clock_start", "within_18_weeks", "pct_within_18_weeks",
        "over_52_weeks", "over_65_weeks", "over_78_weeks", "unknown_clock_start"),
    "costs": ("org_code", "org_name", "financial_year", "ncc_mffd_total_cost_gbp_m", "source_note"),
    "special_measures": (
        "org_code", "org_name_at_time", "event", "regime", "event_date", "date_precision", "source"),
    "groups": (
        "group_name", "member_code", "member_name", "arrangement", "since", "source_url", "note", "confidence"),
}
