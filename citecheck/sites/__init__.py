"""Per-site knowledge: one small record per site, looked up by URL.

Everything citecheck knows about the UN documents system, the Chinese foreign
ministry site and apec.org lives in this folder (one module per site); no other
module names those hosts. A `SiteRule` is data plus pure functions, so every
rule is testable by tables without any network:

- `matches(url)`: is this URL on the site?
- `url_form(url)`: which generation of the site's URL scheme it is (named, for reports);
- `soft_404_reason(observation)`: a not-found page served with 200, or a deep
  link that landed on a home or unrelated section page;
- `successors(url)`: current URLs to probe for a retired URL form; the prober
  offers one as `successor_url` only when it answers with a real page
  (`live_successor`);
- `connection_retries`: how often to retry a reset connection before judging.

The prober asks `rule_for(url)` first and falls back to generic judgement when
it returns None.
"""

from __future__ import annotations

from citecheck.sites import apec, fmprc, un
from citecheck.sites.rule import SiteRule, live_successor

__all__ = ["RULES", "SiteRule", "live_successor", "rule_for", "url_form"]

# The order of this table is the order of precedence (first match wins).
RULES: tuple[SiteRule, ...] = (un.RULE, fmprc.RULE, apec.RULE)


def rule_for(url: str) -> SiteRule | None:
    """The site rule for `url`, or None for a site citecheck has no special knowledge of."""
    for rule in RULES:
        if rule.matches(url):
            return rule
    return None


def url_form(url: str) -> str | None:
    """`rule_name.form` naming the site rule and URL generation of `url`, or None."""
    rule = rule_for(url)
    return None if rule is None else rule.url_form(url)
