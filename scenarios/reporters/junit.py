"""JUnit XML for CI systems: one `testcase` per scenario, the diff in its `failure`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from scenarios.reporters.summary import coverage
from scenarios.results import FAILED, SKIPPED, RunResult

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(run: RunResult) -> str:
    counts = run.counts()
    totals = {
        "tests": str(len(run.scenarios)),
        "failures": str(counts[FAILED]),
        "errors": "0",
        "skipped": str(counts[SKIPPED]),
        "time": f"{run.seconds:.3f}",
    }
    suites = ET.Element("testsuites", {"name": "scenarios", **totals})
    suite = ET.SubElement(suites, "testsuite", {"name": "scenarios", **totals})
    properties = ET.SubElement(suite, "properties")
    _property(properties, "target", run.target)
    _property(properties, "run", run.run_token)
    for title, counted in coverage(run):
        for name, count in counted.items():
            _property(properties, title, f"{name} ({count})")
    for scenario in run.scenarios:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": "scenarios", "name": scenario.name, "time": f"{scenario.seconds:.3f}"},
        )
        if scenario.status == FAILED:
            failure = ET.SubElement(case, "failure", {"message": _clean(scenario.reason or "")})
            failure.text = _clean(scenario.failure_details or "")
        elif scenario.status == SKIPPED:
            ET.SubElement(case, "skipped", {"message": _clean(scenario.reason or "")})
        steps = [f"{step.number}. {step.status:<6} {step.title}" for step in scenario.steps]
        ET.SubElement(case, "system-out").text = _clean("\n".join([scenario.title, *steps]))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _property(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", {"name": name, "value": _clean(value)})


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
