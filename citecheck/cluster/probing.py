"""Probing on the workers, sharded by host: every link of one host goes to one worker.

So the per-host limit and a host's Retry-After hold across the whole cluster, however many
workers there are. Hosts are balanced over the workers by link count (largest first, each
to the least loaded worker). With a PostgreSQL store each worker writes its observations as
they arrive, so a worker killed mid-shard loses only its probes in flight; Dask runs the
shard again elsewhere and the client merges what comes back.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from citecheck.judge.sites import installed_rule_lookup
from citecheck.probe.links import Link, host_of
from citecheck.probe.observation import NetworkDecision, Observation, ProbeRun, ProbeSettings
from citecheck.probe.run import run_probes
from citecheck.probe.store import open_store

if TYPE_CHECKING:
    from distributed import Client


def shard_by_host(links: Sequence[Link], shards: int) -> list[list[Link]]:
    """`shards` lists of links; all links of a host in one list, lists balanced by count."""
    by_host: dict[str, list[Link]] = {}
    for link in links:
        by_host.setdefault(host_of(link.normalized_url), []).append(link)
    heap = [(0, index) for index in range(max(1, shards))]
    out: list[list[Link]] = [[] for _ in heap]
    for _host, group in sorted(by_host.items(), key=lambda item: (-len(item[1]), item[0])):
        load, index = heapq.heappop(heap)
        out[index].extend(group)
        heapq.heappush(heap, (load + len(group), index))
    return [shard for shard in out if shard]


def probe_shard(links: Sequence[Link], settings: ProbeSettings, store: str | None) -> ProbeRun:
    """On a worker: probe one shard, writing each observation to the shared store at once."""
    rules = installed_rule_lookup()
    if store is None:
        return run_probes(links, settings, rules=rules)
    with open_store(store) as shared:

        def keep(link: Link, observation: Observation) -> None:
            if observation.error not in {"offline"}:
                shared.record(link.normalized_url, observation)

        return run_probes(links, settings, rules=rules, on_observation=keep)


@dataclass
class ClusterProber:
    """A drop-in for `run_probes` that runs the shards on the cluster's workers."""

    client: Client
    store: str | None = None  # a PostgreSQL URL the workers write to, or None
    # told (shards done, shards, links done, links, hosts still waiting) as shards finish
    on_shard: Callable[[int, int, int, int, int], None] | None = None
    shards_per_worker: int = 4  # more, smaller shards: finer progress and balance
    shards_run: list[int] = field(default_factory=list)

    @property
    def records(self) -> bool:
        """Whether the workers already wrote the observations (the client must not again)."""
        return self.store is not None

    def __call__(
        self,
        links: Sequence[Link],
        settings: ProbeSettings,
        *,
        on_observation: Callable[[Link, Observation], None] | None = None,
        **_local_only: Any,
    ) -> ProbeRun:
        from distributed import as_completed  # noqa: PLC0415

        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        shards = shard_by_host(links, workers * self.shards_per_worker)
        self.shards_run.append(len(shards))
        futures = {
            self.client.submit(
                probe_shard,
                shard,
                settings,
                self.store,
                key=f"probe-{i}-{host_of(shard[0].normalized_url)}",
                retries=3,
            ): shard
            for i, shard in enumerate(shards)
        }
        observations: dict[str, Observation] = {}
        waiting = {host_of(link.normalized_url) for link in links}
        states: list[NetworkDecision] = []
        for done, future in enumerate(as_completed(list(futures)), start=1):
            shard = futures[future]
            run: ProbeRun = future.result()
            states.append(run.network)
            for link in shard:
                seen = run.observations.get(link.normalized_url)
                if seen is not None:
                    observations[link.normalized_url] = seen
                    if on_observation is not None:
                        on_observation(link, seen)
            waiting.difference_update({host_of(link.normalized_url) for link in shard})
            if self.on_shard is not None:
                self.on_shard(done, len(shards), len(observations), len(links), len(waiting))
        return ProbeRun(observations, _merged(states))


def _merged(states: Sequence[NetworkDecision]) -> NetworkDecision:
    """Online when any worker reached the network; offline only when none did."""
    online = [s for s in states if s.state == "online"]
    if online or not states:
        return online[0] if online else NetworkDecision("online", "nothing was sent")
    return states[0]
