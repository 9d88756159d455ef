"""apec.org: the old `/Meeting-Papers/…aspx` site and the current lower-case paths.

What we know of the site, and where from (looked up 2026-11-22 with the search tool):

- The site the texts cite (about 2010–2016) had ASP.NET paths with capitalised
  sections: `/Meeting-Papers/Leaders-Declarations/2001/2001_aelm/…aspx`,
  `/Meeting-Papers/Ministerial-Statements/Telecommunications-and-Information/2002_tel/
  annex_a.aspx`, `/Meeting-Papers/Ministerial-Statements/Annual/2002/2002_amm.aspx`.
- The current site uses lower-case paths without `.aspx`, with ministerial statements
  split into sectoral and annual meetings. Seen in public repositories (code corpus):
  `/meeting-papers/leaders-declarations/2012/2012_aelm/2012_aelm_annexc` and
  `/meeting-papers/sectoral-ministerial-meetings/telecommunicationsandinformation/2025-…`
  (sector name without hyphens); issue 5 gives the hyphenated form
  `/meeting-papers/sectoral-ministerial-meetings/telecommunications-and-information/
  2002_tel/annex_a`. We therefore try both spellings. The annual-meeting section name
  `annual-ministerial-meetings` follows the same pattern but is unconfirmed.
- Old deep links are answered with the home page (issue 5); a candidate path is offered
  as successor only when it answers with a real page, never on the strength of the
  mapping alone.
"""

from __future__ import annotations

from citecheck.judge.sites.rule import SiteRule, host_in, host_of, not_found_page, path_of
from citecheck.probe.observation import Observation

NAME = "apec"
DOMAINS = ("apec.org",)
CURRENT_BASE = "https://www.apec.org"
HOME_PATHS = ("", "/", "/home", "/default.aspx", "/home.aspx", "/index.aspx")

# Old section prefix (lower case, after /meeting-papers/) → current prefixes, in order.
# The first matching row wins; the order of rows is the order of precedence.
SECTION_MOVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ministerial-statements/annual/", ("annual-ministerial-meetings/",)),
    (
        "ministerial-statements/telecommunications-and-information/",
        (
            "sectoral-ministerial-meetings/telecommunications-and-information/",
            "sectoral-ministerial-meetings/telecommunicationsandinformation/",
        ),
    ),
    ("ministerial-statements/", ("sectoral-ministerial-meetings/",)),
    ("leaders-declarations/", ("leaders-declarations/",)),
)


def url_form(url: str) -> str | None:
    """Which generation of apec.org's URL scheme `url` is."""
    if not host_in(host_of(url), DOMAINS):
        return None
    path = path_of(url)
    if path in HOME_PATHS:
        return "apec.home"
    if path.startswith("/Meeting-Papers/") or path.lower().endswith(".aspx"):
        return "apec.meeting-papers-aspx"
    if path.startswith("/meeting-papers/"):
        return "apec.meeting-papers"
    return "apec.page"


def successors(url: str) -> tuple[str, ...]:
    """Candidate current URLs for an old `/Meeting-Papers/…aspx` link, to be probed."""
    if url_form(url) != "apec.meeting-papers-aspx":
        return ()
    path = path_of(url).lower()
    prefix = "/meeting-papers/"
    if not path.startswith(prefix):
        return ()
    rest = path[len(prefix) :].removesuffix(".aspx").rstrip("/")
    for old, new_prefixes in SECTION_MOVES:
        if rest.startswith(old):
            tail = rest[len(old) :]
            return tuple(f"{CURRENT_BASE}{prefix}{new}{tail}" for new in new_prefixes)
    return (f"{CURRENT_BASE}{prefix}{rest}",)


def soft_404(observation: Observation) -> str | None:
    """A deep link that landed on the home page, or a not-found page."""
    requested = path_of(observation.url)
    final = observation.final_url or observation.url
    if requested not in HOME_PATHS and path_of(final) in HOME_PATHS:
        return f"deep link landed on the home page {final}"
    return not_found_page(observation)


RULE = SiteRule(
    name=NAME,
    domains=DOMAINS,
    form_of=url_form,
    soft_404=soft_404,
    successor_candidates=successors,
    retired_forms=("apec.meeting-papers-aspx",),
)
