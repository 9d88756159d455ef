"""Save Page Now: optional, only with Internet Archive credentials (`citecheck archive --save`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from citecheck.judge.archiveclient import ArchiveClient, RateLimiter
from citecheck.judge.wayback import replay_url

SAVE_REQUESTS_PER_MINUTE = 4.0
SAVE_STATUS_POLLS = 12
SAVE_POLL_SECONDS = 10.0


@dataclass(frozen=True)
class SaveCredentials:
    """Internet Archive S3-style keys, read from IA_ACCESS_KEY and IA_SECRET_KEY."""

    access_key: str
    secret_key: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> SaveCredentials | None:
        access, secret = environ.get("IA_ACCESS_KEY", ""), environ.get("IA_SECRET_KEY", "")
        return cls(access, secret) if access and secret else None


@dataclass(frozen=True)
class SaveResult:
    """What Save Page Now did with one URL: saved (with the new snapshot), pending, or failed."""

    url: str
    outcome: Literal["saved", "pending", "failed"]
    snapshot_url: str | None = None
    timestamp: str | None = None
    reason: str | None = None


def save_page(
    client: ArchiveClient,
    url: str,
    credentials: SaveCredentials,
    *,
    limiter: RateLimiter | None = None,
) -> SaveResult:
    """Submit `url` to Save Page Now (`POST /save`) and poll `/save/status/<job>` politely.

    The documented SPN2 form (as used by public clients found via the code corpus):
    `Authorization: LOW <access>:<secret>`, `Accept: application/json`, form field
    `url`; the answer names a `job_id`; the status answer has `status` (pending,
    success, error), `timestamp` and `original_url` on success. Submissions are held
    to a few a minute, well under the archive's per-account limits.
    """
    import requests  # noqa: PLC0415

    headers = {
        "Authorization": f"LOW {credentials.access_key}:{credentials.secret_key}",
        "Accept": "application/json",
    }
    pacing = limiter or RateLimiter(SAVE_REQUESTS_PER_MINUTE, sleep=client.sleep)
    pacing.wait(f"{client.endpoint} save")
    try:
        submitted = client.session.post(
            f"{client.endpoint}/save", data={"url": url}, headers=headers, timeout=client.timeout
        )
        if submitted.status_code != 200:
            return SaveResult(
                url, "failed", reason=f"Save Page Now answered {submitted.status_code}"
            )
        job_id = submitted.json().get("job_id")
        if not isinstance(job_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", job_id):
            return SaveResult(url, "failed", reason="Save Page Now gave no job id")
        for _ in range(SAVE_STATUS_POLLS):
            client.sleep(SAVE_POLL_SECONDS)
            status = client.session.get(
                f"{client.endpoint}/save/status/{job_id}", headers=headers, timeout=client.timeout
            ).json()
            state = status.get("status")
            if state == "success":
                timestamp = str(status.get("timestamp", ""))
                original = str(status.get("original_url") or url)
                return SaveResult(
                    url, "saved", replay_url(client.layout.replay, timestamp, original), timestamp
                )
            if state == "error":
                return SaveResult(url, "failed", reason=str(status.get("message") or "error"))
        return SaveResult(url, "pending", reason=f"job {job_id} still pending")
    except (requests.RequestException, ValueError, AttributeError) as error:
        return SaveResult(
            url, "failed", reason=f"Save Page Now unreachable ({type(error).__name__})"
        )
