"""ISO-8601 date-times in data fields become Iterable's date format."""

from __future__ import annotations

import pytest

from destination.dates import convert_dates, unix_seconds
from destination.errors import ValidationError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01T12:34:56Z", "2024-03-01 12:34:56 +00:00"),
        ("2024-03-01T12:34:56.789Z", "2024-03-01 12:34:56 +00:00"),
        ("2024-03-01T12:34:56.123456789Z", "2024-03-01 12:34:56 +00:00"),
        ("2024-03-01T01:00:00+02:00", "2024-02-29 23:00:00 +00:00"),
        ("2024-03-01T12:34:56-0500", "2024-03-01 17:34:56 +00:00"),
        ("2024-03-01T12:34:56+05", "2024-03-01 07:34:56 +00:00"),
        ("2024-03-01T12:34:56", "2024-03-01 12:34:56 +00:00"),
        ("2024-03-01T12:34Z", "2024-03-01 12:34:00 +00:00"),
    ],
)
def test_iso_date_times_become_utc_iterable_dates(value, expected):
    assert convert_dates(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01",
        "2024-02-30T10:00:00Z",
        "2024-13-01T10:00:00Z",
        "2024-03-01 12:34:56 +00:00",
        "1234",
        "1234-12",
        "order 2024-03-01T12:00:00Z",
        "hello",
        "",
    ],
)
def test_date_only_and_other_strings_are_untouched(value):
    assert convert_dates(value) == value


def test_conversion_reaches_nested_objects_and_lists_only_for_strings():
    value = {
        "when": "2024-03-01T12:00:00Z",
        "history": [{"at": "2024-01-01T00:00:00Z"}, "2024-01-02"],
        "count": 3,
        "flag": True,
        "missing": None,
    }

    assert convert_dates(value) == {
        "when": "2024-03-01 12:00:00 +00:00",
        "history": [{"at": "2024-01-01 00:00:00 +00:00"}, "2024-01-02"],
        "count": 3,
        "flag": True,
        "missing": None,
    }


def test_conversion_leaves_the_input_event_unchanged():
    properties = {"when": "2024-03-01T12:00:00Z"}

    convert_dates(properties)

    assert properties == {"when": "2024-03-01T12:00:00Z"}


def test_unix_seconds_floors_fractions_and_honours_offsets():
    assert unix_seconds("1970-01-01T00:00:01.999Z") == 1
    assert unix_seconds("1970-01-01T01:00:00+01:00") == 0
    assert unix_seconds("1969-12-31T23:59:59.5Z") == -1


@pytest.mark.parametrize("value", ["soon", 1709294400, None])
def test_unix_seconds_rejects_non_iso_values(value):
    with pytest.raises(ValidationError, match="timestamp"):
        unix_seconds(value)


def test_dates_are_converted_in_the_requests_iterable_receives(deliver):
    identify = {
        "type": "identify",
        "userId": "u-1",
        "traits": {"signedUpAt": "2024-03-01T12:00:00+01:00", "birthday": "1990-05-17"},
    }
    order = {
        "type": "track",
        "event": "Order Completed",
        "userId": "u-1",
        "properties": {
            "total": 5,
            "shippedAt": "2024-03-02T08:00:00Z",
            "products": [
                {"product_id": "p", "name": "P", "price": 5, "restocked": "2024-01-05T00:00:00Z"}
            ],
        },
    }

    _, identify_sent = deliver(identify)
    _, order_sent = deliver(order)

    assert identify_sent[0][1]["dataFields"] == {
        "signedUpAt": "2024-03-01 11:00:00 +00:00",
        "birthday": "1990-05-17",
    }
    purchase = order_sent[0][1]
    assert purchase["dataFields"] == {"shippedAt": "2024-03-02 08:00:00 +00:00"}
    assert purchase["items"][0]["dataFields"] == {"restocked": "2024-01-05 00:00:00 +00:00"}
