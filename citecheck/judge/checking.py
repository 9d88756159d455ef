"""The check job: links → observations (from the cache or the network) → verdicts.

Callable from Python as well as from `citecheck check`. The cache is consulted
first; only links without a fresh observation are probed, and every new
observation is appended to the cache as it arrives, in batches committed by a
thread of their own (`citecheck.probe.cachewriter`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from citecheck.judge.archive import archive_pass, wants_lookup
from citecheck.judge.sites import find_successors, installed_rule_lookup
from citecheck.judge.verdicts import LinkVerdict, judge
from citecheck.judge.wayback import DEFAULT_ENDPOINT, ArchiveMode
from citecheck.probe.freshness import Freshness
from citecheck.probe.links import CitedUrl, Link, collect_links, normalize_url
from citecheck.probe.observation import (
    UNPROBED_ERRORS,
    AddressPolicy,
    NetworkCanary,
    NetworkDecision,
    Observation,
    ProbeRun,
    ProbeSettings,
    RuleLookup,
)
from citecheck.probe.proxy import routed_session
from citecheck.probe.run import run_probes
from citecheck.probe.store import ObservationStore, open_store
from citecheck.read.model import Place

# The cache (SQLite) loads only when a cache is used, the archive client (requests) only
# when something is looked up: most checks need neither.
if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from citecheck.judge.archiveclient import ArchiveClient
    from citecheck.probe.cachewriter import CacheWriter

OFFLINE_WARNING = "network unreachable: {count} link(s) left unchecked; nothing is reported as dead"
INTERRUPTED = "interrupted before probing"
INTERRUPTED_WARNING = (
    "interrupted: {count} link(s) left unchecked; the report is partial "
    "(every observation made so far is in the cache)"
)


@dataclass(frozen=True)
class CheckOptions:
    """Everything `check` needs besides the links; defaults are the CLI's."""

    probe: ProbeSettings = field(default_factory=ProbeSettings)
    cache_dir: Path | None = Path("cache")
    store: str | None = None  # a PostgreSQL URL: observations go there instead of cache_dir
    freshness: Freshness = field(default_factory=Freshness)
    offline: bool = False
    archive: ArchiveMode = "failed"
    archive_endpoint: str = DEFAULT_ENDPOINT
    exclude: tuple[re.Pattern[str], ...] = ()

    def excludes(self, link: Link) -> bool:
        """Whether a configured pattern matches the link's normalised URL (never probed)."""
        return any(pattern.search(link.normalized_url) for pattern in self.exclude)


@dataclass(frozen=True)
class CheckResult:
    """Verdicts in link order, whether the network was there, and what it cost."""

    verdicts: tuple[LinkVerdict, ...]
    network: NetworkDecision
    probed: int
    from_cache: int
    warnings: tuple[str, ...] = ()
    partial: bool = False  # interrupted (Ctrl-C): links not yet observed are unchecked


class Prober(Protocol):
    """What probes a list of links: `run_probes` in-process, or a cluster's prober."""

    def __call__(
        self,
        links: Sequence[Link],
        settings: ProbeSettings,
        *,
        resolver: AbstractResolver | None = None,
        rules: RuleLookup = ...,
        network_canary: NetworkCanary | None = None,
        on_observation: Callable[[Link, Observation], None] | None = None,
        address_policy: AddressPolicy | None = None,
    ) -> ProbeRun: ...


def open_observations(options: CheckOptions, *, read_only: bool = False) -> ObservationStore | None:
    """The store the options name: PostgreSQL, the SQLite cache folder, or none. `read_only`
    opens the SQLite cache so that a read-only folder still serves (nothing will be written)."""
    if options.store is not None:
        return open_store(options.store)
    if options.cache_dir is None:
        return None
    from citecheck.probe.cache import ObservationCache  # noqa: PLC0415 - sqlite3 only when used

    return ObservationCache(options.cache_dir, read_only=read_only)


