"""What `citecheck audit` does between parsing options and exiting.

Read the configuration, extract and parse the texts, check their links with the
same options as `check`, read the link history (the prober's cache and the last
audit's state), conclude, write the report and the state, choose the exit status.
"""

from __future__ import annotations

import errno
import io
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeAlias

import click

from citecheck.cite.citation import Citation, CitedDocument
from citecheck.cite.citing import cite_corpus
from citecheck.cite.extraction import noted_document_json
from citecheck.cli.check import EXIT_INTERRUPTED, Progress, check_options, local_cache_dir
from citecheck.cli.config import Config, find_config, load_baseline, load_config
from citecheck.cli.config import write_baseline as save_baseline
from citecheck.cli.inputs import read_inputs, warn_unreadable
from citecheck.cluster.progress import ClusterProgress
from citecheck.findings.analysis import AuditResult
from citecheck.findings.audit import EXIT_CLEAN, Judgement, Stages, conclude, exit_status
from citecheck.findings.finding import FindingKind, parse_kinds
from citecheck.findings.history import (
    STATE_FILE,
    AuditState,
    StateProblem,
    load_state,
    record_state,
)
from citecheck.findings.linkhealth import AuditRecord
from citecheck.judge.checking import (
    CheckHooks,
    CheckOptions,
    CheckResult,
    check_links,
    open_observations,
)
from citecheck.judge.sites import installed_rule_lookup, suggested_links
from citecheck.judge.verdicts import classify
from citecheck.judge.wayback import DEFAULT_ENDPOINT, ArchiveMode
from citecheck.probe.links import (
    CitedUrl,
    Link,
    collect_links,
    urls_of_bib_file,
    urls_of_documents,
    urls_of_url_file,
    with_citation_facts,
)
from citecheck.probe.observation import RuleLookup
from citecheck.probe.store import is_database_url
from citecheck.read.corpus import ReadCorpus
from citecheck.read.model import DocumentError, NotedDocument
from citecheck.reports import ReportFormat, render
from citecheck.reports import json as json_report
from citecheck.util.atomic import WriteError, write_chunks_atomic, write_text_atomic
from citecheck.util.deferred import DeferredMapping
from citecheck.util.quoting import one_line, quoted

HISTORY_VERDICTS = frozenset({"dead"})
"""Links whose cached observation history is read: only a failure needs confirming."""

INTERRUPTED_BEFORE_REPORT = (
    "interrupted before anything could be reported; observations made so far are in the cache"
)
INTERRUPTED_ANALYSIS = (
    "interrupted during analysis: the report is partial; it gives the link verdicts only "
    "(no dates, duplicates or link history), and no state was saved"
)


@dataclass(frozen=True)
class AuditSettings:
    """The audit's own options, after the configuration file has filled the gaps."""

    report_format: ReportFormat
    output: Path | None
    fail_on: frozenset[FindingKind]
    since_last: bool
    baseline: Path | None
    write_baseline: Path | None
    color: bool


