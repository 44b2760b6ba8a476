"""Provider groups as the model counts them: open members that share leadership; closed and unknown codes named."""
from __future__ import annotations

import pandas as pd
import pytest

from matcher.dataset import load_dataset
from matcher.groups import build_groups


@pytest.fixture(scope="module")
def shipped():
    dataset = load_dataset()
    return build_groups(dataset["groups"], dataset["register"])


def table(*rows):
    return pd.DataFrame(rows, columns=["group_name", "code", "arrangement", "since", "confidence"])


REGISTER = pd.DataFrame({"code": ["RA1", "RA2", "RA3", "RC1", "RW1"], "is_open": [True, True, True, False, True],
                         "country": ["England", "England", "England", "England", "Wales"]})


def test_open_members_sharing_leadership_are_a_group():
    groups = build_groups(table(("G", "RA1", "group_joint_ceo", "2021", "sourced"),
                                ("G", "RA2", "group_joint_ceo", "2021", "sourced")), REGISTER)
    assert groups.shared("RA1", "RA2").name == "G" and groups.long_term("RA1") is not None
    assert groups.shared("RA1", "RA3") is None


def test_a_shared_chair_is_a_group_but_not_a_long_term_arrangement():
    groups = build_groups(table(("G", "RA1", "group_model_shared_chair", None, "uncertain"),
                                ("G", "RA2", "group_model_shared_chair", None, "uncertain")), REGISTER)
    assert groups.shared("RA1", "RA2") is not None and groups.long_term("RA1") is None
    assert groups.groups[0].describe() == "G (a shared chair; membership or date uncertain)"


def test_context_only_arrangements_are_not_groups():
    groups = build_groups(table(("C", "RA1", "other", None, "sourced"), ("C", "RA2", "other", None, "sourced")),
                          REGISTER)
    assert groups.groups == ()


def test_a_closed_member_is_mapped_to_its_successor_and_a_completed_merger_is_one_trust():
    groups = build_groups(table(("M", "RA1", "merger_planned", "2025", "sourced"),
                                ("M", "RC1", "merger_planned", "2025", "sourced")), REGISTER)
    assert groups.groups == ()
    assert groups.notes == ("RC1 in 'M' is closed; it is now part of RA1.",
                            "'M' has one open member (RA1), so it is a single trust now, not a group.")


def test_codes_the_register_does_not_know_are_listed_and_ignored():
    groups = build_groups(table(("G", "RA1", "group_joint_ceo", None, "sourced"),
                                ("G", "RA2", "group_joint_ceo", None, "sourced"),
                                ("G", "ZZZ", "group_joint_ceo", None, "sourced"),
                                ("G", "RW1", "group_joint_ceo", None, "sourced")), REGISTER)
    assert groups.groups[0].members == ("RA1", "RA2")
    assert groups.notes[0] == ("The groups file names 2 code(s) that are not English trusts in the register; they "
                               "were ignored: RW1, ZZZ.")


def test_the_shipped_groups(shipped):
    assert len(shipped.groups) == 28
    assert shipped.shared("RNQ", "RNS") is not None      # Kettering and Northampton: one group
    assert shipped.shared("REM", "REP") is not None      # Liverpool University Hospitals and Liverpool Women's
    assert shipped.long_term("RCX") is not None          # King's Lynn: a group chief executive
    assert "RVJ in 'Bristol NHS Group (NBT and UHBW)' is closed; it is now part of RA7." in shipped.notes
