"""What `citecheck check` does between parsing options and exiting: gather the links,
run the check job, show progress, write JSON or text, choose the exit status."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TextIO

import click

from citecheck.judge.checking import (
    CheckHooks,
    CheckOptions,
    CheckResult,
    check_links,
    verdict_json,
)
from citecheck.judge.verdicts import FAILING_VERDICTS, VERDICT_WORDS, LinkVerdict, summarize
from citecheck.judge.wayback import DEFAULT_ENDPOINT, ArchiveMode
from citecheck.probe.freshness import Freshness
from citecheck.probe.links import (
    CitedUrl,
    Link,
    bib_problems,
    collect_links,
    urls_of_bib_file,
    urls_of_documents,
    urls_of_url_file,
    with_citation_facts,
)
from citecheck.probe.observation import DEFAULT_USER_AGENT, ProbeSettings
from citecheck.probe.proxy import ProxyError, ProxySettings, ca_bundle_setting
from citecheck.probe.store import is_database_url
from citecheck.read.model import DocumentError
from citecheck.util.atomic import WriteError, write_text_atomic
from citecheck.util.quoting import one_line, quoted
from citecheck.util.visible import visible

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2
EXIT_INTERRUPTED = 130
ARCHIVE_PER_MINUTE = 20.0  # archiveclient.API_REQUESTS_PER_MINUTE, without importing it
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
# Longer ages mean "forever" anyway, and far longer ones overflow timedelta and datetime.
MAX_AGE = timedelta(days=36525)
_AGE_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: str, option: str) -> timedelta:
    """`7d`, `12h`, `30m`, `45s`, `2w` or plain seconds; DocumentError-style message otherwise."""
    match = _AGE.match(text)
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not an age like 7d, 12h, 30m or 0", param_hint=option
        )
    seconds = float(match.group(1)) * _AGE_UNITS[match.group(2)]
    if seconds > MAX_AGE.total_seconds():
        raise click.BadParameter(f"{text!r} is longer than 100 years", param_hint=option)
    return timedelta(seconds=seconds)


def parse_pattern(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as error:
        raise click.BadParameter(f"{text!r}: {error}", param_hint="--exclude") from None


def network_settings(
    proxy: str | None, ca_bundle: str | None, environ: Mapping[str, str] | None = None
) -> tuple[ProxySettings, str | None]:
    """The proxy and CA bundle from the options and the standard environment variables;
    a bad proxy URL or a missing bundle is a DocumentError (one line, exit 2)."""
    environ = os.environ if environ is None else environ
    try:
        proxies = ProxySettings.from_environment(environ, override=proxy)
    except ProxyError as error:
        raise DocumentError(str(error)) from None
    bundle = ca_bundle_setting(ca_bundle, environ)
    if bundle is not None and not Path(bundle).is_file():
        raise DocumentError(f"{quoted(bundle)}: no such CA bundle file")
    return proxies, bundle


def gather_links(paths: Sequence[Path], url_files: Sequence[Path]) -> tuple[Link, ...]:
    """Links of the documents (notes and body), .bib `url` fields and URL files, grouped."""
    cited: list[CitedUrl] = []
    bib_files = [p for p in paths if p.suffix.lower() == ".bib"]
    documents = [p for p in paths if p.suffix.lower() != ".bib"]
    for path in bib_files:
        if not path.is_file():
            raise DocumentError(f"{quoted(path)}: no such file")
        cited.extend(urls_of_bib_file(path))
        for problem in bib_problems(path):
            click.echo("citecheck: warning: " + one_line(str(problem)), err=True)
    noted = []
    if documents or not (bib_files or url_files):
        # Imported only for texts: a check of URL and .bib files never loads the citation parser.
        from citecheck.cite.citing import cite_corpus  # noqa: PLC0415
        from citecheck.cli.inputs import read_inputs  # noqa: PLC0415

        noted = list(read_inputs(documents).documents)
        cited.extend(urls_of_documents(noted))
    for path in url_files:
        if not path.is_file():
            raise DocumentError(f"{quoted(path)}: no such file")
        cited.extend(urls_of_url_file(path))
    links = collect_links(cited)
    if not noted:
        return links
    from citecheck.judge.sites import suggested_links  # noqa: PLC0415 - texts only, as above

    works = cite_corpus(noted)
    citations = (c for d in works for n in d.notes for c in n.citations)
    return (*with_citation_facts(links, works), *suggested_links(citations, links))


class Progress:
    """A one-line bar with counts per verdict, redrawn at most ten times a second."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.counts: dict[str, int] = {}
        self.done = 0
        self._drawn = 0.0
        self._archive_started: float | None = None

    def __call__(self, verdict: LinkVerdict) -> None:
        self.done += 1
        self.counts[verdict.verdict] = self.counts.get(verdict.verdict, 0) + 1
        now = time.monotonic()
        if now - self._drawn >= 0.1 or self.done == self.total:
            self._drawn = now
            self.draw()

    def draw(self) -> None:
        width = 24
        filled = width * self.done // max(1, self.total)
        counts = " ".join(f"{w} {self.counts[w]}" for w in VERDICT_WORDS if w in self.counts)
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {counts}\x1b[K")
        self.stream.flush()

    def archive(self, looked_up: int, total: int) -> None:
        """The archive pass on a line of its own: how far, how fast, and what remains."""
        now = time.monotonic()
        if self._archive_started is None:
            self._archive_started = now
            self.finish()  # the probes' line stays as it ended
            self.done = 0
        self.stream.write(archive_line(looked_up, total, now - self._archive_started) + "\x1b[K")
        if looked_up == total:
            self.stream.write("\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.done:
            self.stream.write("\n")
            self.stream.flush()


def archive_line(looked_up: int, total: int, elapsed: float) -> str:
    """`\\rarchive 3/12 looked up, 19.6/min, about 28 s left`: the rate is measured once a
    lookup is done; before that, the archive's limit of 20 requests a minute is assumed."""
    per_minute = 60.0 * looked_up / elapsed if looked_up and elapsed > 0 else 0.0
    pace = per_minute if per_minute else ARCHIVE_PER_MINUTE
    left = (total - looked_up) * 60.0 / pace
    rate = f", {per_minute:.1f}/min" if per_minute else ""
    remaining = f", about {left:.0f} s left" if looked_up < total else ", done"
    return f"\rarchive {looked_up}/{total} looked up{rate}{remaining}"


def render_json(result: CheckResult) -> str:
    """The issue's JSON shape, one link per line: readable, diffable, and fast to write
    (indented output would fall back to json's slow pure-Python encoder)."""
    links = ",\n".join(
        "  " + json.dumps(verdict_json(v), ensure_ascii=False) for v in result.verdicts
    )
    summary = json.dumps(summarize(result.verdicts))
    # "partial" only when interrupted, so that a complete report keeps its shape
    head = '{"partial": true, "links": [' if result.partial else '{"links": ['
    opening = head + "\n" if links else head
    closing = "\n]," if links else "],"
    return f'{opening}{links}{closing}\n "summary": {summary}}}\n'


def render_text(result: CheckResult) -> str:
    """Every link that is not ok, with its reason and where it is cited; then the counts."""
    lines: list[str] = []
    if result.partial:
        lines.append("PARTIAL REPORT: the run was interrupted; unprobed links are unchecked")
    for verdict in result.verdicts:
        if verdict.verdict == "ok":
            continue
        lines.append(f"{verdict.verdict:<10} {verdict.url}")
        if verdict.suggested_for:
            lines.append(f"{'':<10} suggested for {verdict.suggested_for} (cited without a URL)")
        lines.append(f"{'':<10} {verdict.reason}")
        if verdict.successor_url:
            lines.append(f"{'':<10} now at {verdict.successor_url}")
        if verdict.archive_url:
            lines.append(f"{'':<10} archived {verdict.archive_url}")
        for place in verdict.cited_in:
            where = f"{place.document}:{place.line}" if place.line else place.document
            note = f" (note {place.note})" if place.note is not None else ""
            lines.append(f"{'':<10} cited at {where}{note}")
    summary = summarize(result.verdicts)
    counts = ", ".join(f"{word} {count}" for word, count in summary.items() if count) or "nothing"
    lines.append(f"{len(result.verdicts)} link(s): {counts}")
    return "\n".join(visible(line) for line in lines) + "\n"  # a server's text never reaches
    # the terminal raw: `ESC[2K` in a Location is shown as `\x1b[2K`, not obeyed


DEFAULT_LOCAL_CACHE = Path("cache")


def local_cache_dir(location: Path | str) -> Path:
    """The folder for what stays on this machine (archive answers, audit state): the cache
    folder itself, or `cache/` when the observations live in a PostgreSQL database."""
    return DEFAULT_LOCAL_CACHE if is_database_url(location) else Path(location)


def check_options(
    *,
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
    exclude: Sequence[str],
    archive: ArchiveMode,
    archive_endpoint: str,
    proxy: str | None,
    ca_bundle: str | None,
    configured_exclude: Sequence[re.Pattern[str]] = (),
) -> CheckOptions:
    """The check job's options from the flags `check` and `audit` share, parsed in one place
    so the two commands cannot drift apart. `configured_exclude` (from a configuration file)
    comes before the `--exclude` patterns."""
    proxies, bundle = network_settings(proxy, ca_bundle)
    patterns = tuple(parse_pattern(text) for text in exclude)
    return CheckOptions(
        probe=ProbeSettings(
            timeout=timeout,
            concurrency=concurrency,
            per_host=per_host,
            user_agent=user_agent or DEFAULT_USER_AGENT,
            allow_private=allow_private,
            head_first=head_first,
            proxy=proxies,
            ca_bundle=bundle,
        ),
        cache_dir=None if no_cache else local_cache_dir(cache_dir),
        store=None if no_cache or not is_database_url(cache_dir) else str(cache_dir),
        freshness=Freshness(
            live=parse_age(max_age, "--max-age"),
            failed=parse_age(max_failed_age, "--max-failed-age"),
        ),
        offline=offline,
        exclude=(*configured_exclude, *patterns),
        archive=archive,
        archive_endpoint=archive_endpoint,
    )


def run_check(
    *,
    paths: Sequence[Path],
    url_files: Sequence[Path],
    output_format: str,
    output: Path | None,
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
    hooks: CheckHooks | None = None,
) -> int:
    """Run `citecheck check`; returns the exit status."""
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
    )
    links = gather_links(paths, url_files)
    progress = None
    if not quiet and sys.stderr.isatty() and links:
        progress = Progress(len(links), sys.stderr)
    hooks = hooks or CheckHooks()
    if progress is not None:
        hooks = CheckHooks(
            resolver=hooks.resolver,
            rules=hooks.rules,
            network_canary=hooks.network_canary,
            address_policy=hooks.address_policy,
            on_verdict=progress,
            archive_client=hooks.archive_client,
            on_archive=progress.archive,
        )
    try:
        result = check_links(links, options, hooks)
    except KeyboardInterrupt:
        if progress is not None:
            progress.finish()
        click.echo("citecheck: interrupted; observations made so far are in the cache", err=True)
        return EXIT_INTERRUPTED
    if progress is not None:
        progress.finish()
    for warning in result.warnings:
        click.echo("citecheck: warning: " + one_line(str(warning)), err=True)
    text = render_json(result) if output_format == "json" else render_text(result)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        try:
            write_text_atomic(output, text if text.endswith("\n") else text + "\n")
        except WriteError as error:
            raise DocumentError(str(error)) from None
    if result.partial:
        return EXIT_INTERRUPTED
    failing = any(v.verdict in FAILING_VERDICTS and not v.suggested_for for v in result.verdicts)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