def run_audit(
    *,
    paths: Sequence[Path],
    url_files: Sequence[Path],
    report_format: str,
    output: Path | None,
    fail_on: str | None,
    since_last: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    config_path: Path | None,
    color: bool | None,
    timeout: float,
    concurrency: int,
    per_host: int,
    user_agent: str | None,
    allow_private: bool,
    head_first: bool,
    cache_dir: Path | str,
    no_cache: bool,
    max_age: str,
    max_failed_age: str,
    offline: bool,
    quiet: bool,
    exclude: Sequence[str] = (),
    archive: ArchiveMode = "failed",
    archive_endpoint: str = DEFAULT_ENDPOINT,
    proxy: str | None = None,
    ca_bundle: str | None = None,
    explicit: frozenset[str] = frozenset(),
    hooks: CheckHooks | None = None,
    now: datetime | None = None,
    cluster: str | None = None,
) -> int:
    """Run `citecheck audit`; returns the exit status. `explicit` names options given on the
    command line (they win over the configuration file)."""
    config = _config(config_path)
    if config.paths and not paths:
        paths = [Path(p) for p in config.paths]
    if config.cache and "cache_dir" not in explicit:
        cache_dir = config.cache if is_database_url(config.cache) else Path(config.cache)
    if config.cluster and "cluster" not in explicit:
        cluster = config.cluster
    if config.timeout and "timeout" not in explicit:
        timeout = config.timeout
    if config.per_host and "per_host" not in explicit:
        per_host = config.per_host
    if config.concurrency and "concurrency" not in explicit:
        concurrency = config.concurrency
    settings = AuditSettings(
        report_format=ReportFormat(report_format),
        output=output,
        fail_on=_fail_on(fail_on, config),
        since_last=since_last,
        baseline=baseline or (Path(config.baseline) if config.baseline else None),
        write_baseline=write_baseline,
        color=sys.stdout.isatty() and output is None if color is None else color,
    )
    options = check_options(
        timeout=timeout,
        concurrency=concurrency,
        per_host=per_host,
        user_agent=user_agent,
        allow_private=allow_private,
        head_first=head_first,
        cache_dir=cache_dir,
        no_cache=no_cache,
        max_age=max_age,
        max_failed_age=max_failed_age,
        offline=offline,
        exclude=exclude,
        archive=archive,
        archive_endpoint=archive_endpoint,
        proxy=proxy,
        ca_bundle=ca_bundle,
        configured_exclude=config.exclude_urls,
    )
    text_paths = [p for p in paths if p.suffix.lower() != ".bib"]
    if cluster is not None:
        shown = ClusterProgress(io.StringIO() if quiet else sys.stderr)

        def on_cluster(client: Any, read: Reader) -> int:
            from citecheck.cluster.probing import ClusterProber  # noqa: PLC0415

            prober = ClusterProber(client, options.store, on_shard=shown.probing)
            return run_audit_steps(
                settings, config, options, paths=paths, url_files=url_files,
                text_paths=text_paths, hooks=replace(hooks or CheckHooks(), prober=prober),
                quiet=True, no_cache=no_cache, cache_dir=cache_dir, now=now, read=read,
            )  # fmt: skip

        return _run_on_cluster(cluster, on_cluster, shown)
    return run_audit_steps(
        settings, config, options, paths=paths, url_files=url_files, text_paths=text_paths,
        hooks=hooks, quiet=quiet, no_cache=no_cache, cache_dir=cache_dir, now=now,
    )  # fmt: skip


Reader: TypeAlias = Callable[[Sequence[Path]], tuple[ReadCorpus, tuple[CitedDocument, ...]]]


def read_in_process(paths: Sequence[Path]) -> tuple[ReadCorpus, tuple[CitedDocument, ...]]:
    """Read and cite here; a folder's unreadable files are warned about and skipped."""
    corpus = read_inputs(paths)
    return corpus, cite_corpus(corpus.documents)


def run_audit_steps(
    settings: AuditSettings,
    config: Config,
    options: CheckOptions,
    *,
    paths: Sequence[Path],
    url_files: Sequence[Path],
    text_paths: Sequence[Path],
    hooks: CheckHooks | None,
    quiet: bool,
    no_cache: bool,
    cache_dir: Path | str,
    now: datetime | None,
    read: Reader = read_in_process,
) -> int:
    """Read, check, analyse and report, with the reading (and probing, through the hooks)
    done in-process or on a cluster."""
    try:
        corpus, cited = read(text_paths) if text_paths or not paths else (ReadCorpus(()), ())
        documents = list(corpus.documents)
        links = _links(documents, paths, url_files)
        citations = tuple(c for d in cited for n in d.notes for c in n.citations)
        links = (*with_citation_facts(links, cited), *suggested_links(citations, links))
    except KeyboardInterrupt:  # nothing observed yet: nothing to report
        click.echo(f"citecheck: {INTERRUPTED_BEFORE_REPORT}", err=True)
        return EXIT_INTERRUPTED
    hooks = hooks or CheckHooks()
    progress = None
    if not quiet and sys.stderr.isatty() and links:
        progress = Progress(len(links), sys.stderr)
        hooks = replace(hooks, on_verdict=progress, on_archive=progress.archive)
    try:
        checked = check_links(links, options, hooks)
    except KeyboardInterrupt:
        click.echo(f"citecheck: {INTERRUPTED_BEFORE_REPORT}", err=True)
        return EXIT_INTERRUPTED
    finally:
        if progress is not None:
            progress.finish()
    for warning in checked.warnings:
        click.echo("citecheck: warning: " + one_line(str(warning)), err=True)
    try:
        return _conclude_and_report(
            settings,
            config,
            checked,
            options=options,
            hooks=hooks,
            documents=documents,
            unreadable=tuple(f"{u.message} (not read)" for u in corpus.unreadable),
            cited=cited,
            citations=citations,
            state_path=None if no_cache else local_cache_dir(cache_dir) / STATE_FILE,
            now=now,
        )
    except KeyboardInterrupt:  # Ctrl-C after probing: the links are known, report them
        return _report_interrupted_analysis(settings, checked, now)


