"""Stage 4, judge: verdicts. Judge what the prober saw; recomputed every run, never cached.

Everything here is a pure function of observations (and an optional site rule),
so an improved rule re-judges old cached observations without probing again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from citecheck.probe.links import Link, normalize_url
from citecheck.probe.observation import Observation, RuleLookup, SiteRule, no_rule
from citecheck.read.model import Place

__all__ = ["RuleLookup", "SiteRule", "no_rule"]

VerdictWord = Literal[
    "ok", "redirected", "dead", "soft-404", "blocked", "timeout", "error", "unchecked"
]
VERDICT_WORDS: tuple[VerdictWord, ...] = (
    "ok",
    "redirected",
    "dead",
    "soft-404",
    "blocked",
    "timeout",
    "error",
    "unchecked",
)
FAILING_VERDICTS: frozenset[VerdictWord] = frozenset({"dead", "soft-404", "error"})


@dataclass(frozen=True)
class LinkVerdict:
    """The judgement on one link, with enough evidence for a report to explain itself."""

    url: str
    normalized_url: str
    verdict: VerdictWord
    reason: str
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    checked_at: str | None = None
    cited_in: tuple[Place, ...] = ()
    rule: str | None = None
    successor_url: str | None = None
    archive_url: str | None = None
    archive_timestamp: str | None = None
    suggested_for: str | None = None
    """The UN symbol this URL was suggested for (not cited by the author), else None."""


# Error kinds an Observation can carry (see probes.Observation) and what they mean.
DEAD_ERRORS = {"dns": "name does not resolve", "refused": "connection refused"}
UNCHECKED_ERRORS = {
    "private-address": "private address",
    "offline": "network unreachable",
    "scheme": "non-http scheme",
    "excluded": "excluded by configuration",
    "invalid-url": "invalid URL",
}
ERROR_ERRORS = {
    "redirect-loop": "redirect loop",
    "too-many-redirects": "too many redirects",
    "tls": "TLS failure",
    "malformed": "malformed response",
    "reset": "connection reset",
    "unreachable": "host unreachable",
    "dns-unavailable": "name lookup failed",
    "proxy": "the proxy could not reach the site",
}
PERMANENT_REDIRECTS = frozenset({301, 308})
BOT_CHALLENGE_MARKERS = (
    "just a moment...",
    "attention required",
    "are you a robot",
    "captcha",
    "verify you are human",
    "checking your browser",
    "access denied",
    "request rejected",
)
NOT_FOUND_TITLE_MARKERS = (
    "not found",
    "page not found",
    "no longer available",
    "does not exist",
    "page unavailable",
    "页面不存在",
    "找不到",
    "未找到",
    "无法找到",
    "页面没有找到",
)
NOT_FOUND_TEXT_MARKERS = (
    "page not found",
    "page cannot be found",
    "page could not be found",
    "page you requested could not be found",
    "page you are looking for",
    "page you were looking for",
    "this page does not exist",
    "page no longer exists",
    "no longer available",
    "error 404",
    "404 error",
    "404 not found",
    "页面不存在",
    "您访问的页面不存在",
    "找不到您要的页面",
    "页面没有找到",
)
ERROR_PAGE_PATH_MARKERS = ("404", "notfound", "not-found", "not_found", "error", "pagenotfound")
HOME_PAGE_PATHS = frozenset(
    {"", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/default.asp", "/home"}
)
TEXT_SCAN_CHARS = 1500
# "404" standing alone in a title, not inside a number or a document symbol like A/70/404.
_TITLE_404 = re.compile(r"(?<![\d/])404(?![\d/])")


def judge(
    link: Link,
    observation: Observation | None,
    rule: SiteRule | None = None,
    unchecked_reason: str | None = None,
) -> LinkVerdict:
    """The verdict on `link` from its latest observation (None: not probed, say why)."""
    if observation is None:
        return _verdict(
            link,
            "unchecked",
            unchecked_reason or "not probed",
            rule=rule,
        )
    word, reason = classify(observation, rule)
    return LinkVerdict(
        url=link.url,
        normalized_url=link.normalized_url,
        verdict=word,
        reason=reason,
        status=observation.status,
        final_url=observation.final_url,
        redirects=observation.redirects,
        checked_at=observation.checked_at,
        cited_in=link.cited_in,
        rule=rule.name if rule is not None else None,
        suggested_for=link.suggested_for,
    )


def classify(observation: Observation, rule: SiteRule | None = None) -> tuple[VerdictWord, str]:
    """The verdict word and a one-line reason for one observation."""
    if observation.error is not None:
        return _classify_error(observation)
    status = observation.status
    if status is None:
        return "error", "no answer recorded"
    if 200 <= status < 300:
        return _classify_success(observation, rule)
    if status in (404, 410):
        return "dead", f"HTTP {status}"
    if status in (401, 403, 429, 451, 999):
        return "blocked", f"HTTP {status}" + (" (persisted after waiting)" if status == 429 else "")
    if status >= 500:
        if _looks_like_bot_challenge(observation):
            return "blocked", f"bot challenge (HTTP {status})"
        return "error", f"HTTP {status}"
    if 300 <= status < 400:
        return "error", f"HTTP {status} without a usable Location"
    return "error", f"HTTP {status}"


def summarize(verdicts: Iterable[LinkVerdict]) -> dict[str, int]:
    """Count per verdict word: every word, zeros included, in the fixed order of VERDICT_WORDS
    (so a consumer never has to guess whether a missing key means zero)."""
    counts: dict[str, int] = dict.fromkeys(VERDICT_WORDS, 0)
    for verdict in verdicts:
        counts[verdict.verdict] += 1
    return counts


def same_document(first: str, second: str) -> bool:
    """Whether two URLs name the same page, forgiving what sites change on their own:
    scheme, a leading `www.`, a trailing slash, the case of the host."""
    return _document_key(first) == _document_key(second)


def is_deep_link(url: str) -> bool:
    """A URL that names something below a site's home page."""
    parts = urlsplit(url)
    return parts.path.rstrip("/") not in HOME_PAGE_PATHS or bool(parts.query)


