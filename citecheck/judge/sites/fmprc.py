"""The Chinese foreign ministry site (fmprc.gov.cn and its mfa.gov.cn mirror).

What we know of the site, and where from (looked up 2026-11-22 with the search tool):

- Article URLs went through generations. Until about 2019 an article was
  `…/t<id>.shtml` under numbered section folders (`/mfa_eng/wjdt_665385/zyjh_665391/
  t869580.shtml`, `/mfa_chn/wjdt_611265/fyrbt_611275/t1050377.shtml`: the five texts
  here). Later articles carry the month and date in the path:
  `/mfa_eng/xw/zyxw/202507/t20250729_11679232.html`,
  `/mfa_eng/xw/fyrbt/202609/t20260911_12020880.html` (both cited in public
  repositories found via the code corpus), and the English site's sections moved
  under `/eng/xw/…` on www.mfa.gov.cn (www.mfa.gov.cn/eng/… pages in the pages corpus,
  with the same menu as fmprc.gov.cn: "News", "Speeches", "Spokesperson's Remarks").
- www.mfa.gov.cn serves the same paths as www.fmprc.gov.cn, so a path that is gone on
  one is worth one probe on the other (same evidence: identical section names).
- The numeric legacy ids and the dated ids are different numbering systems: there is
  no published mapping, so a dead legacy article goes to the Wayback Machine.
- Connections from outside China are reset intermittently: issue 5 of this project
  reports it for fmprc.gov.cn, and resets that come and go on Chinese sites are a known
  pattern (gfwlist/gfwlist#237 in the issues corpus). We retry before judging; we found no
  published statement from the ministry itself.
- A retired article URL is often answered by a redirect to a section or the home page
  with status 200; that is a soft 404, not the cited statement.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from citecheck.judge.sites.rule import (
    SiteRule,
    host_in,
    host_of,
    not_found_page,
    path_of,
    with_scheme,
)
from citecheck.probe.observation import Observation

NAME = "fmprc"
DOMAINS = ("fmprc.gov.cn", "mfa.gov.cn")
MIRRORS = {"www.fmprc.gov.cn": "www.mfa.gov.cn", "www.mfa.gov.cn": "www.fmprc.gov.cn"}
MIRROR_SCHEME = "https"  # both hosts serve https; the local-server tests use http

LEGACY_ID = re.compile(r"/t(?P<id>\d{3,9})\.s?html?$", re.IGNORECASE)
DATED_ID = re.compile(r"/(?P<month>\d{6})/t(?P<day>\d{8})_(?P<id>\d{5,12})\.s?html?$")
XW_SECTION = re.compile(r"^/(?:mfa_)?eng/xw/", re.IGNORECASE)
SECTION_END = re.compile(r"(?:/|/index\.s?html?|/default\.s?html?)$", re.IGNORECASE)


def article_id(url: str) -> str | None:
    """The article id in an fmprc URL: `869580` (legacy) or `20221225_10994828` (dated)."""
    path = path_of(url)
    dated = DATED_ID.search(path)
    if dated:
        return f"{dated.group('day')}_{dated.group('id')}"
    legacy = LEGACY_ID.search(path)
    return legacy.group("id") if legacy else None


def url_form(url: str) -> str | None:
    """Which generation of the ministry's URL scheme `url` is."""
    if not host_in(host_of(url), DOMAINS):
        return None
    path = path_of(url)
    if DATED_ID.search(path):
        return "fmprc.dated-id"
    if LEGACY_ID.search(path):
        return "fmprc.legacy-id"
    if XW_SECTION.search(path):
        return "fmprc.xw-section"
    if SECTION_END.search(path) or not path:
        return "fmprc.section"
    return "fmprc.page"


def mirror_url(url: str) -> str | None:
    """The same path on the other host (www.fmprc.gov.cn ↔ www.mfa.gov.cn)."""
    parts = urlsplit(with_scheme(url))
    other = MIRRORS.get((parts.hostname or "").lower())
    if other is None:
        return None
    return urlunsplit((MIRROR_SCHEME, other, parts.path, parts.query, ""))


def successors(url: str) -> tuple[str, ...]:
    """Only the mirror: old ids cannot be mapped to new ones, so the archive takes over."""
    if url_form(url) not in ("fmprc.legacy-id", "fmprc.dated-id"):
        return ()
    mirrored = mirror_url(url)
    return (mirrored,) if mirrored else ()


def soft_404(observation: Observation) -> str | None:
    """An article request answered by a section/home page, another article, or a 404 page."""
    wanted = article_id(observation.url)
    final = observation.final_url
    if wanted is not None and final and final != observation.url:
        landed = article_id(final)
        if landed is None:
            return f"article t{wanted} redirected to the section page {final}"
        if landed != wanted:
            return f"article t{wanted} redirected to another article {final}"
    return not_found_page(observation)


RULE = SiteRule(
    name=NAME,
    domains=DOMAINS,
    form_of=url_form,
    soft_404=soft_404,
    successor_candidates=successors,
    connection_retries=3,
)
