"""Prompt ACKs on the prober's connections (Linux `TCP_QUICKACK`; a no-op elsewhere).

A server that writes a response's headers and body in two writes with Nagle's
algorithm on (Python's `http.server` and many small servers do) sends the body
only once the headers are acknowledged; on a reused keep-alive connection the
kernel delays that ACK by up to 40 ms. Setting `TCP_QUICKACK` each time data
arrives acknowledges at once (the flag is not sticky, so it is set again on every
read). Measured on the loopback bench: docs/speed.md.
"""

from __future__ import annotations

import contextlib
import functools
import socket
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp.client_proto import ResponseHandler

QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)


class QuickAckHandler(ResponseHandler):
    """aiohttp's response protocol, acknowledging every arrival at once."""

    _ack_socket: Any = None

    def data_received(self, data: bytes) -> None:
        """Ask the kernel for an immediate ACK, then parse as aiohttp does."""
        sock = self._ack_socket
        if sock is None and self.transport is not None:
            sock = self._ack_socket = self.transport.get_extra_info("socket") or False
        if sock and QUICKACK is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
        super().data_received(data)


def quick_ack_connector(**options: Any) -> aiohttp.TCPConnector:
    """A `TCPConnector(**options)` whose connections use `QuickAckHandler` where the
    platform has `TCP_QUICKACK`, and aiohttp's own handler elsewhere."""
    connector = aiohttp.TCPConnector(**options)
    if QUICKACK is not None:
        factory: Callable[[], ResponseHandler] = functools.partial(
            QuickAckHandler, loop=connector._loop
        )
        connector._factory = factory  # type: ignore[assignment]  # aiohttp has no public hook
    return connector
