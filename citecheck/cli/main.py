"""The command line: thin click commands that build the pipeline and choose an output.

Exit status everywhere: 0 clean, 1 failing findings, 2 unusable arguments or input.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from citecheck import __version__
from citecheck.read.model import DocumentError
from citecheck.util.atomic import WriteError, write_chunks_atomic, write_text_atomic
from citecheck.util.quoting import one_line, quoted

# Each command imports the stages it runs inside its body, so `--help`, `--version` and a
# `check` of URL files never pay for loading the citation parser, bibtexparser or requests.
EXIT_INPUT_ERROR = 2
# Values of bibtex.Style, reports.ReportFormat, evaluation.DEFAULT_LABELS,
# wayback.DEFAULT_ENDPOINT and archiveclient.DEFAULT_CACHE_DIR, spelled out so that declaring
# the options imports none of those modules (tests/cli/test_cli.py holds them equal).
STYLE_CHOICES = ("biblatex", "bibtex")
REPORT_FORMATS = ("text", "json", "markdown", "html", "junit", "github", "sarif")
DEFAULT_LABELS_PATH = Path("tests/labels/citations.psv")
# AnyStyle's core set, in the shared folder beside the repository (never copied into it); a
# git worktree sits one folder deeper, so the folder above is tried next.
_TRAINING_CANDIDATES = tuple(
    root / "shared" / "training" / "anystyle-core.xml"
    for root in Path(__file__).resolve().parents[3:5]
)
DEFAULT_TRAINING_PATH = next(
    (p for p in _TRAINING_CANDIDATES if p.exists()), _TRAINING_CANDIDATES[0]
)
DEFAULT_ARCHIVE_ENDPOINT = "https://web.archive.org"
DEFAULT_ARCHIVE_CACHE_DIR = Path("cache")

F = TypeVar("F", bound=Callable[..., Any])


class CacheLocation(click.ParamType):  # type: ignore[type-arg]
    """`--cache`: a folder (SQLite cache) or a PostgreSQL URL, kept as a string (a Path would
    fold its `//`)."""

    name = "folder|postgresql://…"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path | str:
        text = str(value)
        if text.startswith(("postgresql://", "postgres://")):
            return text
        path = Path(value)
        if path.exists() and not path.is_dir():
            self.fail(f"{path}: not a folder", param, ctx)
        return path


def input_errors_exit_2(command: F) -> F:
    """Turn unusable input into one line on stderr and exit status 2, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (DocumentError, WriteError) as error:
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
    click.echo("citecheck: error: " + one_line(str(error)), err=True)
    sys.exit(EXIT_INPUT_ERROR)


def emit(text: str, output: Path | None) -> None:
    """Write to `output` (atomically when it is a regular file; see util.atomic), or to stdout."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_text_atomic(output, text if text.endswith("\n") else text + "\n")


class FiniteFloatRange(click.FloatRange):
    """A FloatRange that also refuses nan (which every range comparison lets through)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


def header_value(value: str | None, option: str) -> str | None:
    """`value` when it can be sent as an HTTP header value; a usage error (exit 2) when it
    holds a control character (CR or LF would end the header, or every request would fail)."""
    if value is not None and any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value):
        raise click.BadParameter(
            "must not hold control characters (CR, LF, ...)", param_hint=option
        )
    return value


def emit_chunks(chunks: Iterable[str], output: Path | None) -> None:
    """Text made of `chunks`, then a newline, to `output` or stdout, written piece by piece:
    the whole text of a large extract (many times the size of the input) is never held in
    memory at once."""
    ended = itertools.chain(chunks, ("\n",))
    if output is None:
        stream = click.get_text_stream("stdout")
        for chunk in ended:
            stream.write(chunk)
        stream.flush()
    else:
        write_chunks_atomic(output, ended)


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
    from citecheck.cite.citing import cite_corpus  # noqa: PLC0415
    from citecheck.cite.extraction import extract_json_chunks  # noqa: PLC0415
    from citecheck.cli.inputs import read_inputs  # noqa: PLC0415
    from citecheck.export.bibtex import Style, write_bib_files, write_documents  # noqa: PLC0415
    from citecheck.export.csl import write_csl_json  # noqa: PLC0415

    if bib_dir is not None and not bib_dir.is_dir():
        raise DocumentError(f"{quoted(bib_dir)}: no such folder (--bib-dir)")
    documents = list(read_inputs(paths).documents)
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
            click.echo("citecheck: warning: " + one_line(str(warning)), err=True)
        cited = archived_citations(cited, checked.verdicts)
    if bib_dir is not None:
        write_bib_files(cited, bib_dir, Style(style), force=force, on_warning=_warn)
    if output_format == "bibtex":
        emit(write_documents(cited, Style(style)), output)
    elif output_format == "csl-json":
        emit(write_csl_json(cited), output)
    else:
        emit_chunks(extract_json_chunks(documents, cited), output)