# Why a state file cannot be written on read-only storage (a full disk is not among them).
_NOT_WRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def _conclude_and_report(
    settings: AuditSettings,
    config: Config,
    checked: CheckResult,
    *,
    options: CheckOptions,
    hooks: CheckHooks,
    documents: Sequence[NotedDocument],
    unreadable: tuple[str, ...],
    cited: Sequence[CitedDocument],
    citations: tuple[Citation, ...],
    state_path: Path | None,
    now: datetime | None,
) -> int:
    """Analyse, save the state, write the report; returns the exit status."""
    previous = _previous_state(state_path)
    moment = now or datetime.now(UTC)
    result, state = conclude(
        Stages(
            documents=tuple(documents),
            citations=citations,
            verdicts=checked.verdicts,
            problems=(*checked.warnings, *unreadable),
            extracted=tuple(  # made as the report writes them, not held through analysis
                DeferredMapping(partial(noted_document_json, d, c))
                for d, c in zip(documents, cited, strict=True)
            ),
        ),
        previous,
        now=moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
        today=moment.date(),
        judgement=Judgement(
            fail_on=settings.fail_on,
            accepted=load_baseline(settings.baseline) if settings.baseline else frozenset(),
            policy=config.flapping,
            since_last=settings.since_last,
        ),
        observed=_observed_history(checked, options, hooks.rules),
    )
    if state_path is not None and not checked.partial:  # a partial run is no history
        try:
            record_state(state_path, state)
        except WriteError as error:
            if not options.offline or error.errno not in _NOT_WRITABLE:
                raise
            # --offline reads a cache that may sit on read-only storage: the audit still
            # reports, and the next one compares with the last state that was saved.
            click.echo(f"citecheck: warning: {one_line(str(error))}; audit state not saved",
                       err=True)  # fmt: skip
    if settings.write_baseline is not None and not checked.partial:
        save_baseline(settings.write_baseline, [*result.findings, *result.accepted])
        click.echo(
            f"citecheck: accepted {len(result.findings) + len(result.accepted)} finding(s) "
            f"in {settings.write_baseline}",
            err=True,
        )
        return EXIT_CLEAN
    _write_report(settings, result)
    if checked.partial:  # Ctrl-C while probing: the report says so among its problems
        return EXIT_INTERRUPTED
    return exit_status(result)


def _report_interrupted_analysis(
    settings: AuditSettings, checked: CheckResult, now: datetime | None
) -> int:
    """The link verdicts alone, marked partial: no dates, duplicates or history (and no
    state or baseline saved). A second Ctrl-C gives up on the report too."""
    try:
        moment = now or datetime.now(UTC)
        result, _ = conclude(
            Stages(
                documents=(),
                citations=(),
                verdicts=checked.verdicts,
                problems=(*checked.warnings, INTERRUPTED_ANALYSIS),
            ),
            AuditState(),
            now=moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
            today=moment.date(),
            judgement=Judgement(fail_on=settings.fail_on),
        )
        _write_report(settings, result)
    except KeyboardInterrupt:
        click.echo(f"citecheck: {INTERRUPTED_BEFORE_REPORT}", err=True)
        return EXIT_INTERRUPTED
    click.echo(f"citecheck: {INTERRUPTED_ANALYSIS}", err=True)
    return EXIT_INTERRUPTED


