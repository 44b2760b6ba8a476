"""The offers' timetable and contact come from the environment, and a bad value stops the service naming it."""
import pytest

from matcher.errors import BuddyingError
from matcher.present.offer_letter import Timetable
from web.offer_text import DEFAULT_CONTACT, contact_from, timetable_from


def test_the_defaults_are_28_days_to_reply_and_56_to_start():
    assert timetable_from({}) == Timetable(28, 56)
    assert timetable_from({"BUDDYING_OFFER_REPLY_DAYS": "14", "BUDDYING_OFFER_START_DAYS": "30"}) == Timetable(14, 30)
    assert contact_from({}) == DEFAULT_CONTACT
    assert contact_from({"BUDDYING_OFFER_CONTACT": " Jo Bloggs, 0113 000 0000 "}) == "Jo Bloggs, 0113 000 0000"


@pytest.mark.parametrize("env, message", [
    ({"BUDDYING_OFFER_REPLY_DAYS": "0"}, "BUDDYING_OFFER_REPLY_DAYS must be a whole number of days from 1 to 365 "
                                         "(got '0')"),
    ({"BUDDYING_OFFER_START_DAYS": "999999999999999999999"}, "BUDDYING_OFFER_START_DAYS must be a whole number of "
                                                             "days from 1 to 365 (got '99999999999999999999')"),
    ({"BUDDYING_OFFER_REPLY_DAYS": "40", "BUDDYING_OFFER_START_DAYS": "30"},
     "BUDDYING_OFFER_START_DAYS (30) must not be fewer than BUDDYING_OFFER_REPLY_DAYS (40)"),
])
def test_a_bad_timetable_is_refused_naming_the_variable(env, message):
    with pytest.raises(BuddyingError) as refused:
        timetable_from(env)
    assert str(refused.value).startswith(message)
