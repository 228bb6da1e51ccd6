"""Hostile Segment events: translate never raises, and never hands over what Iterable can't read.

Whatever arrives (wrong types, 100k-character strings, 200-level nesting, NaN, huge numbers,
random call types, broken product lists), `translate` answers with requests, an error or a
skip reason. Requests are standard JSON, and their identifiers are ones Iterable accepts.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from destination import IterableDestination, Settings
from destination.cli import main
from destination.translation import Translation

# What Iterable takes as an address (the fake's rule): one @, a dot in the domain, no spaces.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MAX_EMAIL_LENGTH = 254
MAX_USER_ID_LENGTH = 52  # an independent oracle: not imported from the code under test

MAX_ID_BYTES = 512
PATHS = {
    "/api/users/update",
    "/api/events/track",
    "/api/commerce/trackPurchase",
    "/api/commerce/updateCart",
}
HUGE = 100_000
# `make fuzz` raises or lowers this; the CLI property runs a tenth as many (it writes files).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
COMMERCE_NAMES = ["Order Completed", "order completed", "Product Added", "Product Removed"]
EVENT_NAMES = [*COMMERCE_NAMES, "Cart Updated", " ORDER COMPLETED ", "Signed Up", ""]

# ---------------------------------------------------------------------------- strategies


def nest(depth: int, leaf: Any, kind: str) -> Any:
    """`depth` levels of objects or arrays around `leaf`, built without recursion."""
    value = leaf
    for level in range(depth):
        value = {f"k{level % 3}": value} if kind == "dict" else [value]
    return value


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, picked in proportion to its weight (st.one_of is not uniform)."""
    options = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(range(len(options))).flatmap(options.__getitem__)


DATES = st.sampled_from(
    [
        "2024-03-01T13:00:00.123+01:00",
        "2024-03-01T13:00:00Z",
        "2024-03-01T13:00",
        "2024-02-30T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2024-03-01",
        "2024-03-01T13:00:00Z\n",
    ]
)
GOOD_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    DATES,
    st.sampled_from(["12", " 12 ", "4.99", "nan", "inf", "1e999", "-0", ""]),
)
HUGE_STRINGS = st.builds(lambda ch: ch * HUGE, st.characters(codec="utf-8")) | st.just(
    "a" * HUGE + "@example.com"
)
# Not JSON at all (NaN, Infinity), beyond float range, or very long.
BAD_SCALARS = st.one_of(
    st.floats().filter(lambda value: not math.isfinite(value)),
    st.integers(min_value=10**308, max_value=10**400).map(lambda value: value * (-1) ** value),
    HUGE_STRINGS,
)


def scalars(allow_nan: bool) -> st.SearchStrategy[Any]:
    bad = BAD_SCALARS if allow_nan else BAD_SCALARS.filter(_finite_or_not_float)
    return weighted((5, GOOD_SCALARS), (1, bad))


def _finite_or_not_float(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def json_values(allow_nan: bool) -> st.SearchStrategy[Any]:
    leaves = scalars(allow_nan)
    nested = st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=10,
    )
    deep = st.builds(nest, st.integers(150, 250), leaves, st.sampled_from(["dict", "list"]))
    return weighted((6, nested), (1, deep))


