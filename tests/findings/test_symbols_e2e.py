"""`citecheck audit` and `check` on a text citing UN documents, against the local UN stand-in
(tests/support/fakeweb/sites.py): a symbol cited without a URL is probed at its suggested
access URL, and a URL that opens another document than the text names is a finding."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from citecheck.cli.audit import run_audit
from citecheck.cli.check import run_check
from citecheck.judge.checking import CheckHooks
from citecheck.judge.sites import un
from tests.support.fakeweb import FakeWeb
from tests.support.fakeweb.sites import add_un

ACCESS = "http://documents.un.org/api/symbol/access"
VIEW_DOC = "http://www.un.org/ga/search/view_doc.asp?symbol="
TEXT = (
    "A claim.1 Another.2 A third.3\n\nNotes\n\n"
    "1 United Nations General Assembly, Report of the Group of Governmental Experts, "
    "A/68/98, 24 June 2013.\n"
    "2 United Nations General Assembly, Developments in the field of information, "
    f"A/RES/53/70, 4 January 1999, {VIEW_DOC}A/RES/53/59.\n"
    "3 United Nations General Assembly, A report that does not exist, A/69/999, 1 May 2014.\n"
)


async def online() -> bool:
    return True


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    patch = pytest.MonkeyPatch()
    # The fake web speaks plain http; the access URL is https on the real web.
    patch.setattr(un, "ACCESS_BASE", ACCESS)
    patch.setattr(un, "DOCUMENTS_BASE", "http://documents.un.org")
    try:
        with FakeWeb() as running:
            add_un(running)
            yield running
    finally:
        patch.undo()


def options(tmp_path: Path) -> dict[str, Any]:
    return {
        "url_files": [], "output": tmp_path / "out.json", "timeout": 2.0,
        "concurrency": 4, "per_host": 2, "user_agent": None, "allow_private": True,
        "head_first": False, "cache_dir": tmp_path / "cache", "no_cache": False,
        "max_age": "7d", "max_failed_age": "1d", "offline": False, "quiet": True,
        "archive": "none",  # no archive pass: nothing may leave the fake web
    }  # fmt: skip


def test_audit_probes_the_suggested_url_and_flags_the_mismatched_symbol(
    web: FakeWeb, tmp_path: Path
) -> None:
    text = tmp_path / "un.txt"
    text.write_text(TEXT, encoding="utf-8")
    status = run_audit(
        paths=[text], report_format="json", fail_on=None, since_last=False, baseline=None,
        write_baseline=None, config_path=None, color=False,
        hooks=CheckHooks(resolver=web.resolver(), network_canary=online),
        now=datetime(2026, 11, 23, 1, tzinfo=UTC), **options(tmp_path),
    )  # fmt: skip
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    found = {(f["kind"], f["places"][0]["note"]): f for f in report["findings"]}
    documents = web.requests_to(web.hosts["documents.un.org"])
    assert any("s=A/68/98&l=en" in r.path for r in documents)

    ok = found[("suggested-url", 1)]
    assert ok["severity"] == "low"
    assert ok["message"] == (
        f"A/68/98 has no URL; its document is at {ACCESS}?s=A/68/98&l=en&t=pdf, cite that."
    )
    assert ok["places"] == [{"document": str(text), "note": 1, "line": 5}]
    missing = found[("suggested-url", 3)]
    assert "A/69/999 has no URL, and the suggested" in missing["message"]
    assert "did not answer with the document (soft-404" in missing["message"]

    mismatch = found[("symbol-mismatch", 2)]
    assert mismatch["message"] == (
        f"The text cites A/RES/53/70 but its URL {VIEW_DOC}A/RES/53/59 opens A/RES/53/59; "
        "correct the symbol or the URL."
    )
    kinds = sorted(kind for kind, _ in found)
    assert "dead-link" not in kinds and ("soft-404", 3) not in found
    suggested = {v["suggested_for"] for v in report["links"] if v["suggested_for"]}
    assert suggested == {"A/68/98", "A/69/999"}
    assert status == 1  # the cited view_doc.asp link lands on the home page: a soft 404


def test_check_json_marks_the_suggested_link_and_does_not_fail_for_it(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "un.txt"
    without_note_2 = [line for line in TEXT.split("\n") if not line.startswith("2 ")]
    text.write_text("\n".join(without_note_2), encoding="utf-8")
    status = run_check(
        paths=[text], output_format="json",
        hooks=CheckHooks(resolver=web.resolver(), network_canary=online), **options(tmp_path),
    )  # fmt: skip
    links = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["links"]
    assert [(k["url"], k["verdict"], k["suggested_for"]) for k in links] == [
        (f"{ACCESS}?s=A/68/98&l=en&t=pdf", "ok", "A/68/98"),
        (f"{ACCESS}?s=A/69/999&l=en&t=pdf", "soft-404", "A/69/999"),
    ]
    assert links[0]["cited_in"] == [{"document": str(text), "note": 1, "line": 5}]
    assert status == 0  # a suggestion that failed is not the author's dead link
    as_text = {**options(tmp_path), "output": None}
    run_check(
        paths=[text], output_format="text",
        hooks=CheckHooks(resolver=web.resolver(), network_canary=online), **as_text,
    )  # fmt: skip
    shown = capsys.readouterr().out
    assert "suggested for A/69/999 (cited without a URL)" in shown
