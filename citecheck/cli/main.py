"""The command line: thin click commands that build the pipeline and choose an output.

Exit status everywhere: 0 clean, 1 failing findings, 2 unusable arguments or input.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from citecheck import __version__
from citecheck.read.model import DocumentError
from citecheck.util.atomic import write_text_atomic

# Each command imports the stages it runs inside its body, so `--help`, `--version` and a
# `check` of URL files never pay for loading the citation parser, bibtexparser or requests.
EXIT_INPUT_ERROR = 2
# Values of bibtex.Style, reports.ReportFormat, evaluation.DEFAULT_LABELS,
# wayback.DEFAULT_ENDPOINT and archiveclient.DEFAULT_CACHE_DIR, spelled out so that declaring
# the options imports none of those modules (tests/cli/test_cli.py holds them equal).
STYLE_CHOICES = ("biblatex", "bibtex")
REPORT_FORMATS = ("text", "json", "markdown", "html", "junit", "github")
DEFAULT_LABELS_PATH = Path("tests/labels/citations.psv")
DEFAULT_ARCHIVE_ENDPOINT = "https://web.archive.org"
DEFAULT_ARCHIVE_CACHE_DIR = Path("cache")

F = TypeVar("F", bound=Callable[..., Any])


def input_errors_exit_2(command: F) -> F:
    """Turn unusable input into one line on stderr and exit status 2, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DocumentError as error:
            fail_input(error)
        except Exception as error:
            if is_cache_error(error):
                fail_input(error)
            raise

    return wrapper  # type: ignore[return-value]


def is_cache_error(error: Exception) -> bool:
    """Whether `error` is a cache.CacheError, without importing the cache: a command that never
    loaded that module cannot have raised one."""
    cache = sys.modules.get("citecheck.probe.cache")
    return cache is not None and isinstance(error, cache.CacheError)


def fail_input(error: Exception) -> NoReturn:
    """One line on stderr and exit status 2."""
    click.echo(f"citecheck: error: {error}", err=True)
    sys.exit(EXIT_INPUT_ERROR)


