"""`python -m destination translate | send | update-email`, as a user runs them."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from destination.cli import main

from .conftest import API_KEY, SUCCESS

IDENTIFY = {"type": "identify", "userId": "u-1", "traits": {"plan": "pro"}}
TRACK = {"type": "track", "event": "Clicked", "userId": "u-1", "messageId": "m-2"}
PAGE = {"type": "page", "userId": "u-1"}
ANONYMOUS = {"type": "track", "event": "Clicked", "anonymousId": "a-1"}


@pytest.fixture(autouse=True)
def no_iterable_environment(monkeypatch):
    monkeypatch.delenv("ITERABLE_API_KEY", raising=False)
    monkeypatch.delenv("ITERABLE_ENDPOINT", raising=False)


def write_lines(path, events):
    path.write_text("".join(json.dumps(event) + "\n" for event in events))
    return str(path)


def output_lines(text):
    return [json.loads(line) for line in text.splitlines()]


def table(text):
    """Cells of every row of the GitHub-style tables in `text`, separator rows left out."""
    rows = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows if not set("".join(row)) <= set("-: ")]


def test_translate_prints_one_line_per_outcome(tmp_path, capsys):
    path = write_lines(tmp_path / "events.jsonl", [IDENTIFY, PAGE, ANONYMOUS])

    code = main(["translate", path])

    lines = output_lines(capsys.readouterr().out)
    assert lines[0] == {
        "event": 0,
        "method": "POST",
        "path": "/api/users/update",
        "body": {"userId": "u-1", "dataFields": {"plan": "pro"}},
    }
    assert lines[1]["event"] == 1 and "track_all_pages is off" in lines[1]["skipped"]
    assert lines[2]["event"] == 2 and "userId" in lines[2]["error"]
    assert len(lines) == 3
    assert code == 1


def test_translate_reads_a_json_array_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps([TRACK, IDENTIFY], indent=2)))

    code = main(["translate", "-"])

    lines = output_lines(capsys.readouterr().out)
    assert [(line["event"], line["path"]) for line in lines] == [
        (0, "/api/events/track"),
        (1, "/api/users/update"),
    ]
    assert code == 0


def test_translate_uses_settings_file_and_flags(tmp_path, capsys):
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"track_all_pages": True}))
    path = write_lines(tmp_path / "events.jsonl", [PAGE])

    main(["translate", "--settings", str(settings), path])
    from_file = output_lines(capsys.readouterr().out)
    main(["translate", "--settings", str(settings), "--no-track-all-pages", path])
    from_flag = output_lines(capsys.readouterr().out)

    assert from_file[0]["body"]["eventName"] == "Loaded a Page"
    assert "skipped" in from_flag[0]


def test_translate_reports_unreadable_input(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(TRACK) + "\n{not json\n")

    code = main(["translate", str(path)])

    assert code == 2
    assert "line 2 is not JSON" in capsys.readouterr().err


def test_python_dash_m_entry_point(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "destination", "translate", "-"],
        input=json.dumps(TRACK),
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["body"]["eventName"] == "Clicked"


def send_args(httpserver, *extra):
    return ["send", "--endpoint", httpserver.url_for("/"), "--api-key", API_KEY, *extra]


def test_send_delivers_and_ends_with_a_summary_table(httpserver, tmp_path, capsys):
    httpserver.expect_request(re.compile("^/api/")).respond_with_json(SUCCESS)
    path = write_lines(tmp_path / "events.jsonl", [IDENTIFY, TRACK, PAGE, TRACK])

    code = main([*send_args(httpserver), path])

    out = capsys.readouterr().out
    assert table(out) == [
        ["call", "sent", "skipped", "failed"],
        ["identify", "1", "0", "0"],
        ["page", "0", "1", "0"],
        ["track", "2", "0", "0"],
        ["total", "3", "1", "0"],
    ]
    assert [request.path for request, _ in httpserver.log] == [
        "/api/users/update",
        "/api/events/track",
        "/api/events/track",
    ]
    assert code == 0


def test_send_exits_non_zero_and_counts_failures_by_code(httpserver, tmp_path, capsys):
    invalid = {"msg": "Invalid email: a@b.cd", "code": "InvalidEmailAddressError", "params": None}
    httpserver.expect_request("/api/users/update").respond_with_json(invalid, status=400)
    httpserver.expect_request("/api/events/track").respond_with_json(SUCCESS)
    path = write_lines(tmp_path / "events.jsonl", [IDENTIFY, TRACK, ANONYMOUS])

    code = main([*send_args(httpserver), path])

    captured = capsys.readouterr()
    rows = table(captured.out)
    assert ["track", "1", "0", "1"] in rows
    assert ["identify", "0", "0", "1"] in rows
    assert ["failure", "events"] in rows
    assert ["InvalidEmailAddressError", "1"] in rows
    assert ["invalid event", "1"] in rows
    failures = output_lines(captured.err)
    assert [(f["event"], f.get("code")) for f in failures] == [
        (0, "InvalidEmailAddressError"),
        (2, None),
    ]
    assert code == 1


def test_send_batch_flag_uses_bulk_endpoints(httpserver, tmp_path, capsys):
    httpserver.expect_request("/api/events/trackBulk").respond_with_json(
        {"successCount": 2, "failCount": 0, "invalidEmails": [], "invalidUserIds": []}
    )
    path = write_lines(tmp_path / "events.jsonl", [TRACK, TRACK])

    code = main([*send_args(httpserver, "--batch"), path])

    assert [request.path for request, _ in httpserver.log] == ["/api/events/trackBulk"]
    assert ["track", "2", "0", "0"] in table(capsys.readouterr().out)
    assert code == 0


def test_send_takes_key_and_endpoint_from_environment(httpserver, monkeypatch, tmp_path, capsys):
    httpserver.expect_request("/api/events/track").respond_with_json(SUCCESS)
    monkeypatch.setenv("ITERABLE_API_KEY", "env-key")
    monkeypatch.setenv("ITERABLE_ENDPOINT", httpserver.url_for("/"))

    code = main(["send", write_lines(tmp_path / "events.jsonl", [TRACK])])

    request, _ = httpserver.log[0]
    assert request.headers["Api-Key"] == "env-key"
    assert code == 0


def test_send_without_api_key_stops_before_sending(httpserver, tmp_path, capsys):
    path = write_lines(tmp_path / "events.jsonl", [TRACK])

    code = main(["send", "--endpoint", httpserver.url_for("/"), path])

    assert code == 2
    assert "no Iterable API key" in capsys.readouterr().err
    assert httpserver.log == []


def test_update_email_command(httpserver, capsys):
    httpserver.expect_request(
        "/api/users/updateEmail", json={"currentUserId": "u-1", "newEmail": "new@example.com"}
    ).respond_with_json(SUCCESS)

    code = main(
        [
            "update-email",
            "--endpoint",
            httpserver.url_for("/"),
            "--api-key",
            API_KEY,
            "--current-user-id",
            "u-1",
            "--new-email",
            "new@example.com",
        ]
    )

    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["path"], result["http_status"]) == (
        "sent",
        "/api/users/updateEmail",
        200,
    )
    assert code == 0
