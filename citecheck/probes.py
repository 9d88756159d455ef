"""Stage 5: probes. Fetch each link politely and record what was seen, not what it means."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Observation:
    """What one probe of one URL saw; stored in the cache as is.

    Verdicts (and site rules) are computed from observations on every run, so
    an improved rule re-judges old observations without probing again.
    `error` is a short kind (dns, refused, reset, timeout, tls, redirect-loop,
    too-many-redirects, malformed, private-address, offline) when no complete
    answer came; `body_excerpt` is the start of the decoded text of an HTML or
    text body (a few KB at most), kept for soft-404 judgement.
    """

    url: str
    checked_at: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    redirect_statuses: tuple[int, ...] = ()
    method: str = "GET"
    content_type: str | None = None
    title: str | None = None
    body_excerpt: str = ""
    fingerprint: str | None = None
    retry_after: float | None = None
    error: str | None = None
    error_detail: str | None = None
    elapsed: float = 0.0
