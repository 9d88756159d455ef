"""JUnit XML for CI dashboards: one test case per link and one per finding.

A link's case fails when a failing finding concerns it; a finding's case fails
when its kind is in `fail_on`, and otherwise passes with the message as output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import place_label
from citecheck.reports.escape import xml_text


def render(result: AuditResult) -> str:
    failing_subjects = {f.subject: f for f in result.failing}
    root = ET.Element("testsuites", name="citecheck")
    links = ET.SubElement(root, "testsuite", name="links")
    link_failures = 0
    for verdict in result.verdicts:
        case = ET.SubElement(links, "testcase", classname="links", name=verdict.url)
        finding = failing_subjects.get(verdict.normalized_url)
        if finding is not None:
            link_failures += 1
            failure = ET.SubElement(
                case, "failure", type=finding.kind.value, message=finding.message
            )
            failure.text = "\n".join(place_label(p) for p in verdict.cited_in)
        else:
            ET.SubElement(case, "system-out").text = f"{verdict.verdict}: {verdict.reason}"
    links.set("tests", str(len(result.verdicts)))
    links.set("failures", str(link_failures))
    findings = ET.SubElement(root, "testsuite", name="findings")
    finding_failures = 0
    for finding in result.findings:
        where = place_label(finding.places[0]) if finding.places else "(corpus)"
        case = ET.SubElement(
            findings,
            "testcase",
            classname=f"findings.{finding.kind.value}",
            name=f"{where} {finding.fingerprint}",
            file=finding.places[0].document if finding.places else "",
        )
        if finding.places and finding.places[0].line is not None:
            case.set("line", str(finding.places[0].line))
        detail = "\n".join(place_label(p) for p in finding.places)
        if finding.kind in result.fail_on:
            finding_failures += 1
            failure = ET.SubElement(
                case, "failure", type=finding.kind.value, message=finding.message
            )
            failure.text = detail
        else:
            ET.SubElement(case, "system-out").text = f"{finding.message}\n{detail}"
    findings.set("tests", str(len(result.findings)))
    findings.set("failures", str(finding_failures))
    root.set("tests", str(len(result.verdicts) + len(result.findings)))
    root.set("failures", str(link_failures + finding_failures))
    _make_xml_safe(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _make_xml_safe(root: ET.Element) -> None:
    """Every attribute and text made fit for XML 1.0 (`escape.xml_text`): ElementTree writes
    `\x1b` or `\uffff` as they are, and the file then parses nowhere."""
    for element in root.iter():
        for name, value in element.attrib.items():
            element.set(name, xml_text(value))
        if element.text:
            element.text = xml_text(element.text)
