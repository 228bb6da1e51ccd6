"""`--target`: a shared server, unique ids per run, and cleanup afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_iterable import ProjectSettings, ServerConfig, create_app
from mock_iterable.server import BackgroundServer, RunningFake, running_fake
from scenarios.model import load_library

from .conftest import run_cli

FAKE_ONLY = {scenario.name for scenario in load_library() if scenario.fake_features}


def _run_against(url: str, api_key: str, report: Path) -> tuple[int, dict]:
    result = run_cli(
        "run", "--target", url, "--api-key", api_key, "--report", "json", "--out", str(report)
    )
    return result.code, json.loads(report.read_text())


def test_staging_fake_runs_everything_with_unique_ids_and_cleans_up(tmp_path: Path):
    with running_fake(api_key="staging-key") as fake:
        code, report = _run_against(fake.url, fake.api_key, tmp_path / "run.json")
        token = report["run"]

        assert code == 0, [s["reason"] for s in report["scenarios"] if s["reason"]]
        assert report["counts"]["skipped"] == 0
        assert token != "local"
        journal = fake.state.journal.entries()
        updates = [entry for entry in journal if entry["path"] == "/api/users/update"]
        assert updates, "identify calls reached the staging project"
        assert all(token in entry["requestBody"]["userId"] for entry in updates)

        assert fake.dump()["users"] == [], "the run deleted the users it created"
        main_project = fake.project().project_id
        scratch_ids = {e["projectId"] for e in journal} - {main_project, None}
        assert len(scratch_ids) == len(FAKE_ONLY), "fake-only scenarios ran in their own projects"
        assert [p.api_key for p in fake.state.store.projects()] == [fake.api_key], (
            "the scratch projects were deleted afterwards"
        )


def test_two_runs_against_one_project_do_not_collide(tmp_path: Path):
    with running_fake() as fake:
        first = _run_against(fake.url, fake.api_key, tmp_path / "first.json")
        second = _run_against(fake.url, fake.api_key, tmp_path / "second.json")
    assert first[0] == second[0] == 0
    assert first[1]["run"] != second[1]["run"]


@pytest.fixture
def iterable_without_mock() -> Iterator[RunningFake]:
    """A fake that hides `/_mock/`, as real Iterable would: only the public API."""
    app = create_app(ServerConfig(projects={"real-key": ProjectSettings()}))

    def public_only(environ, start_response):
        if environ["PATH_INFO"].startswith("/_mock/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        return app(environ, start_response)

    server = BackgroundServer(public_only)
    url = server.start()
    try:
        yield RunningFake(url=url, api_key="real-key", app=app)
    finally:
        server.stop()


def test_real_iterable_skips_fake_only_scenarios_and_runs_the_rest(
    iterable_without_mock: RunningFake, tmp_path: Path
):
    code, report = _run_against(
        iterable_without_mock.url, iterable_without_mock.api_key, tmp_path / "real.json"
    )
    assert code == 0
    by_status = {s["name"]: s for s in report["scenarios"]}
    skipped = {name for name, s in by_status.items() if s["status"] == "skipped"}
    assert skipped == FAKE_ONLY
    assert "needs a fake (a Segment sink" in by_status["email-events-to-segment"]["reason"]
    assert all(s["status"] == "passed" for n, s in by_status.items() if n not in FAKE_ONLY)
    assert iterable_without_mock.dump()["users"] == []


def test_unreachable_target_is_a_usage_error():
    result = run_cli("run", "--target", "http://127.0.0.1:9", "--api-key", "k")
    assert result.code == 2
    assert "cannot reach http://127.0.0.1:9" in result.err


def test_a_fake_guarded_by_an_admin_token_needs_it(monkeypatch: pytest.MonkeyPatch):
    config = ServerConfig(projects={"staging": ProjectSettings()}, admin_token="s3cret")
    with running_fake(config) as fake:
        argv = ("run", "email-events-to-segment", "--target", fake.url, "--api-key", "staging")
        refused = run_cli(*argv)
        monkeypatch.setenv("MOCK_ITERABLE_ADMIN_TOKEN", "s3cret")
        allowed = run_cli(*argv)
    assert refused.code == 2
    assert "set MOCK_ITERABLE_ADMIN_TOKEN" in refused.err
    assert allowed.code == 0, allowed.out


USER_ID_PROJECT = """
    name: userid-project
    title: in a userId-based project, identify with only a userId creates the user
    seed: "Identify: users are keyed by email or userId."
    project_type: userId
    steps:
      - send: {type: identify, userId: 'uma-{run}', traits: {plan: pro}}
      - expect_state:
          userId: uma-{run}
          user: {userId: 'uma-{run}', dataFields: {plan: pro}}
"""


def test_scenarios_get_their_project_type_on_fresh_fakes_and_staging(write_scenario):
    path = str(write_scenario("userid-project", USER_ID_PROJECT))
    fresh = run_cli("run", path)
    with running_fake(project_type="email") as fake:
        staging = run_cli("run", path, "--target", fake.url, "--api-key", fake.api_key)
        remaining = [p.api_key for p in fake.state.store.projects()]
    assert fresh.code == 0, fresh.out
    # Identify with only a userId creates a user only in a userId-based project.
    assert staging.code == 0, staging.out
    assert remaining == [fake.api_key]