@dataclass(frozen=True)
class CheckHooks:
    """Injection points for tests and the bench (the CLI uses the defaults)."""

    resolver: AbstractResolver | None = None
    rules: RuleLookup | None = None
    network_canary: NetworkCanary | None = None
    address_policy: AddressPolicy | None = None
    on_verdict: Callable[[LinkVerdict], None] | None = None
    archive_client: ArchiveClient | None = None
    prober: Prober | None = None  # run_probes, or a cluster's sharded prober
    on_archive: Callable[[int, int], None] | None = None  # (looked up, to look up)


def check_links(
    links: Sequence[Link], options: CheckOptions, hooks: CheckHooks | None = None
) -> CheckResult:
    """Judge every link, probing only those without a fresh cached observation."""
    hooks = hooks or CheckHooks()
    rules = hooks.rules or installed_rule_lookup()
    cache = open_observations(options, read_only=options.offline)  # offline writes nothing
    writer: CacheWriter | None = None
    prober: Prober = hooks.prober or run_probes
    already_recorded = bool(getattr(hooks.prober, "records", False))
    try:
        cached = cache.latest(link.normalized_url for link in links) if cache else {}
        judged: dict[str, LinkVerdict] = {}

        def settle(link: Link, observation: Observation | None, why: str | None = None) -> None:
            verdict = judge(link, observation, rules(link.normalized_url), unchecked_reason=why)
            judged[link.normalized_url] = verdict
            if hooks.on_verdict is not None:
                hooks.on_verdict(verdict)

        excluded = [link for link in links if options.excludes(link)]
        for link in excluded:
            settle(link, None, "excluded by configuration")
        links_to_judge = [link for link in links if link.normalized_url not in judged]
        if options.offline:
            for link in links_to_judge:
                settle(link, cached.get(link.normalized_url), "offline, not in cache")
            return CheckResult(
                verdicts=tuple(judged[link.normalized_url] for link in links),
                network=NetworkDecision("offline", "--offline"),
                probed=0,
                from_cache=sum(1 for link in links_to_judge if link.normalized_url in cached),
            )

        now = datetime.now(UTC)
        to_probe: list[Link] = []
        for link in links_to_judge:
            observation = cached.get(link.normalized_url)
            if observation is not None and options.freshness.is_fresh(observation, now):
                settle(link, observation)
            else:
                to_probe.append(link)

        observed_now: dict[str, Observation] = {}
        if to_probe and options.cache_dir is not None and options.store is None:
            from citecheck.probe.cachewriter import CacheWriter  # noqa: PLC0415

            writer = CacheWriter(options.cache_dir)  # batched, off the event loop

        def observed(link: Link, observation: Observation) -> None:
            if not already_recorded and observation.error not in UNPROBED_ERRORS:
                if writer is not None:
                    writer.add(link.normalized_url, observation)
                elif cache is not None:  # the PostgreSQL store: each write commits at once
                    cache.record(link.normalized_url, observation)
            observed_now[link.normalized_url] = observation  # for a partial report
            if hooks.on_verdict is not None:  # judged now only for someone watching
                settle(link, observation)

        warnings: list[str] = []
        network = NetworkDecision("online", "nothing was sent")
        if to_probe:
            try:
                run = prober(
                    to_probe,
                    options.probe,
                    resolver=hooks.resolver,
                    rules=rules,
                    network_canary=hooks.network_canary,
                    on_observation=observed,
                    address_policy=hooks.address_policy,
                )
            except KeyboardInterrupt:
                # Ctrl-C: what was observed is judged (and already cached); the rest is
                # unchecked, and the report says it is partial.
                left = [link for link in to_probe if link.normalized_url not in observed_now]
                for link in to_probe:
                    settle(link, observed_now.get(link.normalized_url), INTERRUPTED)
                return CheckResult(
                    verdicts=tuple(judged[link.normalized_url] for link in links),
                    network=network,
                    probed=len(to_probe) - len(left),
                    from_cache=len(links_to_judge) - len(to_probe),
                    warnings=(INTERRUPTED_WARNING.format(count=len(left)),),
                    partial=True,
                )
            network = run.network
            for link in to_probe:
                if link.normalized_url not in judged:
                    settle(link, run.observations.get(link.normalized_url), "not probed")
            if network.state == "offline":
                warnings.append(OFFLINE_WARNING.format(count=len(to_probe)))
        verdicts = tuple(judged[link.normalized_url] for link in links)
        if network.state != "offline":
            verdicts, found_warnings = _after_verdicts(
                verdicts, links, options, hooks, rules, cache=cache
            )
            warnings.extend(found_warnings)
        return CheckResult(
            verdicts=verdicts,
            network=network,
            probed=len(to_probe),
            from_cache=len(links_to_judge) - len(to_probe),
            warnings=tuple(warnings),
        )
    finally:
        try:
            if writer is not None:
                writer.close()  # everything observed is committed before we return
        finally:
            if cache is not None:
                cache.close()


