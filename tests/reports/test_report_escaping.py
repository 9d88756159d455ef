"""Hostile strings in every report (issue 14 items 5, 6, 7 and 9).

A title, a URL or a server's answer may hold terminal escapes, characters XML forbids,
Markdown link syntax or a `javascript:` target; a crafted audit JSON may hold a
newline where a line number belongs. None of it may reach a terminal raw, break a
JUnit file, spoof a link or inject a GitHub workflow command.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from citecheck.cli.main import main
from citecheck.findings.analysis import AuditResult
from citecheck.findings.finding import Finding, FindingKind, Severity
from citecheck.judge.verdicts import LinkVerdict
from citecheck.read.model import Place
from citecheck.reports import ReportFormat, render
from citecheck.reports.escape import visible, xml_text
from tests.support.reportsample import sample_result

ERASE = "\x1b[1A\x1b[2K"
OSC8 = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"
SPOOF = "http://127.0.0.1:9/a](https://evil.example/phish)"
SCRIPT_URL = "javascript:alert(1)"
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def hostile_result() -> AuditResult:
    """The sample audit plus findings whose every field is hostile."""
    sample = sample_result()
    place = Place(f"refs/evil{ERASE}.txt", 7, 70)
    bad = Finding(
        kind=FindingKind.SUSPECT_LINK,
        severity=Severity.MEDIUM,
        message=f"{SPOOF} failed{ERASE} {OSC8} \uffff bidi\u202eevil \x00 end",
        places=(place, Place("refs/b.txt", 2, 41)),
        subject=SPOOF,
        url=SPOOF,
        archive_url=SCRIPT_URL,
        successor_url=f"https://ok.example/{ERASE}",
        final_url=SPOOF,
    )
    verdict = LinkVerdict(
        SPOOF,
        SPOOF,
        "dead",
        f"HTTP 404 {ERASE}\uffff",
        status=404,
        cited_in=(place,),
        final_url=SCRIPT_URL,
    )
    cluster = sample.clusters[0]
    spoofed = replace(
        cluster,
        variants=tuple(
            replace(v, urls=(SPOOF, SCRIPT_URL), title=f"[click]({SCRIPT_URL}) <{SCRIPT_URL}>")
            for v in cluster.variants
        ),
    )
    return replace(
        sample,
        clusters=(spoofed, *sample.clusters[1:]),
        findings=(*sample.findings, bad),
        verdicts=(*sample.verdicts, verdict),
        problems=(f"refs/evil.txt: {OSC8}",),
    )


@pytest.mark.parametrize(
    "report_format",
    [ReportFormat.TEXT, ReportFormat.MARKDOWN, ReportFormat.GITHUB, ReportFormat.HTML],
)
def test_no_control_character_reaches_a_terminal_or_file(report_format: ReportFormat) -> None:
    page = render(report_format, hostile_result())
    assert CONTROL.findall(page) == []
    assert "\\x1b" in page  # shown, not dropped silently


def test_coloured_text_has_only_its_own_escapes() -> None:
    page = render(ReportFormat.TEXT, hostile_result(), color=True)
    escapes = set(re.findall("\x1b\\[[0-9;]*m", page))
    assert escapes  # colours are there
    assert CONTROL.findall(re.sub("\x1b\\[[0-9;]*m", "", page)) == []


def test_junit_parses_whatever_the_titles_hold() -> None:
    page = render(ReportFormat.JUNIT, hostile_result())
    root = ET.fromstring(page)  # raises on any character XML 1.0 forbids
    texts = [
        *(e.text or "" for e in root.iter()),
        *(v for e in root.iter() for v in e.attrib.values()),
    ]
    assert any("\\x1b[1A" in t for t in texts)
    assert any("\\uffff" in t for t in texts)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain ascii", "plain ascii"),
        ("中文 é", "中文 é"),
        ("a\x1bb", "a\\x1bb"),
        ("bell\x07", "bell\\x07"),
        ("two\nlines", "two\\x0alines"),
        ("c1\x9b", "c1\\x9b"),
        ("rlo\u202e", "rlo\\u202e"),
        ("sep\u2028", "sep\\u2028"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_xml_text_keeps_newlines_and_writes_out_the_rest() -> None:
    assert xml_text("a\nb\tc\x1b\uffff\x00") == "a\nb\\x09c\\x1b\\uffff\\x00"


def markdown_links(page: str) -> list[tuple[str, str]]:
    """(href, visible text) of every link a CommonMark renderer makes of `page`."""
    links: list[tuple[str, str]] = []
    md = MarkdownIt("commonmark", {"linkify": False}).enable("table")
    for block in md.parse(page):
        children = block.children or []
        for i, token in enumerate(children):
            if token.type == "link_open":
                text = ""
                for inner in children[i + 1 :]:
                    if inner.type == "link_close":
                        break
                    text += inner.content
                links.append((str(token.attrs.get("href", "")), text))
    return links


def test_markdown_links_cannot_be_spoofed() -> None:
    page = render(ReportFormat.MARKDOWN, hostile_result())
    links = markdown_links(page)
    assert links  # the sample's archived copies are still links
    for href, _ in links:
        assert href.startswith(("http://", "https://")), href
        assert "evil.example" not in href or href.startswith("http://127.0.0.1:9/a"), href
    assert SCRIPT_URL not in [href for href, _ in links]
    assert "javascript:" not in "".join(href for href, _ in links)


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _audit_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(ReportFormat.JSON, sample_result()))
    return data


def test_a_newline_in_line_cannot_inject_a_workflow_command(tmp_path: Path) -> None:
    data = _audit_json()
    data["findings"][0]["places"][0]["line"] = "14\n::error file=x::pwned"
    result = CliRunner().invoke(main, ["report", str(_write(tmp_path, data)), "--format", "github"])
    assert result.exit_code == 2
    assert "::error file=x::pwned" not in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert "line" in result.stderr


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(findings=5),
        lambda d: d["findings"][0].update(severity=7),
        lambda d: d["findings"][0].update(message=["a"]),
        lambda d: d["findings"][0].update(kind="not-a-kind"),
        lambda d: d["findings"][0].update(places=[{"note": 1}]),
        lambda d: d["summary"].update(per_text=[{"path": 1}]),
        lambda d: d["links"][0].update(redirects="x"),
        lambda d: d["clusters"][0]["variants"][0].update(urls=[None]),
        lambda d: d.update(changes=[{"change": 1}]),
        lambda d: d["summary"].update(fail_on=["dead-link", 3]),
    ],
)
def test_wrong_types_are_one_line_and_exit_2(tmp_path: Path, damage: Any) -> None:
    data = _audit_json()
    damage(data)
    result = CliRunner().invoke(main, ["report", str(_write(tmp_path, data)), "--format", "github"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citecheck: error: "), result.stderr
    assert "Traceback" not in result.output


def test_every_github_field_is_escaped() -> None:
    page = render(ReportFormat.GITHUB, hostile_result())
    for line in page.splitlines():
        assert line.startswith("::") or line.startswith("citecheck: ")
    assert "file=refs/evil\\x1b[1A\\x1b[2K.txt,line=70" in page
    assert all(
        re.fullmatch(r"::(error|warning|notice) [^:]*::.*", line)
        for line in page.splitlines()
        if line.startswith("::")
    )


def test_cli_errors_show_control_characters(tmp_path: Path) -> None:
    missing = tmp_path / f"gone{ERASE}.json"
    result = CliRunner().invoke(main, ["report", str(missing)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "\\x1b[1A" in result.stderr


def test_check_text_shows_control_characters() -> None:
    """`citecheck check` prints verdicts for a terminal too: a server's reason or Location
    holding escapes is shown, not obeyed."""
    from citecheck.cli.check import render_text  # noqa: PLC0415
    from citecheck.judge.checking import CheckResult  # noqa: PLC0415
    from citecheck.probe.observation import NetworkDecision  # noqa: PLC0415

    verdict = LinkVerdict(
        SPOOF,
        SPOOF,
        "redirected",
        f"moved{ERASE}",
        status=301,
        successor_url=f"https://ok.example/{OSC8}",
        cited_in=(Place(f"refs/evil{ERASE}.txt", 7, 70),),
    )
    page = render_text(CheckResult((verdict,), NetworkDecision("online", "test"), 1, 0))
    assert CONTROL.findall(page) == []
    assert "\\x1b[1A" in page