def emit(text: str, output: Path | None) -> None:
    """Write to `output` atomically, or to stdout."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_text_atomic(output, text if text.endswith("\n") else text + "\n")


def run() -> None:
    """The console entry point: `main`, then an exit that skips the collector's last passes.

    Interpreter shutdown runs the cyclic garbage collector over every object still alive
    (aiohttp's, thousands of verdicts): 0.2-0.3 s after the output was already written
    (docs/speed.md). Freezing the heap first moves those objects out of its sight;
    files, atexit handlers and finalizers run as before, so nothing is lost.
    """
    try:
        main()
    finally:
        gc.freeze()


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
    type=click.Choice(STYLE_CHOICES),
    default=STYLE_CHOICES[0],
    show_default=True,
    help="BibTeX flavour for --format bibtex: biblatex (biber) or classic bibtex (natbib).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.option(
    "--bib-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write one <text>.bib per text that cites something into this folder; an "
    "existing file is merged by key, keeping hand edits and reporting conflicts.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --bib-dir: overwrite hand-edited .bib files (a NAME.bib.bak backup is kept).",
)
@click.option(
    "--with-archive",
    is_flag=True,
    help="Check the links and add the archived copy of each dead one (biblatex addendum).",
)
@click.option(
    "--archive-endpoint",
    default=DEFAULT_ARCHIVE_ENDPOINT,
    show_default=True,
    help="Wayback-compatible server for --with-archive.",
)
@input_errors_exit_2
def extract(
    *,
    paths: tuple[Path, ...],
    output_format: str,
    style: str,
    output: Path | None,
    bib_dir: Path | None,
    force: bool,
    with_archive: bool,
    archive_endpoint: str,
) -> None:
    """Extract the numbered notes, markers, cited URLs and cited works of each text."""
    from citecheck.cite.citations import cite_corpus  # noqa: PLC0415
    from citecheck.cite.extraction import extract_paths, noted_document_json  # noqa: PLC0415
    from citecheck.export.bibtex import Style, write_bib_files, write_documents  # noqa: PLC0415
    from citecheck.export.csl import write_csl_json  # noqa: PLC0415

    documents = extract_paths(paths)
    cited = cite_corpus(documents)
    if with_archive:
        from citecheck.cli.check import gather_links, network_settings  # noqa: PLC0415
        from citecheck.judge.archive import archived_citations  # noqa: PLC0415
        from citecheck.judge.checking import CheckOptions, check_links  # noqa: PLC0415
        from citecheck.probe.observation import ProbeSettings  # noqa: PLC0415

        links = gather_links(list(paths), [])
        proxies, bundle = network_settings(None, None)
        probe = ProbeSettings(proxy=proxies, ca_bundle=bundle)
        checked = check_links(links, CheckOptions(probe=probe, archive_endpoint=archive_endpoint))
        for warning in checked.warnings:
            click.echo(f"citecheck: warning: {warning}", err=True)
        cited = archived_citations(cited, checked.verdicts)
    if bib_dir is not None:
        write_bib_files(cited, bib_dir, Style(style), force=force, on_warning=_warn)
    if output_format == "bibtex":
        emit(write_documents(cited, Style(style)), output)
    elif output_format == "csl-json":
        emit(write_csl_json(cited), output)
    else:
        payload = {
            "documents": [noted_document_json(d, c) for d, c in zip(documents, cited, strict=True)]
        }
        emit(json.dumps(payload, ensure_ascii=False, indent=2), output)


def _warn(message: str) -> None:
    click.echo(f"citecheck: warning: {message}", err=True)


@main.command(name="eval")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--labels",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_LABELS_PATH,
    show_default=True,
    help="The hand-labelled citations to score against.",
)
@input_errors_exit_2
def eval_command(paths: tuple[Path, ...], labels: Path) -> None:
    """Score citation parsing against the labelled set: field precision/recall, works per note."""
    from citecheck.cite.citations import cite_corpus  # noqa: PLC0415
    from citecheck.cite.evaluation import LabelError, evaluate, read_labels  # noqa: PLC0415
    from citecheck.cite.extraction import extract_paths  # noqa: PLC0415

    try:
        gold = read_labels(labels.read_text(encoding="utf-8"))
    except (OSError, LabelError) as error:
        click.echo(f"citecheck: error: {labels}: {error}", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    cited = cite_corpus(extract_paths(paths))
    click.echo(evaluate(gold, cited).text())


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--urls",
    "url_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A file with one URL per line (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.01),
    default=20.0,
    show_default=True,
    help="Seconds for a complete answer (connect and headers).",
)
@click.option("--concurrency", type=click.IntRange(min=1), default=32, show_default=True)
@click.option(
    "--per-host",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="At most this many requests to one host at once.",
)
@click.option("--user-agent", help="Replace the User-Agent (citecheck/VERSION (+URL)).")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow loopback, private and link-local addresses (unsafe in CI).",
)
@click.option(
    "--head",
    "head_first",
    is_flag=True,
    help="Try HEAD first, GET when HEAD is refused or fails (soft-404 then by redirects only).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cache"),
    show_default=True,
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--max-age",
    default="7d",
    show_default=True,
    help="Re-probe live answers older than this (e.g. 7d, 12h, 30m, 0).",
)
@click.option(
    "--max-failed-age",
    default="1d",
    show_default=True,
    help="Re-probe failures older than this (never longer than --max-age).",
)
@click.option("--offline", is_flag=True, help="Answer from the cache alone; probe nothing.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="REGEX",
    help="Never probe URLs matching this (searched in the normalised URL; repeatable).",
)
@click.option(
    "--proxy",
    metavar="URL",
    help="Send every request through this HTTP proxy (default: HTTPS_PROXY, HTTP_PROXY, "
    "ALL_PROXY; NO_PROXY is honoured).",
)
@click.option(
    "--ca-bundle",
    metavar="FILE",
    help="Trust only the CA certificates in this PEM file "
    "(default: SSL_CERT_FILE, REQUESTS_CA_BUNDLE, else the system's).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--archive",
    type=click.Choice(["failed", "all", "none"]),
    default="failed",
    show_default=True,
    help="Find a Wayback snapshot from when each link was cited: for failing links, all, none.",
)
@click.option(
    "--archive-endpoint",
    default=DEFAULT_ARCHIVE_ENDPOINT,
    show_default=True,
    help="Wayback-compatible server for every archive request.",
)
@input_errors_exit_2
def check(**options: Any) -> None:
    """Probe every cited URL once and judge it: ok, redirected, dead, soft-404, blocked,
    timeout, error or unchecked. Exit 1 when a link is dead, soft-404 or error.

    Inputs: texts (their notes' and body URLs), .bib files (their url fields) and
    --urls files; the bundled corpus when given none."""
    from citecheck.cli.check import run_check  # noqa: PLC0415

    sys.exit(run_check(**options))


@main.command("archive")
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--cited-on", help="When the work was cited (ISO date: access date, else publication)."
)
@click.option(
    "--archive-endpoint",
    default=DEFAULT_ARCHIVE_ENDPOINT,
    show_default=True,
    help="Wayback-compatible server for every archive request.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_ARCHIVE_CACHE_DIR,
    show_default=True,
)
@click.option(
    "--save",
    is_flag=True,
    help="Submit URLs without a snapshot to Save Page Now (needs IA_ACCESS_KEY, IA_SECRET_KEY).",
)
@input_errors_exit_2
def archive(
    urls: tuple[str, ...],
    cited_on: str | None,
    archive_endpoint: str,
    cache_dir: Path,
    save: bool,
) -> None:
    """Find the Wayback snapshot of each URL from when it was cited (exit 1 if any lacks one)."""
    from citecheck.cli.check import network_settings  # noqa: PLC0415
    from citecheck.judge import archiveclient, archivesave, wayback  # noqa: PLC0415
    from citecheck.probe.proxy import routed_session  # noqa: PLC0415

    if cited_on is not None and wayback.wayback_timestamp(cited_on) is None:
        click.echo(f"citecheck: error: --cited-on {cited_on!r} is not an ISO date", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    credentials = archivesave.SaveCredentials.from_env(os.environ)
    if save and credentials is None:
        click.echo("citecheck: error: --save needs IA_ACCESS_KEY and IA_SECRET_KEY", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    cache = archiveclient.ArchiveCache.in_dir(cache_dir)
    try:
        session = routed_session(*network_settings(None, None))
        client = archiveclient.ArchiveClient(archive_endpoint, cache=cache, session=session)
        results = [client.find_snapshot(url, cited_on) for url in urls]
        saved = [
            archivesave.save_page(client, r.url, credentials)
            for r in results
            if save and credentials and isinstance(r, wayback.ArchiveMissing)
        ]
    finally:
        cache.close()
    payload: dict[str, object] = {"archive": [wayback.archive_result_json(r) for r in results]}
    if save:
        payload["saved"] = [asdict(s) for s in saved]
    emit(json.dumps(payload, ensure_ascii=False, indent=2), None)
    if not all(isinstance(r, wayback.ArchiveFound) for r in results):
        sys.exit(1)


@main.command()
@click.argument("audit_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "report_format",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.option("--fail-on", help="Finding kinds that fail (default: those the audit used).")
@click.option("--color/--no-color", default=None, help="Colour text (default: on a terminal).")
@input_errors_exit_2
def report(
    audit_file: Path,
    report_format: str,
    output: Path | None,
    fail_on: str | None,
    color: bool | None,
) -> None:
    """Render a JSON audit (from `audit --format json`) in another format, without probing.

    Exit 0 clean, 1 when a finding of a failing kind remains, 2 on an unreadable file."""
    from citecheck.findings.audit import exit_status  # noqa: PLC0415
    from citecheck.findings.finding import parse_kinds  # noqa: PLC0415
    from citecheck.reports import ReportFormat, render  # noqa: PLC0415
    from citecheck.reports.load import load_audit  # noqa: PLC0415

    result = load_audit(audit_file)
    if fail_on is not None:
        try:
            result = replace(result, fail_on=parse_kinds(fail_on))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--fail-on") from None
    paint = (sys.stdout.isatty() and output is None) if color is None else color
    text = render(ReportFormat(report_format), result, color=paint)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"), color=paint)
    else:
        emit(text, output)
    sys.exit(exit_status(result))


@main.command()
@click.option(
    "--format",
    "report_format",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout."
)
@click.option(
    "--fail-on",
    help="Comma-separated finding kinds that fail the run (default: dead-link,soft-404; none).",
)
@click.option("--since-last", is_flag=True, help="Also say what changed since the last audit.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Accept the findings listed in this file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Accept every current finding: write them to this file and exit 0.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this configuration (default: citecheck.toml or [tool.citecheck] in pyproject.toml).",
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text report (default: on a terminal)."
)
@click.pass_context
@input_errors_exit_2
def audit(ctx: click.Context, /, **options: Any) -> None:
    """Extract, check, analyse and report: dead links, date mismatches, duplicate sources.

    Takes every option of `check`. Exit 0 clean, 1 when a finding of a --fail-on kind
    remains, 2 on unusable arguments, configuration or input."""
    from citecheck.cli.audit import run_audit  # noqa: PLC0415

    explicit = frozenset(
        name
        for name in options
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    )
    sys.exit(run_audit(**options, explicit=explicit))


_AUDIT_OWN = {param.name for param in audit.params} | {"output_format"}
audit.params[0:0] = [param for param in check.params if param.name not in _AUDIT_OWN]