def _classify_error(observation: Observation) -> tuple[VerdictWord, str]:
    kind = observation.error or ""
    described = DEAD_ERRORS.get(kind) or UNCHECKED_ERRORS.get(kind) or ERROR_ERRORS.get(kind)
    detail = ""
    if observation.error_detail and observation.error_detail != described:
        detail = f": {observation.error_detail}"
    if kind in DEAD_ERRORS:
        return "dead", DEAD_ERRORS[kind] + detail
    if kind in UNCHECKED_ERRORS:
        return "unchecked", UNCHECKED_ERRORS[kind] + detail
    if kind == "timeout":
        return "timeout", observation.error_detail or "no complete answer in time"
    return "error", ERROR_ERRORS.get(kind, kind) + detail


def _classify_success(observation: Observation, rule: SiteRule | None) -> tuple[VerdictWord, str]:
    status = observation.status
    final_url = observation.final_url or observation.url
    if rule is not None:
        site_reason = rule.soft_404_reason(observation)
        if site_reason is not None:
            return "soft-404", site_reason
    if _looks_like_bot_challenge(observation, title_only=True):
        return "blocked", f"bot challenge (HTTP {status})"
    text_reason = _not_found_text(observation)
    if text_reason is not None:
        return "soft-404", text_reason
    if observation.redirects and not same_document(observation.url, final_url):
        if is_deep_link(observation.url) and not is_deep_link(final_url):
            return "soft-404", f"deep link redirected to the home page {final_url}"
        if _is_error_page(final_url) and not _is_error_page(observation.url):
            return "soft-404", f"redirected to an error page {final_url}"
        if PERMANENT_REDIRECTS.intersection(observation.redirect_statuses):
            return "redirected", f"moved permanently to {final_url}"
    if observation.redirects:
        return "ok", f"HTTP {status} after {len(observation.redirects)} redirect(s)"
    return "ok", f"HTTP {status}"


def _not_found_text(observation: Observation) -> str | None:
    title = (observation.title or "").strip()
    lowered_title = title.lower()
    for marker in NOT_FOUND_TITLE_MARKERS:
        if marker in lowered_title or _TITLE_404.search(lowered_title):
            return f"page title says not found: {title[:120]!r}"
    head = observation.body_excerpt[:TEXT_SCAN_CHARS].lower()
    for marker in NOT_FOUND_TEXT_MARKERS:
        if marker in head:
            return f"page text says not found: {marker!r}"
    return None


def _looks_like_bot_challenge(observation: Observation, title_only: bool = False) -> bool:
    """A challenge page; for a 2xx answer only its title counts (articles mention captchas)."""
    text = (observation.title or "").lower()
    if not title_only:
        text += " " + observation.body_excerpt[:TEXT_SCAN_CHARS].lower()
    return any(marker in text for marker in BOT_CHALLENGE_MARKERS)


def _is_error_page(url: str) -> bool:
    path = urlsplit(url).path.lower()
    segments = [s.rsplit(".", 1)[0] for s in path.split("/") if s]
    return any(s in ERROR_PAGE_PATH_MARKERS or s.startswith("404") for s in segments)


def _document_key(url: str) -> tuple[str, str, str]:
    parts = urlsplit(normalize_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    port = parts.port
    if port in (80, 443):
        port = None
    return (f"{host}:{port}" if port else host, parts.path.rstrip("/") or "/", parts.query)


def _verdict(
    link: Link, word: VerdictWord, reason: str, rule: SiteRule | None = None
) -> LinkVerdict:
    return LinkVerdict(
        url=link.url,
        normalized_url=link.normalized_url,
        verdict=word,
        reason=reason,
        cited_in=link.cited_in,
        rule=rule.name if rule is not None else None,
        suggested_for=link.suggested_for,
    )
