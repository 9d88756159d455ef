"""Probing from synchronous code: the front door to the aiohttp prober in `fetch`.

A module of its own so that `observation` (the values) never imports `fetch` (the HTTP
side), and aiohttp is loaded only when something is actually probed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from citecheck.probe.links import Link
from citecheck.probe.observation import (
    AddressPolicy,
    NetworkCanary,
    Observation,
    ProbeRun,
    ProbeSettings,
    RuleLookup,
    no_rule,
)

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver


def run_probes(
    links: Sequence[Link],
    settings: ProbeSettings,
    *,
    resolver: AbstractResolver | None = None,
    rules: RuleLookup = no_rule,
    network_canary: NetworkCanary | None = None,
    on_observation: Callable[[Link, Observation], None] | None = None,
    address_policy: AddressPolicy | None = None,
) -> ProbeRun:
    """Probe `links` from synchronous code (the CLI, tests, the bench).

    `network_canary` None means the default canary, asked through the proxy if one is set.
    """
    from citecheck.probe import fetch  # noqa: PLC0415 - aiohttp loads only when probing

    return fetch.run_probes(
        links,
        settings,
        resolver=resolver,
        rules=rules,
        network_canary=network_canary,
        on_observation=on_observation,
        address_policy=address_policy,
    )
