"""The comparison rules scenario authors rely on, and the diff they read on failure."""

from __future__ import annotations

from scenarios.matching import align, compare, matches
from scenarios.variables import names, substitute


def test_only_listed_fields_are_compared():
    assert matches({"a": 1}, {"a": 1, "b": 2})
    assert not matches({"a": 1, "b": 3}, {"a": 1, "b": 2})


def test_tilde_strings_are_full_match_patterns():
    assert matches("~[0-9a-f]{4}", "beef")
    assert not matches("~[0-9a-f]{4}", "beef5")
    assert not matches("~\\d+", 12)


def test_null_means_absent_or_null():
    assert matches({"gone": None}, {})
    assert matches({"gone": None}, {"gone": None})
    comparison = compare({"gone": None}, {"gone": "here"})
    assert [str(m) for m in comparison.mismatches] == [
        'gone: expected absent (or null), got "here"'
    ]


def test_diff_keeps_absent_fields_that_are_expected_absent():
    comparison = compare({"plan": "pro", "theme": None}, {"plan": "free"})
    assert "-plan: pro\n+plan: free\n theme: null" in comparison.diff


def test_numbers_compare_by_value_but_booleans_are_not_numbers():
    assert matches(100, 100.0)
    assert not matches(1, True)
    assert not matches("12", 12)


def test_lists_must_have_the_same_length():
    comparison = compare([{"id": 1}], [{"id": 1}, {"id": 2, "name": "x"}], "cart")
    assert [str(m) for m in comparison.mismatches] == ['cart[1]: unexpected {"id": 2, "name": "x"}']
    assert str(compare([1, 2], [1]).mismatches[0]) == "[1]: expected 2, but it is missing"


def test_diff_shows_only_listed_fields_and_hides_matched_patterns():
    expected = {"user": {"id": "~\\d+", "plan": "pro"}}
    actual = {"user": {"id": "42", "plan": "free", "noise": "x" * 50}}
    diff = compare(expected, actual).diff
    assert diff.splitlines() == [
        "--- expected",
        "+++ actual",
        "@@ -1,3 +1,3 @@",
        " user:",
        "   id: ~\\d+",
        "-  plan: pro",
        "+  plan: free",
    ]


def test_align_finds_the_pairing_a_greedy_pick_would_miss():
    # The first expected item matches both actual ones; only one pairing satisfies both.
    expected = [{"eventName": "~.*"}, {"eventName": "Signed Up"}]
    actual = [{"eventName": "Signed Up"}, {"eventName": "Logged In"}]
    assert compare(expected, align(expected, actual)).ok


def test_align_puts_unmatched_items_opposite_the_missing_ones():
    expected = [{"eventName": "A"}, {"eventName": "B"}]
    actual = [{"eventName": "C"}, {"eventName": "A"}, {"eventName": "D"}]
    mismatches = [str(m) for m in compare(expected, align(expected, actual)).mismatches]
    assert mismatches == [
        '[1].eventName: expected "B", got "C"',
        '[2]: unexpected {"eventName": "D"}',
    ]


def test_placeholders_fill_in_and_keep_types():
    variables = {"run": "r1", "list_id": 7}
    assert substitute({"id": "{list_id}", "email": "a-{run}@x.io"}, variables) == {
        "id": 7,
        "email": "a-r1@x.io",
    }
    assert substitute("{{firstName}} \\d{4}", variables) == "{{firstName}} \\d{4}"
    assert names(["{run}", {"k": "{a}{b}"}, "{{handlebars}}"]) == {"run", "a", "b"}


def test_align_reports_a_missing_item_where_it_belongs():
    expected = [{"eventName": "A"}, {"eventName": "B"}, {"eventName": "C"}]
    actual = [{"eventName": "C"}, {"eventName": "B"}]
    comparison = compare(expected, align(expected, actual), "events")
    assert [str(m) for m in comparison.mismatches] == [
        'events[0]: expected {"eventName": "A"}, but it is missing'
    ]
    assert "\n-- eventName: A\n" in comparison.diff + "\n"
