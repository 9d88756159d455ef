"""The JSON report streamed item by item is the very text `render` builds whole."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from citecheck.findings.analysis import AuditResult
from citecheck.reports import json as json_report
from citecheck.util.atomic import write_chunks_atomic
from citecheck.util.deferred import DeferredMapping
from tests.support.reportsample import sample_result


def streamed(result: AuditResult) -> str:
    handle = io.StringIO()
    json_report.write(result, handle)
    return handle.getvalue()


def empty_lists(result: AuditResult) -> AuditResult:
    return replace(result, findings=(), clusters=(), verdicts=(), accepted=(), extracted=())


@pytest.mark.parametrize(
    "result",
    [
        sample_result(),
        sample_result(changes=False),
        empty_lists(sample_result()),
    ],
    ids=["sample", "no-changes", "empty-lists"],
)
def test_streamed_report_is_identical_to_the_rendered_one(result: AuditResult) -> None:
    text = streamed(result)
    assert text == json_report.render(result)
    assert json.loads(text)["schema"] == json_report.SCHEMA


def test_nesting_strings_with_escapes_and_non_ascii_come_out_identical() -> None:
    """Newlines and quotes inside strings are escaped, so indenting by newline is safe."""
    result = sample_result()
    tricky = 'line one\nline two \u2028 «quoted» "x" \\ \t end'
    result = replace(result, problems=(tricky, "plain"))
    text = streamed(result)
    assert text == json_report.render(result)
    assert json.loads(text)["problems"][0] == tricky


def test_a_failed_stream_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n", encoding="utf-8")

    def interrupted() -> Iterator[str]:
        yield "half a rep"
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_chunks_atomic(target, interrupted())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_deferred_documents_are_made_only_when_written_and_come_out_the_same() -> None:
    result = sample_result()
    documents: list[dict[str, object]] = [
        {"path": "refs/a.txt", "notes": [{"number": 1, "text": "é\nx"}]}
    ]
    made: list[int] = []

    def make(index: int) -> dict[str, object]:
        made.append(index)
        return documents[index]

    deferred = replace(result, extracted=(DeferredMapping(partial(make, 0)),))
    assert made == []
    text = streamed(deferred)
    assert made == [0]
    assert text == json_report.render(replace(result, extracted=tuple(documents)))