def _after_verdicts(
    verdicts: tuple[LinkVerdict, ...],
    links: Sequence[Link],
    options: CheckOptions,
    hooks: CheckHooks,
    rules: RuleLookup,
    *,
    cache: ObservationStore | None = None,
) -> tuple[tuple[LinkVerdict, ...], list[str]]:
    """The passes over judged links: site-rule successors, then the archive fallback.

    Successor candidates go through the cache like cited links (fresh observations are
    reused, new ones stored), so a warm re-run sends no request at all.
    """

    def probe(urls: Sequence[str]) -> dict[str, Observation]:
        candidates = collect_links(CitedUrl(url, Place("successor candidate")) for url in urls)
        now = datetime.now(UTC)
        cached = cache.latest(c.normalized_url for c in candidates) if cache else {}
        seen = {
            url: observation
            for url, observation in cached.items()
            if options.freshness.is_fresh(observation, now)
        }
        to_probe = [c for c in candidates if c.normalized_url not in seen]
        if to_probe:
            run = run_probes(
                to_probe,
                options.probe,
                resolver=hooks.resolver,
                rules=rules,
                network_canary=hooks.network_canary,
                address_policy=hooks.address_policy,
            )
            new = {u: o for u, o in run.observations.items() if o.error not in UNPROBED_ERRORS}
            if cache is not None and run.network.state != "offline":
                cache.record_many(new.items())
            seen |= run.observations
        return {url: seen[normalize_url(url)] for url in urls if normalize_url(url) in seen}

    verdicts = find_successors(verdicts, links, probe)
    # A suggested URL is not the author's: no archived copy of it is wanted.
    own = [verdict for verdict in verdicts if verdict.suggested_for is None]
    if not any(wants_lookup(verdict, options.archive) for verdict in own):
        return verdicts, []  # and no archive client (nor its HTTP library) is set up
    from citecheck.judge.archiveclient import ArchiveCache, ArchiveClient  # noqa: PLC0415

    client, archive_cache = hooks.archive_client, None
    if client is None:
        if options.cache_dir is not None:
            archive_cache = ArchiveCache.in_dir(options.cache_dir)
        session = routed_session(options.probe.proxy, options.probe.ca_bundle)
        client = ArchiveClient(options.archive_endpoint, cache=archive_cache, session=session)
    try:
        archived = archive_pass(own, links, client, options.archive, hooks.on_archive)
    finally:
        if archive_cache is not None:
            archive_cache.close()
    looked_up = iter(archived.verdicts)
    merged = tuple(v if v.suggested_for is not None else next(looked_up) for v in verdicts)
    return merged, list(archived.warnings)


def verdict_json(verdict: LinkVerdict) -> dict[str, Any]:
    """The stable JSON shape of one link (documented in docs/probing-and-cache.md)."""
    return {
        "url": verdict.url,
        "normalized_url": verdict.normalized_url,
        "verdict": verdict.verdict,
        "status": verdict.status,
        "final_url": verdict.final_url,
        "redirects": list(verdict.redirects),
        "reason": verdict.reason,
        "archive_url": verdict.archive_url,
        "archive_timestamp": verdict.archive_timestamp,
        "rule": verdict.rule,
        "successor_url": verdict.successor_url,
        "suggested_for": verdict.suggested_for,
        "checked_at": verdict.checked_at,
        "cited_in": [
            {"document": place.document, "note": place.note, "line": place.line}
            for place in verdict.cited_in
        ],
    }