def objects(allow_nan: bool, **known: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a dict with the given keys (and a few others), sometimes any JSON value."""
    extra = st.dictionaries(st.text(max_size=8), json_values(allow_nan), max_size=3)
    shaped = st.tuples(extra, st.fixed_dictionaries(known)).map(lambda pair: {**pair[0], **pair[1]})
    return weighted((8, shaped), (1, json_values(allow_nan)))


def emails(allow_nan: bool = True) -> st.SearchStrategy[Any]:
    good = st.emails() | st.sampled_from(["ann@example.com", "x" * 242 + "@example.com"])
    bad = st.sampled_from(
        [
            "ANN@Example.COM\n",
            " ann@example.com",
            "ann @example.com",
            "ann@example",
            "ann@@example.com",
            "x" * 243 + "@example.com",
        ]
    )
    return weighted((6, good), (3, st.none()), (1, bad), (1, scalars(allow_nan)))


def user_ids(allow_nan: bool = True) -> st.SearchStrategy[Any]:
    printable = st.characters(min_codepoint=32, max_codepoint=126)
    good = st.one_of(
        st.text(alphabet=printable, min_size=1, max_size=52).map(str.strip).filter(bool),
        st.integers(min_value=0, max_value=10**40),
        st.sampled_from(["u" * 52, "ann@example.com", " leading"]),
    )
    bad = st.one_of(
        st.text(max_size=60),
        st.sampled_from(["u" * 53, "u-1 ", "u\t1", "ü", "1" * 53]),
        st.floats(),
        st.lists(st.integers(), max_size=2),
        scalars(allow_nan),
    )
    return weighted((6, good), (2, st.none()), (2, bad))


def products(allow_nan: bool) -> st.SearchStrategy[Any]:
    value = scalars(allow_nan)
    good = st.fixed_dictionaries(
        {
            "product_id": st.text(min_size=1, max_size=5) | st.integers(0, 10**6),
            "name": st.text(min_size=1, max_size=5),
            "price": st.floats(0, 1000) | st.sampled_from(["4.99", 3]),
        },
        optional={
            "quantity": st.integers(0, 10) | st.sampled_from(["2", 2.0]),
            "sku": st.text(max_size=5),
            "category": st.text(max_size=5),
            "image_url": st.text(max_size=5),
            "added": DATES,
        },
    )
    bad = st.fixed_dictionaries(
        {},
        optional={
            "product_id": value,
            "id": value,
            "name": value,
            "price": value,
            "quantity": value,
            "category": value,
        },
    )
    item = weighted((6, good), (1, bad), (1, json_values(allow_nan)))
    return weighted((6, st.lists(item, max_size=4)), (1, st.none()), (1, json_values(allow_nan)))


def events(allow_nan: bool = True) -> st.SearchStrategy[Any]:
    value = scalars(allow_nan)
    anything = json_values(allow_nan)
    number = weighted((4, st.floats(0, 10**6) | st.integers(0, 10**6)), (1, value))
    traits = objects(allow_nan, email=emails(allow_nan), phone=value, plan=value)
    properties = objects(
        allow_nan,
        email=emails(allow_nan),
        products=products(allow_nan),
        total=number,
        order_id=weighted((4, st.text(max_size=8)), (1, value)),
        campaignId=weighted((4, st.none()), (1, number), (1, value)),
        templateId=weighted((4, st.none()), (1, number), (1, value)),
        name=weighted((3, st.none()), (1, value)),
        category=weighted((3, st.none()), (1, value)),
        extra=anything,
    )
    merge = weighted((4, st.none()), (1, st.booleans()), (1, value))
    event = st.fixed_dictionaries(
        {
            "type": weighted(
                (12, st.sampled_from(["identify", "track", "page", "screen"])),
                (1, st.sampled_from(["group", "alias", "Identify", "TRACK", "", "batch"])),
                (1, anything),
            ),
            "userId": user_ids(allow_nan),
            "anonymousId": value,
            "messageId": weighted((6, st.text(max_size=10)), (1, value)),
            "timestamp": weighted(
                (6, st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())),
                (2, st.datetimes().map(lambda d: d.isoformat())),
                (2, st.none()),
                (1, value),
            ),
            "event": weighted((6, st.sampled_from(EVENT_NAMES)), (1, st.text()), (1, value)),
            "name": weighted((3, st.none()), (2, st.text(max_size=10)), (1, value)),
            "category": weighted((3, st.none()), (1, value)),
            "properties": properties,
            "traits": traits,
            "context": weighted((2, st.none()), (6, objects(allow_nan, traits=traits))),
            "integrations": weighted(
                (4, st.none()),
                (2, objects(allow_nan, Iterable=objects(allow_nan, mergeNestedObjects=merge))),
                (1, objects(allow_nan, iterable=objects(allow_nan, mergeNestedObjects=merge))),
            ),
        }
    )
    return weighted((9, event), (1, anything))


def identified_events() -> st.SearchStrategy[dict[str, Any]]:
    """Events that usually reach a request, so the identifier checks have something to check."""
    email_holder = st.fixed_dictionaries({"email": emails()})
    return st.fixed_dictionaries(
        {
            "type": st.sampled_from(["identify", "track", "page", "screen"]),
            "event": st.sampled_from(EVENT_NAMES[:-1]),
            "name": st.just("Home"),
            "userId": user_ids(),
            "traits": email_holder,
            "properties": st.fixed_dictionaries(
                {
                    "total": st.just(10),
                    "email": emails(),
                    "products": st.just([{"id": "p", "name": "P", "price": 1}]),
                }
            ),
            "context": st.fixed_dictionaries({"traits": email_holder}),
        }
    )


destination_settings = st.builds(
    Settings,
    api_key=st.just("k"),
    track_all_pages=st.booleans(),
    track_categorized_pages=st.booleans(),
    track_named_pages=st.booleans(),
)


# ---------------------------------------------------------------------------- checks


def translate(destination_settings: Settings, event: Any) -> Translation:
    with IterableDestination(destination_settings) as destination:
        return destination.translate(event)


def check_outcome(translation: Translation) -> None:
    """Exactly one of: requests that are standard JSON, an error, a skip reason."""
    given_parts = [translation.requests, translation.error, translation.skipped]
    assert sum(part not in (None, []) for part in given_parts) == 1
    if translation.error is not None:
        assert isinstance(translation.error, str) and translation.error
        return
    if translation.skipped is not None:
        assert isinstance(translation.skipped, str) and translation.skipped
        return
    for request in translation.requests:
        assert set(request) == {"method", "path", "body"}
        assert request["method"] == "POST"
        assert request["path"] in PATHS
        assert isinstance(request["body"], dict)
        json.dumps(request["body"], allow_nan=False)


def check_identifiers(translation: Translation) -> None:
    """Every request names its user the way Iterable accepts, else it is not a request."""
    for request in translation.requests:
        body = request["body"]
        who = body.get("user", body)
        assert "email" in who or "userId" in who
        if "email" in who:
            email = who["email"]
            assert isinstance(email, str) and EMAIL_SHAPE.fullmatch(email), email
            assert len(email) <= MAX_EMAIL_LENGTH
        if "userId" in who:
            user_id = who["userId"]
            assert isinstance(user_id, str) and 1 <= len(user_id) <= MAX_USER_ID_LENGTH
            assert user_id.isascii() and user_id.isprintable() and user_id == user_id.rstrip()
        if "id" in body:
            assert isinstance(body["id"], str) and len(body["id"].encode()) <= MAX_ID_BYTES
        if "createdAt" in body:
            assert isinstance(body["createdAt"], int)
        for item in body.get("items", []):
            assert isinstance(item["id"], str) and isinstance(item["name"], str)
            assert isinstance(item["quantity"], int) and not isinstance(item["quantity"], bool)
            assert isinstance(item["price"], int | float) and math.isfinite(item["price"])
        if request["path"] == "/api/commerce/trackPurchase":
            assert isinstance(body["total"], int | float) and math.isfinite(body["total"])


# ---------------------------------------------------------------------------- properties


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(destination_settings, events())
def test_translate_never_raises_and_requests_are_json(destination_settings, event):
    translation = translate(destination_settings, event)

    check_outcome(translation)
    check_identifiers(translation)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(identified_events())
def test_requests_only_carry_identifiers_iterable_accepts(event):
    translation = translate(Settings(api_key="k"), event)

    check_outcome(translation)
    check_identifiers(translation)


@settings(
    max_examples=max(EXAMPLES // 10, 5),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(events(allow_nan=False), min_size=1, max_size=5))
def test_cli_translate_prints_standard_json_for_any_input(events):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.json"
        path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["translate", str(path)])

    # JSON lines end at "\n" only; str.splitlines would also cut at U+2028 and friends,
    # which may stand unescaped inside a JSON string.
    lines = [strict_json(line) for line in out.getvalue().split("\n") if line]
    assert sorted({line["event"] for line in lines}) == list(range(len(events)))
    assert code == (1 if any("error" in line for line in lines) else 0)


def strict_json(line: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} printed: not standard JSON")

    return json.loads(line, parse_constant=refuse)


# ---------------------------------------------------------------------------- examples


def test_two_hundred_levels_of_properties_are_sent_whole():
    deep = nest(200, "2024-03-01T13:00:00+01:00", "dict")
    event = {"type": "track", "event": "Deep", "userId": "u-1", "properties": {"deep": deep}}

    [request] = translate(Settings(api_key="k"), event).requests

    leaf = request["body"]["dataFields"]["deep"]
    for _ in range(200):
        (leaf,) = leaf.values()
    assert leaf == "2024-03-01 12:00:00 +00:00"


def test_nesting_deeper_than_python_can_walk_is_an_error():
    event = {"type": "identify", "userId": "u-1", "traits": {"deep": nest(100_000, 1, "list")}}

    translation = translate(Settings(api_key="k"), event)

    assert "nested too deeply" in translation.error


def test_nan_and_infinity_are_errors_not_invalid_json():
    for value in (math.nan, math.inf, -math.inf):
        event = {"type": "track", "event": "e", "userId": "u", "properties": {"x": [value]}}
        translation = translate(Settings(api_key="k"), event)
        assert translation.error and "JSON" in translation.error


def test_integer_too_long_to_print_is_an_error():
    event = {"type": "track", "event": "e", "userId": "u", "properties": {"x": 10**5000}}

    assert translate(Settings(api_key="k"), event).error


def test_dates_out_of_range_after_the_zone_shift_are_left_alone():
    late = "9999-12-31T23:59:59-01:00"
    event = {
        "type": "track",
        "event": "e",
        "userId": "u",
        "properties": {"early": "0001-01-01T00:00:00+01:00", "late": late},
    }

    [request] = translate(Settings(api_key="k"), event).requests

    assert request["body"]["dataFields"]["late"] == late
    bad_timestamp = translate(Settings(api_key="k"), {**event, "timestamp": late})
    assert "timestamp" in bad_timestamp.error


def test_unhashable_type_is_an_error_naming_type():
    for kind in ([], {}, ["identify"]):
        translation = translate(Settings(api_key="k"), {"type": kind, "userId": "u"})
        assert translation.error.startswith("type must be one of")


def test_number_beyond_float_range_is_an_error_naming_the_field():
    event = {
        "type": "track",
        "event": "Order Completed",
        "userId": 10**400,
        "properties": {"total": 10**400},
    }

    assert "userId" in translate(Settings(api_key="k"), event).error
    event["userId"] = "u"
    assert "properties.total" in translate(Settings(api_key="k"), event).error


def test_email_with_a_trailing_newline_or_over_254_characters_is_rejected():
    for email in ("ann@example.com\n", "x" * 243 + "@example.com"):
        translation = translate(
            Settings(api_key="k"), {"type": "identify", "traits": {"email": email}}
        )
        assert "traits.email" in translation.error
    longest = "x" * 242 + "@example.com"
    [request] = translate(
        Settings(api_key="k"), {"type": "identify", "traits": {"email": longest}}
    ).requests
    assert request["body"]["email"] == longest


def test_cli_input_too_deep_for_json_is_bad_input_not_a_crash(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)

    assert main(["translate", str(path)]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_cli_number_overflowing_to_infinity_is_an_error_line(tmp_path, capsys):
    path = tmp_path / "inf.json"
    path.write_text('{"type": "track", "event": "e", "userId": "u", "properties": {"x": 1e999}}')

    assert main(["translate", str(path)]) == 1

    [line] = [strict_json(line) for line in capsys.readouterr().out.splitlines()]
    assert line["event"] == 0 and "JSON" in line["error"]
