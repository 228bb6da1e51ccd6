"""The shipped scenarios, run the way `make scenarios` and `make report` run them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scenarios.model import load_library

from .conftest import CliRun, report_args, run_cli

LIBRARY_NAMES = [scenario.name for scenario in load_library()]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def library_run(reports: Path) -> CliRun:
    return run_cli("run", *report_args(reports))


def test_the_library_covers_the_documented_flows():
    assert len(LIBRARY_NAMES) >= 13
    assert {"identify-then-userid-only", "email-lifecycle-to-segment"} <= set(LIBRARY_NAMES)


def test_every_shipped_scenario_passes(library_run: CliRun):
    assert library_run.code == 0, library_run.out
    table = library_run.out.splitlines()
    assert table[0].split() == ["scenario", "steps", "result", "time", "failure", "reason"]
    for name in LIBRARY_NAMES:
        row = next(line for line in table if line.startswith(name + " "))
        assert row.split()[2] == "passed", row
    assert f"{len(LIBRARY_NAMES)} passed, 0 failed, 0 skipped" in library_run.out


def test_markdown_report_has_the_table_and_coverage(library_run: CliRun, reports: Path):
    text = (reports / "scenarios.md").read_text()
    assert text.startswith("## ✅ Scenarios:")
    assert "| scenario" in text
    assert all(f"| {name} " in text for name in LIBRARY_NAMES)
    assert "`POST /api/commerce/trackPurchase`" in text


def test_junit_report_has_one_passing_testcase_per_scenario(library_run: CliRun, reports: Path):
    root = ET.parse(reports / "junit.xml").getroot()
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == str(len(LIBRARY_NAMES))
    assert suite.get("failures") == "0"
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == LIBRARY_NAMES
    assert all(case.find("failure") is None for case in cases)


def test_html_report_is_self_contained_and_shows_each_request(library_run: CliRun, reports: Path):
    page = (reports / "scenarios.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    for external in ("<script", "<link", "src=", 'href="http', "@import", "url("):
        assert external not in page
    assert "<code>POST /api/users/updateEmail</code> → HTTP 200" in page
    assert all(f'id="{name}"' in page for name in LIBRARY_NAMES)


def test_json_report_lists_the_contract_exercised(library_run: CliRun, reports: Path):
    data = json.loads((reports / "scenarios.json").read_text())
    assert data["ok"] is True
    assert data["counts"] == {"passed": len(LIBRARY_NAMES), "failed": 0, "skipped": 0}
    contract = data["contract"]
    assert {
        "POST /api/users/update",
        "POST /api/events/track",
        "POST /api/commerce/updateCart",
        "POST /api/commerce/trackPurchase",
        "POST /api/users/updateEmail",
        "GET /api/users/{email}",
        "GET /api/events/byUserId/{userId}",
    } <= set(contract["iterable_endpoints"])
    assert {"identify", "track", "page"} <= set(contract["segment_calls_sent"])
    assert {
        "track Email Delivered",
        "track Email Opened",
        "track Email Link Clicked",
        "track Unsubscribed",
        "track Push Opened",
    } <= set(contract["segment_calls_received"])
    first_step = data["scenarios"][0]["steps"][0]
    assert first_step["exchanges"][0]["status"] == 200


def test_list_shows_each_scenario_and_what_needs_a_fake():
    listing = run_cli("list")
    assert listing.code == 0
    for name in LIBRARY_NAMES:
        assert name in listing.out
    sink_row = next(line for line in listing.out.splitlines() if "email-events-to" in line)
    assert "a Segment sink" in sink_row and "POST /_mock/engagement" in sink_row
