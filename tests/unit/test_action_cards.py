"""The action-card file (the seed's four cards and the general card) and the card a case follows."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from tracker.cases.action_cards import DEFAULT_FILE, ActionCardsError, choose_card, load, parse
from tracker.domain.age import AgeClass, age_class, is_adult
from tracker.models.cases import AgeGroup, ConcernCategory

CARDS = load(DEFAULT_FILE)
HONOUR = {
    ConcernCategory.NEGATIVE_SOCIAL_CONTROL,
    ConcernCategory.HONOUR_RELATED_CONFLICT,
    ConcernCategory.RE_EDUCATION_TRIP,
    ConcernCategory.INVOLUNTARY_STAY_ABROAD,
}
RECEIVED = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def case(concern, *, birth_date=None, age_group=None):
    return SimpleNamespace(
        concern_categories=[concern],
        child_birth_date=birth_date,
        age_group=age_group,
        received_at=RECEIVED,
    )


def phones(card) -> set[str]:
    return {p for c in card.contacts for p in (c.phone, c.phone2) if p}


def test_the_seed_cards_have_their_numbers():
    under_fag = CARDS.by_key("under-18-fagperson")
    under_myn = CARDS.by_key("under-18-myndighed")
    assert {"25 20 03 18", "93 52 00 65", "25 20 28 46", "25 20 28 49", "114", "112"} <= phones(
        under_fag
    )
    assert "99 31 27 22" not in phones(under_fag)
    assert {"25 20 03 18", "25 20 28 46", "25 20 28 49", "99 31 27 22", "114", "112"} <= phones(
        under_myn
    )
    assert "93 52 00 65" not in phones(under_myn)
    for key in ("over-18-fagperson", "over-18-myndighed"):
        assert {"25 20 03 18", "25 20 28 46", "25 20 28 49", "114", "112"} <= phones(
            CARDS.by_key(key)
        )
    assert "åbningstid" in under_myn.duty
    assert "overgivet til politiet" in under_fag.duty


def test_the_seed_cards_name_their_paragraphs_in_order():
    paragraphs = [s.paragraph for s in CARDS.by_key("under-18-myndighed").steps if s.paragraph]
    assert paragraphs == [
        "barnets lov § 18",
        "barnets lov § 18, stk. 3",
        "barnets lov § 5, stk. 3",
        "barnets lov § 20",
        "barnets lov §§ 32, stk. 4, og 46, stk. 3",
        "barnets lov §§ 91 og 108",
    ]
    fag = [s.paragraph for s in CARDS.by_key("under-18-fagperson").steps if s.paragraph]
    assert fag == ["barnets lov § 133", "barnets lov § 137, stk. 2"]
    assert [s.key for s in CARDS.by_key("over-18-myndighed").steps if s.key == "action_plan"]


def test_every_seed_card_ends_with_the_police_and_the_general_card_has_no_warnings():
    for card in CARDS.cards:
        if card.group == "honour":
            handover = card.step("police_handover")
            assert handover is not None and handover.ends_duty and handover.ask_to
            assert card.warnings
        else:
            assert card.warnings == () and card.step("police_handover") is None
    general = CARDS.by_key("general")
    assert [s.key for s in general.steps] == [
        "leader_discussed",
        "assessment_24h",
        "afdaekning_decided",
        "partners_decided",
    ]


def test_the_honour_warnings_are_all_on_the_under_18_myndighed_card():
    text = " ".join(CARDS.by_key("under-18-myndighed").warnings)
    for phrase in (
        "Tal ikke med familien",
        "Send ikke brev, sms eller e-mail",
        "ikke orienteres om børnesamtalen",
        "ikke gennemgås med forældrene",
    ):
        assert phrase in text


@pytest.mark.parametrize("concern", list(ConcernCategory))
@pytest.mark.parametrize("audience", ["myndighed", "fagperson"])
@pytest.mark.parametrize(
    ("ages", "expected_age"),
    [
        ({"birth_date": date(2010, 1, 1)}, "under_18"),
        ({"birth_date": date(2008, 3, 11)}, "over_18"),  # 18 on the day of receipt
        ({"birth_date": date(2008, 3, 12)}, "under_18"),  # 18 the day after
        ({"age_group": AgeGroup.AGE_18_22}, "over_18"),
        ({"age_group": AgeGroup.AGE_15_17}, "under_18"),
        ({"age_group": AgeGroup.UNKNOWN}, "under_18"),
        ({}, "under_18"),
        ({"age_group": AgeGroup.UNBORN}, "under_18"),
    ],
)
def test_card_choice_for_every_concern_age_and_audience(concern, audience, ages, expected_age):
    card = choose_card(CARDS, case(concern, **ages), audience)
    if concern in HONOUR:
        assert card.key == f"{expected_age.replace('_', '-')}-{audience}"
    else:
        assert card.key == ("general" if expected_age == "under_18" else "general-over-18")


def test_an_honour_related_concern_anywhere_in_the_list_chooses_the_seed_card():
    honour_second = case(ConcernCategory.NEGLECT)
    honour_second.concern_categories.append(ConcernCategory.HONOUR_RELATED_CONFLICT)
    assert choose_card(CARDS, honour_second).key == "under-18-myndighed"
    neglect_only = case(ConcernCategory.NEGLECT)
    assert choose_card(CARDS, neglect_only).key == "general"


def test_an_unknown_audience_gets_the_myndighed_card():
    card = choose_card(CARDS, case(ConcernCategory.HONOUR_RELATED_CONFLICT), "hacker")
    assert card.key == "under-18-myndighed"


def test_age_classes():
    day = date(2026, 3, 11)
    assert age_class(None, None, day) is AgeClass.UNKNOWN
    assert age_class(None, "unborn", day) is AgeClass.UNBORN
    assert age_class(date(2026, 6, 1), None, day) is AgeClass.UNBORN  # expected birth
    assert age_class(date(2008, 3, 11), "6-11", day) is AgeClass.ADULT  # birth date wins
    assert not is_adult(None, "unknown", day)
    assert is_adult(None, "18-22", day)


def _data():
    return tomllib.loads(DEFAULT_FILE.read_text("utf-8"))


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda d: d.pop("cards"), "'cards' must be a non-empty list"),
        (lambda d: d["cards"].pop(), "needs exactly one card for group='honour'"),
        (lambda d: d["cards"].pop(0), "needs exactly one card for group='general'"),
        (lambda d: d["cards"][0].update(audience="borger"), "audience must be one of"),
        (lambda d: d["cards"][0]["steps"][0].update(key="ø ø"), "key 'ø ø' must be"),
        (lambda d: d["cards"][0]["steps"].append(d["cards"][0]["steps"][0]), "unique"),
        (lambda d: d["cards"][2].update(warnings=["nope"]), "'nope' is not defined"),
        (lambda d: d["cards"][2]["steps"][1].update(contacts=["x"]), "'x' is not defined"),
        (lambda d: d["contacts"][0].update(name=""), "'name' is missing"),
        (lambda d: d["concern_groups"].update(honour=["crime", "ghosts"]), "unknown concern"),
        (lambda d: d["cards"][2]["steps"][0].update(ends_duty="ja"), "'ends_duty' must be"),
    ],
)
def test_a_broken_action_card_file_names_the_problem(mutate, problem):
    data = _data()
    mutate(data)
    with pytest.raises(ActionCardsError, match=problem):
        parse(data)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    bad = tmp_path / "cards.toml"
    bad.write_text("cards = [", "utf-8")
    with pytest.raises(ActionCardsError, match="not valid toml"):
        load(bad)
