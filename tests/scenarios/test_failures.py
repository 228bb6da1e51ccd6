"""A scenario whose expectation does not hold fails, and every report shows why."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from destination import mapping
from scenarios import runner
from scenarios.model import load, select
from scenarios.targets import FreshFakes

from .conftest import report_args, run_cli

WRONG_PLAN = """
    name: wrong-plan
    title: an identify, checked against the wrong plan
    seed: "Identify: users are keyed by email or userId."
    steps:
      - send:
          type: identify
          userId: ann-{run}
          traits: {email: 'ann-{run}@example.com', plan: pro, note: '<b>&</b>'}
      - expect_state:
          email: ann-{run}@example.com
          user:
            dataFields: {plan: enterprise, note: '<b>&</b>'}
      - expect_state:
          email: ann-{run}@example.com
          user: null
"""


def test_wrong_expectation_fails_with_a_diff_in_every_report(write_scenario, tmp_path: Path):
    path = write_scenario("wrong-plan", WRONG_PLAN)
    result = run_cli("run", str(path), *report_args(tmp_path))

    assert result.code == 1
    row = next(line for line in result.out.splitlines() if line.startswith("wrong-plan"))
    assert row.split()[1:3] == ["1/3", "failed"]
    assert 'step 2 (expect_state): user.dataFields.plan: expected "enterprise", got "pro"' in (
        result.out
    )
    assert "-    plan: enterprise\n" in result.out
    assert "+    plan: pro\n" in result.out
    assert "0 passed, 1 failed, 0 skipped" in result.out

    failure = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert "user.dataFields.plan" in failure.get("message", "")
    assert "+    plan: pro" in (failure.text or "")

    markdown = (tmp_path / "scenarios.md").read_text()
    assert markdown.startswith("## ❌")
    assert "```diff" in markdown and "-    plan: enterprise" in markdown

    page = (tmp_path / "scenarios.html").read_text()
    assert '<span class="del">-    plan: enterprise</span>' in page
    assert "<b>&</b>" not in page and "&lt;b&gt;&amp;&lt;/b&gt;" in page

    data = json.loads((tmp_path / "scenarios.json").read_text())
    steps = data["scenarios"][0]["steps"]
    assert [step["status"] for step in steps] == ["passed", "failed"]
    assert "+    plan: pro" in steps[1]["details"]


def test_expecting_an_error_for_a_valid_event_fails(write_scenario):
    path = write_scenario(
        "not-an-error",
        """
        name: not-an-error
        title: a valid identify is not an adapter error
        seed: "Identify: an identify with neither identifier is an error."
        steps:
          - send: {type: identify, userId: 'ann-{run}', traits: {email: 'ann-{run}@example.com'}}
            expect_error: '~.*neither.*'
        """,
    )
    (result,) = runner.run(select([str(path)]), FreshFakes()).scenarios
    assert result.status == "failed"
    assert "was sent to /api/users/update (HTTP 200); expected an adapter error" in result.reason


def test_segment_calls_are_compared_on_listed_fields(write_scenario):
    path = write_scenario(
        "wrong-segment-call",
        """
        name: wrong-segment-call
        title: the sink gets Email Delivered, not Email Bounced
        seed: "Email data: Iterable sends email events to Segment as track calls."
        segment_sink: true
        steps:
          - call: POST /api/email/target
            body: {campaignId: 7, recipientEmail: 'sam-{run}@example.com'}
          - expect_segment_calls:
              - {type: track, event: Email Bounced}
        """,
    )
    (result,) = runner.run(select([str(path)]), FreshFakes()).scenarios
    assert result.status == "failed"
    assert result.reason == (
        'step 2 (expect_segment_calls): segment_calls[0].event: expected "Email Bounced", '
        'got "Email Delivered"'
    )


def _no_merge_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping, "merge_option", lambda event: {})


def _no_message_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping, "_message_id", lambda event: {})


def _no_cart_routing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapping, "CART_EVENTS", frozenset())


def _every_page_tracked(monkeypatch: pytest.MonkeyPatch) -> None:
    original = mapping.view_request
    monkeypatch.setattr(
        mapping,
        "view_request",
        lambda event, settings: original(event, mapping.Settings(track_all_pages=True)),
    )


@pytest.mark.parametrize(
    ("scenario", "breakage", "failure"),
    [
        (
            "identify-merge-nested-objects",
            _no_merge_option,
            "step 3 (expect_state): user.dataFields.settings.theme",
        ),
        ("track-retry-stored-once", _no_message_id, "step 3 (expect_state): events[0].id"),
        ("commerce-cart-updates", _no_cart_routing, "step 2 (expect_state): cart"),
        ("page-settings", _every_page_tracked, "step 2 (send): event 1 (page) was sent"),
    ],
)
def test_a_shipped_scenario_fails_when_its_rule_is_broken(
    monkeypatch: pytest.MonkeyPatch,
    scenario: str,
    breakage: Callable[[pytest.MonkeyPatch], None],
    failure: str,
):
    breakage(monkeypatch)
    (result,) = runner.run(select([scenario]), FreshFakes()).scenarios
    assert result.status == "failed"
    assert result.reason is not None and result.reason.startswith(failure), result.reason


def test_the_library_files_load_on_their_own():
    for path in sorted(Path("scenarios/library").glob("*.yaml")):
        assert load(path).name == path.stem
