"""Bad scenario files are refused before anything runs, with the file and step named."""

from __future__ import annotations

import pytest

from scenarios.model import ScenarioError, load

from .conftest import run_cli

HEADER = """
    name: {name}
    title: t
    seed: s
"""


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            "steps:\n  - send: {type: identify, userId: ann}\n",
            "step 1 (send): userId 'ann' must contain {run}",
        ),
        (
            "steps:\n  - sned: {type: identify}\n",
            "step 1: a step needs exactly one of send, send_file, call",
        ),
        (
            "steps:\n  - call: POST /api/lists\n    body: {name: '{list}'}\n",
            "step 1 (call): no value for {list}",
        ),
        (
            "steps:\n  - send: {type: page, userId: 'a-{run}'}\n    settings: {track_all: true}\n",
            "step 1 (send): settings: unknown setting(s): track_all",
        ),
        (
            "steps:\n  - send: {type: page, userId: 'a-{run}'}\n    settings: {api_key: k}\n",
            "step 1 (send): settings: api_key cannot be set here",
        ),
        (
            "steps:\n  - expect_state: {user: null}\n",
            "step 1 (expect_state): name the user by exactly one of email or userId",
        ),
        (
            "steps:\n  - expect_segment_calls: []\n",
            "expect_segment_calls needs `segment_sink: true`",
        ),
        ("steps:\n  - send_file: missing.json\n", "step 1 (send_file): cannot read"),
        (
            "steps:\n  - send_file: /dev/null\n",
            "step 1 (send_file): /dev/null: [] should be non-empty",
        ),
        ("steps: []\n", "[] should be non-empty"),
        ("project_type: crm\nsteps: [{call: GET /x}]\n", "'crm' is not one of"),
    ],
)
def test_a_bad_scenario_names_the_file_and_what_is_wrong(write_scenario, steps, message):
    path = write_scenario("bad", HEADER.format(name="bad") + "    " + steps.replace("\n", "\n    "))
    with pytest.raises(ScenarioError) as error:
        load(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_the_name_must_match_the_file(write_scenario):
    path = write_scenario(
        "file-name", HEADER.format(name="other") + "    steps: [{call: GET /x}]\n"
    )
    with pytest.raises(ScenarioError, match="must match the file name 'file-name'"):
        load(path)


def test_yaml_keeps_timestamps_as_the_strings_segment_sends(write_scenario):
    path = write_scenario(
        "dates",
        HEADER.format(name="dates")
        + "    steps:\n      - send: {type: track, event: E, timestamp: 2024-03-01T12:00:00Z}\n",
    )
    (step,) = load(path).steps
    assert step.spec.events[0]["timestamp"] == "2024-03-01T12:00:00Z"


def test_cli_refuses_bad_input_with_exit_status_2(write_scenario):
    unknown = run_cli("run", "no-such-scenario")
    assert unknown.code == 2
    assert "no scenario named 'no-such-scenario'" in unknown.err
    unpaired = run_cli("run", "--report", "md")
    assert unpaired.code == 2
    assert "one --out PATH for each --report FORMAT" in unpaired.err
    keyless = run_cli("run", "--target", "http://127.0.0.1:9", "--api-key", "")
    assert keyless.code == 2


def test_two_scenarios_cannot_share_ids(write_scenario, tmp_path):
    for name in ("first", "second"):
        write_scenario(
            name,
            HEADER.format(name=name)
            + "    steps:\n      - send: {type: identify, userId: 'same-{run}'}\n",
        )
    result = run_cli("run", str(tmp_path))
    assert result.code == 2
    assert "same-{run} also used by" in result.err
