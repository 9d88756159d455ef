"""The command line: thin click commands that build the pipeline and choose an output.

Exit status everywhere: 0 clean, 1 failing findings, 2 unusable arguments or input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from citecheck import __version__
from citecheck.atomic import write_text_atomic
from citecheck.bibtex import Style, write_bib_files, write_documents
from citecheck.citations import cite_corpus
from citecheck.csl import write_csl_json
from citecheck.documents import DocumentError
from citecheck.evaluation import DEFAULT_LABELS, LabelError, evaluate, read_labels
from citecheck.extraction import extract_paths, noted_document_json

EXIT_INPUT_ERROR = 2

F = TypeVar("F", bound=Callable[..., Any])


def input_errors_exit_2(command: F) -> F:
    """Turn a DocumentError into one line on stderr and exit status 2, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DocumentError as error:
            click.echo(f"citecheck: error: {error}", err=True)
            sys.exit(EXIT_INPUT_ERROR)

    return wrapper  # type: ignore[return-value]


def emit(text: str, output: Path | None) -> None:
    """Write to `output` atomically, or to stdout."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_text_atomic(output, text if text.endswith("\n") else text + "\n")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def main() -> None:
    """citecheck verifies the sources of scholarly texts.

    Each command takes PATHs (files, or folders of .txt/.md files) and uses the
    bundled corpus in references/ when given none.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "bibtex", "csl-json"]),
    default="json",
    show_default=True,
)
@click.option(
    "--style",
    type=click.Choice([s.value for s in Style]),
    default=Style.BIBLATEX.value,
    show_default=True,
    help="BibTeX flavour for --format bibtex: biblatex (biber) or classic bibtex (natbib).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.option(
    "--bib-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write one <text>.bib per text that cites something into this folder.",
)
@input_errors_exit_2
def extract(
    paths: tuple[Path, ...],
    output_format: str,
    style: str,
    output: Path | None,
    bib_dir: Path | None,
) -> None:
    """Extract the numbered notes, markers, cited URLs and cited works of each text."""
    documents = extract_paths(paths)
    cited = cite_corpus(documents)
    if bib_dir is not None:
        write_bib_files(cited, bib_dir, Style(style))
    if output_format == "bibtex":
        emit(write_documents(cited, Style(style)), output)
    elif output_format == "csl-json":
        emit(write_csl_json(cited), output)
    else:
        payload = {
            "documents": [noted_document_json(d, c) for d, c in zip(documents, cited, strict=True)]
        }
        emit(json.dumps(payload, ensure_ascii=False, indent=2), output)


@main.command(name="eval")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--labels",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_LABELS,
    show_default=True,
    help="The hand-labelled citations to score against.",
)
@input_errors_exit_2
def eval_command(paths: tuple[Path, ...], labels: Path) -> None:
    """Score citation parsing against the labelled set: field precision/recall, works per note."""
    try:
        gold = read_labels(labels.read_text(encoding="utf-8"))
    except (OSError, LabelError) as error:
        click.echo(f"citecheck: error: {labels}: {error}", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    cited = cite_corpus(extract_paths(paths))
    click.echo(evaluate(gold, cited).text())
