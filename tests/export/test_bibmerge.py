"""Regenerating a .bib keeps hand edits: merge by key and field, conflicts reported,
`--force` keeps a backup, unreadable files are left alone."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from citecheck.cli.main import main
from citecheck.export.bibmerge import backup_path, base_path, merge, write_regenerated
from tests.support.paths import REPO_ROOT

REFERENCES = REPO_ROOT / "references"

BASE = """@online{smith2015report,
  author = {Smith, Jane},
  title = {Report on Things},
  date = {2015},
  url = {http://a.org/report}
}

@misc{un1999developments,
  title = {Developments},
  date = {1999}
}
"""


def edited(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_an_unchanged_file_merges_to_itself() -> None:
    assert merge(BASE, BASE, BASE).text == BASE
    assert merge(BASE, BASE, None).text == BASE


def test_hand_edits_stay_and_parser_improvements_arrive() -> None:
    current = edited(BASE, "title = {Report on Things}", "title = {Report on Many Things}")
    current = edited(current, "date = {1999}\n", "date = {1999},\n  note = {checked by hand}\n")
    fresh = edited(BASE, "date = {2015}", "date = {2015-05-01}")
    outcome = merge(current, fresh, BASE)
    assert outcome.conflicts == ()
    assert "title = {Report on Many Things}" in outcome.text  # the hand fix
    assert "note = {checked by hand}" in outcome.text  # the hand-added field
    assert "date = {2015-05-01}" in outcome.text  # the parser's improvement


def test_both_changing_one_field_is_a_conflict_and_the_hand_edit_stays() -> None:
    current = edited(BASE, "title = {Report on Things}", "title = {Mine}")
    fresh = edited(BASE, "title = {Report on Things}", "title = {Theirs}")
    outcome = merge(current, fresh, BASE, "refs.bib")
    assert "title = {Mine}" in outcome.text
    assert len(outcome.conflicts) == 1
    assert outcome.conflicts[0].startswith("refs.bib: smith2015report.title: kept your 'Mine'")


def test_removed_by_hand_stays_removed_and_added_by_hand_stays() -> None:
    current = edited(BASE, "  url = {http://a.org/report}\n", "")
    current = edited(current, "date = {2015},", "date = {2015}")
    current = current.split("@misc")[0].rstrip() + "\n\n@book{mine2020,\n  title = {Mine}\n}\n"
    outcome = merge(current, BASE, BASE)
    assert "url = " not in outcome.text
    assert "un1999developments" not in outcome.text
    assert "@book{mine2020," in outcome.text


def test_comments_and_strings_of_the_file_are_kept() -> None:
    current = "% my notes on these sources\n@string{un = {United Nations}}\n\n" + BASE
    outcome = merge(current, BASE, BASE)
    assert "% my notes on these sources" in outcome.text
    assert "@string{un = {United Nations}}" in outcome.text
    assert outcome.text.count("@online{smith2015report,") == 1


def test_without_a_base_every_difference_is_a_conflict() -> None:
    current = edited(BASE, "title = {Developments}", "title = {Developments, revised}")
    outcome = merge(current, BASE, None)
    assert "title = {Developments, revised}" in outcome.text
    assert len(outcome.conflicts) == 1


def test_an_unreadable_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    broken = BASE + "@misc{broken, title = {never closed\n"
    target.write_text(broken)
    warnings = write_regenerated(target, BASE)
    assert target.read_text() == broken
    assert len(warnings) == 1
    assert "cannot be read" in warnings[0]
    assert "not regenerated" in warnings[0]


def test_force_overwrites_and_keeps_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    mine = edited(BASE, "title = {Developments}", "title = {Mine}")
    target.write_text(mine)
    warnings = write_regenerated(target, BASE, force=True)
    assert target.read_text() == BASE
    assert backup_path(target).read_text() == mine
    assert base_path(target).read_text() == BASE
    assert len(warnings) == 1


def test_extract_bib_dir_keeps_a_hand_fix_when_regenerating(tmp_path: Path) -> None:
    text = str(REFERENCES / "002_43e623d618e2a5b1.txt")
    runner = CliRunner()
    arguments = ["extract", text, "--bib-dir", str(tmp_path), "-o", str(tmp_path / "x.json")]
    assert runner.invoke(main, arguments).exit_code == 0
    bib = tmp_path / "002_43e623d618e2a5b1.bib"
    generated = bib.read_text(encoding="utf-8")
    title = next(line for line in generated.splitlines() if line.strip().startswith("title"))
    bib.write_text(generated.replace(title, "  title = {Fixed by hand},"), encoding="utf-8")
    again = runner.invoke(main, arguments)
    assert again.exit_code == 0
    assert "title = {Fixed by hand}" in bib.read_text(encoding="utf-8")
    forced = runner.invoke(main, [*arguments, "--force"])
    assert forced.exit_code == 0
    assert bib.read_text(encoding="utf-8") == generated
    assert "Fixed by hand" in backup_path(bib).read_text(encoding="utf-8")
