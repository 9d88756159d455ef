"""Connecting to the cluster: an existing Dask scheduler, or a local one for one machine.

`--cluster tcp://host:8786` joins a running scheduler (dask-scheduler / dask-worker, or a
Kubernetes deployment); `--cluster local:N` starts N worker processes on this machine and
stops them at the end (tests, benches, and a multi-core laptop).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distributed import Client

LOCAL_PREFIX = "local"
CONNECT_TIMEOUT = 30.0  # seconds to reach a scheduler before giving up


class ClusterError(Exception):
    """The cluster cannot be reached or started; the message is one line."""


def parse_local(address: str) -> int | None:
    """The worker count of `local` / `local:N`, or None for a scheduler address."""
    if address == LOCAL_PREFIX:
        return 2
    name, sep, count = address.partition(":")
    if name != LOCAL_PREFIX or not sep:
        return None
    if not count.isdigit() or not 1 <= int(count) <= 64:
        raise ClusterError(f"--cluster {address}: the worker count must be 1 to 64")
    return int(count)


@contextlib.contextmanager
def connected(address: str, *, timeout: float | None = None) -> Iterator[Client]:
    """A Dask client for `address`, closed (and a local cluster stopped) afterwards."""
    timeout = timeout or CONNECT_TIMEOUT
    from distributed import Client, LocalCluster  # noqa: PLC0415 - Dask only when asked for

    workers = parse_local(address)
    try:
        if workers is not None:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
                silence_logs=50,
            )
            client = Client(cluster, timeout=timeout)
        else:
            cluster = None
            client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"--cluster {address}: cannot connect: {error}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
