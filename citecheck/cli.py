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
from citecheck.documents import DocumentError
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
    "--format", "output_format", type=click.Choice(["json"]), default="json", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@input_errors_exit_2
def extract(paths: tuple[Path, ...], output_format: str, output: Path | None) -> None:
    """Extract the numbered notes, markers and cited URLs of each text."""
    documents = extract_paths(paths)
    payload = {"documents": [noted_document_json(d) for d in documents]}
    emit(json.dumps(payload, ensure_ascii=False, indent=2), output)