def _write_report(settings: AuditSettings, result: AuditResult) -> None:
    """The report on stdout, or atomically in its file: the JSON report streamed there
    item by item, never held whole in memory (the audit's peak; docs/speed.md)."""
    if settings.output is None:
        text = render(settings.report_format, result, color=settings.color)
        click.echo(text, nl=not text.endswith("\n"), color=settings.color)
        return
    try:
        if settings.report_format is ReportFormat.JSON:
            write_chunks_atomic(settings.output, json_report.chunks(result))
        else:
            text = render(settings.report_format, result, color=settings.color)
            write_text_atomic(settings.output, text)
    except WriteError as error:
        raise DocumentError(str(error)) from None


def _config(config_path: Path | None) -> Config:
    if config_path is not None:
        return load_config(config_path)
    found = find_config(Path.cwd())
    return load_config(found) if found is not None else Config()


def _fail_on(given: str | None, config: Config) -> frozenset[FindingKind]:
    if given is None:
        return config.fail_on if config.fail_on is not None else Judgement().fail_on
    try:
        return parse_kinds(given)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fail-on") from None


def _links(
    documents: Sequence[NotedDocument], paths: Sequence[Path], url_files: Sequence[Path]
) -> tuple[Link, ...]:
    """The links of the texts, of .bib url fields and of URL files (as `check` gathers them)."""
    cited: list[CitedUrl] = list(urls_of_documents(documents))
    for path in [p for p in paths if p.suffix.lower() == ".bib"]:
        if not path.is_file():
            raise DocumentError(f"{quoted(path)}: no such file")
        cited.extend(urls_of_bib_file(path))
    for path in url_files:
        if not path.is_file():
            raise DocumentError(f"{quoted(path)}: no such file")
        cited.extend(urls_of_url_file(path))
    return collect_links(cited)


def _previous_state(path: Path | None) -> AuditState:
    if path is None:
        return AuditState()
    state = load_state(path)
    if isinstance(state, StateProblem):
        click.echo(
            "citecheck: warning: "
            + one_line(f"{state.path}: {state.reason}; starting a new history"),
            err=True,
        )
        return AuditState()
    return state


def _observed_history(
    checked: CheckResult, options: CheckOptions, rules: RuleLookup | None
) -> Mapping[str, tuple[AuditRecord, ...]]:
    """Every cached observation of each failing link, judged afresh, as history records."""
    failing = [v for v in checked.verdicts if v.verdict in HISTORY_VERDICTS]
    cache_dir = options.cache_dir
    if not failing or (options.store is None and (cache_dir is None or not cache_dir.exists())):
        return {}
    lookup = rules or installed_rule_lookup()
    history: dict[str, tuple[AuditRecord, ...]] = {}
    store = open_observations(options, read_only=True)
    if store is None:
        return {}
    with store as cache:
        for verdict in failing:
            rule = lookup(verdict.normalized_url)
            history[verdict.normalized_url] = tuple(
                AuditRecord(observation.checked_at, classify(observation, rule)[0])
                for observation in cache.history(verdict.normalized_url)
            )
    return history


def _run_on_cluster(address: str, run: Callable[[Any, Reader], int], shown: ClusterProgress) -> int:
    """Connect (or start a local cluster), run the audit's steps there, and disconnect."""
    from citecheck.cluster.engine import ClusterError, connected  # noqa: PLC0415
    from citecheck.cluster.reading import read_on_cluster  # noqa: PLC0415

    try:
        with connected(address) as client:

            def read(paths: Sequence[Path]) -> tuple[ReadCorpus, tuple[CitedDocument, ...]]:
                corpus, cited = read_on_cluster(client, paths, on_batch=shown.documents)
                warn_unreadable(corpus)
                return corpus, cited

            status: int = run(client, read)
            return status
    except ClusterError as error:  # one line, as every other unusable input
        click.echo("citecheck: error: " + one_line(str(error)), err=True)
        return 2
    finally:
        shown.finish()
