"""Properties of duplicate clustering that keep its precision, over generated citations."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.cite.citation import Citation
from citecheck.findings.dates import DateSpan, gap_days, parse_span
from citecheck.findings.duplicates import find_clusters
from tests.support.citefactory import cite

WORDS = st.sampled_from(
    ["China", "cyber", "internet", "sovereignty", "security", "report", "strategy", "norms",
     "governance", "white", "paper", "regular", "press", "conference", "the", "in", "of"]
)  # fmt: skip
TITLES = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
AUTHORS = st.sampled_from(["", "Greg Austin", "State Council Information Office", "Adam Segal"])


@st.composite
def citations(draw: st.DrawFn) -> list[Citation]:
    count = draw(st.integers(min_value=2, max_value=6))
    made = []
    for i in range(count):
        year = draw(st.integers(min_value=2000, max_value=2020))
        made.append(
            cite(
                f"k{i}",
                draw(st.sampled_from(["a.txt", "b.txt"])),
                i + 1,
                title=draw(TITLES),
                author=draw(AUTHORS),
                date=f"{year}-0{draw(st.integers(min_value=1, max_value=9))}-1{i % 10}",
                urls=(f"http://example.org/{i}/page.htm",),
                refers_to=draw(st.sampled_from([None, None, "k0"])),
            )
        )
    return made


@settings(max_examples=150, deadline=None)
@given(citations())
def test_without_a_shared_url_or_symbol_only_dates_within_a_day_cluster(
    cited: list[Citation],
) -> None:
    """Every generated citation has its own URL and no symbol, so only a title match with
    agreeing dates can join two: recurring titles on other days must stay apart."""
    for cluster in find_clusters(cited):
        spans = [
            s for s in (parse_span(v.date) for v in cluster.variants) if isinstance(s, DateSpan)
        ]
        assert all(gap_days(a, b) <= 1 for a in spans for b in spans)


@settings(max_examples=150, deadline=None)
@given(citations())
def test_back_references_never_join_a_cluster(cited: list[Citation]) -> None:
    referring = {(c.place.document, c.place.note) for c in cited if c.refers_to is not None}
    for cluster in find_clusters(cited):
        assert not {(v.place.document, v.place.note) for v in cluster.variants} & referring