def _warn(message: str) -> None:
    click.echo("citecheck: warning: " + one_line(str(message)), err=True)


def _training_option(command: F) -> F:
    return click.option(
        "--training",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_TRAINING_PATH,
        show_default=True,
        help="AnyStyle-style labelled references (XML) for training and cross-validation.",
    )(command)


def _folds_option(command: F) -> F:
    return click.option(
        "--folds", type=click.IntRange(min=2, max=20), default=5, show_default=True
    )(command)


@main.command(name="eval")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--labels",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_LABELS_PATH,
    show_default=True,
    help="The hand-labelled citations to score against.",
)
@_training_option
@_folds_option
@click.option("--labels-only", is_flag=True, help="Skip the cross-validation; score only --labels.")
@input_errors_exit_2
def eval_command(
    paths: tuple[Path, ...], labels: Path, training: Path, folds: int, labels_only: bool
) -> None:
    """Score citation parsing: out of sample by k-fold cross-validation over the training
    set, then in sample on the labelled notes of the five texts."""
    from citecheck.cite.citing import cite_corpus  # noqa: PLC0415
    from citecheck.cite.evaluation import LabelError, evaluate, read_labels  # noqa: PLC0415
    from citecheck.cite.extraction import extract_paths  # noqa: PLC0415

    try:
        gold = read_labels(labels.read_text(encoding="utf-8"))
    except (OSError, LabelError) as error:
        click.echo("citecheck: error: " + one_line(f"{quoted(labels)}: {error}"), err=True)
        sys.exit(EXIT_INPUT_ERROR)
    if not labels_only and training == DEFAULT_TRAINING_PATH and not training.exists():
        click.echo(f"out of sample: skipped, no training data at {training} (give --training)")
        click.echo("")
    elif not labels_only:
        click.echo(_cross_validation_text(training, folds))
        click.echo("")
    cited = cite_corpus(extract_paths(paths))
    click.echo(
        "in sample: the five texts' labelled notes (footnotes, parsed by the rules that were "
        f"written for them; {labels})"
    )
    click.echo(evaluate(gold, cited).text())


def _cross_validation_text(training: Path, folds: int) -> str:
    """The out-of-sample report, or why there is none (exit 2 when the file is unusable)."""
    from citecheck.cite.training import TrainingDataError, evaluation_text  # noqa: PLC0415

    try:
        return evaluation_text(training, folds)
    except TrainingDataError as error:
        click.echo(f"citecheck: error: {error}", err=True)
        sys.exit(EXIT_INPUT_ERROR)


@main.command(name="train")
@_training_option
@_folds_option
@click.option(
    "--model",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: the one the package loads).",
)
@input_errors_exit_2
def train_command(training: Path, folds: int, model: Path | None) -> None:
    """Train the learned reference parser (deterministic) and print its out-of-sample scores."""
    from citecheck.cite.learned import MODEL_PATH  # noqa: PLC0415
    from citecheck.cite.training import TrainingDataError, train_and_report  # noqa: PLC0415

    target = model or MODEL_PATH
    try:
        click.echo(train_and_report(training, target, folds))
    except TrainingDataError as error:
        click.echo(f"citecheck: error: {error}", err=True)
        sys.exit(EXIT_INPUT_ERROR)
    click.echo(f"model written to {target}")


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
    type=FiniteFloatRange(min=0.01, max=86400.0),
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
@click.option(
    "--user-agent",
    callback=lambda ctx, param, value: header_value(value, "--user-agent"),
    help="Replace the User-Agent (citecheck/VERSION (+URL)).",
)
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
    type=CacheLocation(),
    default=Path("cache"),
    show_default=True,
    help="Cache folder, or a postgresql://… URL for a store shared by a cluster.",
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
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Run on a Dask cluster: a scheduler (tcp://host:8786) or local:N worker processes.",
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
