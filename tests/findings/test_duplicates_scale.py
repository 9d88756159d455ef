"""One work cited thousands of times: clustering and its date checks stay (near) linear.

Issue 14 item 4: 3,000 full citations of one work took 17 s in `audit`, 8,000 took 99 s,
because every date was compared with every other. The bound below is generous (a
quadratic run of 8,000 needs minutes) and the result is checked against the naive
pairwise definition on small inputs, so a fast but wrong rewrite fails too.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from citecheck.cite.citation import Citation
from citecheck.findings.dates import (
    DateSpan,
    _consensus,
    cluster_date_findings,
    gap_days,
    parse_span,
)
from citecheck.findings.duplicates import _conflicts, duplicate_findings, find_clusters, profile
from tests.support.citefactory import cite

URL = "http://example.org/papers/internet-in-china.htm"


def one_work(count: int, dates: list[str] | None = None) -> list[Citation]:
    """`count` full citations of one work, each after the first linked to it, as the parser does."""
    made = []
    for i in range(count):
        citation = cite(
            f"w{i}",
            "a.txt",
            i + 1,
            i + 1,
            title="The Internet in China",
            author="State Council Information Office",
            date=dates[i] if dates else "2010-06-08",
            urls=(URL,),
            refers_to=None if i == 0 else "w0",
        )
        made.append(replace(citation, raw=citation.raw + " " + URL))
    return made


@pytest.mark.parametrize("count", [3000, 8000])
def test_one_work_cited_thousands_of_times_is_fast(count: int) -> None:
    citations = one_work(count)
    started = time.perf_counter()
    clusters = find_clusters(citations)
    findings = duplicate_findings(clusters) + cluster_date_findings(clusters)
    elapsed = time.perf_counter() - started
    assert [len(c.variants) for c in clusters] == [count]
    assert [f.kind.value for f in findings] == ["duplicate-source"]
    assert elapsed < 20, f"{count} citations of one work took {elapsed:.1f} s"


def naive_consensus_score(spans: list[DateSpan], span: DateSpan) -> int:
    return sum(1 for other in spans if gap_days(span, other) == 0)


@pytest.mark.parametrize("seed", range(30))
def test_fast_date_checks_agree_with_the_pairwise_definition(seed: int) -> None:
    rng = random.Random(seed)
    pool = ["2010", "2010-06", "2010-06-08", "2010-06-09", "2011", "2009/2010", "2010-07-01"]
    dates = [rng.choice(pool) for _ in range(rng.randint(2, 9))]
    spans = [s for s in (parse_span(d) for d in dates) if isinstance(s, DateSpan)]
    chosen = _consensus(spans)
    best = max(naive_consensus_score(spans, s) for s in spans)
    assert naive_consensus_score(spans, chosen) == best
    profiles = [profile(c) for c in one_work(len(dates), dates)]
    has_date_conflict = any(c.field == "date" for c in _conflicts(profiles))
    assert has_date_conflict == any(gap_days(s, t) > 0 for s in spans for t in spans)
