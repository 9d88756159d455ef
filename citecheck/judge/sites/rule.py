"""The SiteRule record and the small helpers the per-site modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from citecheck.probe.observation import Observation


def _no_soft_404(observation: Observation) -> str | None:
    return None


def _no_successors(url: str) -> tuple[str, ...]:
    return ()


def _no_form(url: str) -> str | None:
    return None


def host_of(url: str) -> str:
    """The lower-case host of `url`, also for URLs cited without a scheme (`www.x.org/…`)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text.lstrip("/")
    try:
        return (urlsplit(text).hostname or "").lower()
    except ValueError:
        return ""


def host_in(host: str, domains: Iterable[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one."""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def with_scheme(url: str) -> str:
    """`url` with `http://` added when it was cited without a scheme."""
    text = url.strip()
    return text if "://" in text else "http://" + text.lstrip("/")


@dataclass(frozen=True)
class SiteRule:
    """What citecheck knows about one site: patterns and pure judgements, no I/O."""

    name: str
    domains: tuple[str, ...]
    form_of: Callable[[str], str | None] = _no_form
    soft_404: Callable[[Observation], str | None] = _no_soft_404
    successor_candidates: Callable[[str], tuple[str, ...]] = _no_successors
    connection_retries: int = 0
    retired_forms: tuple[str, ...] = ()

    def matches(self, url: str) -> bool:
        """True for any URL on one of this site's hosts."""
        return host_in(host_of(url), self.domains)

    def url_form(self, url: str) -> str | None:
        """The name of the URL generation `url` belongs to (e.g. `un.view_doc`)."""
        return self.form_of(url) if self.matches(url) else None

    def soft_404_reason(self, observation: Observation) -> str | None:
        """Why a page that answered is not the cited document, or None when it may be."""
        return self.soft_404(observation)

    def is_retired(self, url: str) -> bool:
        """True for a URL form the site no longer serves documents under (worth a successor
        even when it still answers, e.g. by a frameset or a redirect)."""
        return self.url_form(url) in self.retired_forms

    def successors(self, url: str) -> tuple[str, ...]:
        """Current URLs to probe, best first, for a retired form of `url`."""
        return self.successor_candidates(url) if self.matches(url) else ()


def live_successor(
    rule: SiteRule, probed: Iterable[tuple[str, Observation]]
) -> tuple[str | None, tuple[str, ...]]:
    """The first candidate that answered with a real page, and why the others were refused.

    A candidate counts only when it answered 2xx without error and the rule does
    not judge it a soft 404, so a guessed URL that lands on the home page is
    never offered as where the document lives now.
    """
    refused: list[str] = []
    for url, observation in probed:
        if observation.error is not None:
            refused.append(f"{url}: {observation.error}")
            continue
        if observation.status is None or not 200 <= observation.status < 300:
            refused.append(f"{url}: status {observation.status}")
            continue
        reason = rule.soft_404_reason(observation)
        if reason is not None:
            refused.append(f"{url}: {reason}")
            continue
        return url, tuple(refused)
    return None, tuple(refused)


TITLE_NOT_FOUND_MARKERS = (
    "not found",
    "404",
    "page not available",
    "does not exist",
    "no longer available",
    "页面不存在",
    "页面没有找到",
    "找不到",
    "错误",
)
BODY_NOT_FOUND_MARKERS = (
    "page not found",
    "404 not found",
    "the page you requested",
    "the page you are looking for",
    "could not be found",
    "cannot be found",
    "document not found",
    "页面不存在",
    "您访问的页面",
    "页面没有找到",
)


def not_found_page(observation: Observation) -> str | None:
    """A not-found page served as a normal answer: judged on the title, then the body start.

    The body check uses only phrases an article would hardly contain, and only
    its first 2,000 characters (where a site template puts its error message).
    """
    title = (observation.title or "").strip()
    lowered = title.lower()
    for marker in TITLE_NOT_FOUND_MARKERS:
        if marker in lowered:
            return f"not-found page (title {title!r})"
    body = observation.body_excerpt[:2000].lower()
    for marker in BODY_NOT_FOUND_MARKERS:
        if marker in body:
            return f"not-found page (body says {marker!r})"
    return None


def path_of(url: str) -> str:
    """The path of `url` ('' when it cannot be parsed)."""
    try:
        return urlsplit(with_scheme(url)).path
    except ValueError:
        return ""
