"""One small audit with every kind of finding, shared by the report tests and their golden files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from citecheck.cite.extraction import noted_document_json
from citecheck.findings.analysis import (
    DEFAULT_FAIL_ON,
    AuditResult,
    DocumentSummary,
    analyse,
    cited_works,
)
from citecheck.findings.history import Change, TrendPoint
from citecheck.findings.linkhealth import AuditRecord
from citecheck.judge.verdicts import LinkVerdict
from citecheck.read.model import NotedDocument, Place, Problem
from tests.support.citefactory import cite

DEAD = "http://www.example.org/gone.htm?q=<b>|x"
SOFT = "http://www.example.cn/eng/zxxx/t1234.htm"
MOVED = "http://old.example.net/speech.html"
BLOCKED = "https://www.example.com/paywalled"
ARCHIVE = "https://web.archive.org/web/20160301000000/http://www.example.org/gone.htm"
OTHER_DOC = "http://www.un.org/ga/search/view_doc.asp?symbol=A/68/99"
SUGGESTED = "https://documents.un.org/api/symbol/access?s=A/54/213&l=en&t=pdf"


def sample_result(*, changes: bool = True) -> AuditResult:
    documents = [
        NotedDocument("refs/a.txt", (1, 2, 3), ()),
        NotedDocument(
            "refs/b.txt",
            (1, 2),
            (),
            problems=tuple(
                Problem("marker-without-note", f"marker {n} has no note", note=n, line=n * 5)
                for n in (3, 4)
            ),
        ),
    ]
    citations = [
        cite(
            "scio2010",
            "refs/a.txt",
            1,
            12,
            author="State Council Information Office",
            title="The Internet in China",
            date="2010-06-08",
            urls=("http://www.china.org.cn/government/whitepaper/node_7093508.htm",),
        ),
        cite(
            "xinhua2010",
            "refs/b.txt",
            1,
            40,
            author="State Council Information Office",
            title="The Internet in China",
            date="2010-06-09",
            urls=("http://news.xinhuanet.com/english2010/china/2010-06/08/c_13339232.htm",),
        ),
        cite(
            "evil",
            "refs/a.txt",
            2,
            14,
            author="A <b>Bold</b> | Author",
            title="<script>alert('x')</script> & more",
            date="2015-02-30",
            urls=(DEAD,),
        ),
        cite(
            "evil2",
            "refs/b.txt",
            2,
            41,
            author="A Bold Author",
            title="<script>alert('x')</script> and more",
            date="2015",
            urls=(DEAD,),
        ),
        cite(
            "ga53",
            "refs/a.txt",
            3,
            16,
            title="Developments in the field of information",
            date="2005",
            symbols=("A/RES/53/70",),
            urls=(SOFT,),
        ),
        replace(
            cite(
                "gge2013",
                "refs/b.txt",
                2,
                42,
                title="Report of the Group of Governmental Experts",
                date="2013-06-24",
                symbols=("A/68/98", "A/68/99"),
                urls=(OTHER_DOC,),
            ),
            raw=f"Report of the Group of Governmental Experts, A/68/98, 24 June 2013, {OTHER_DOC}",
        ),
    ]
    verdicts = [
        LinkVerdict(
            DEAD,
            DEAD,
            "dead",
            "HTTP 404",
            status=404,
            checked_at="2026-11-22T03:00:00Z",
            cited_in=(Place("refs/a.txt", 2, 14),),
            archive_url=ARCHIVE,
            archive_timestamp="20160301000000",
        ),
        LinkVerdict(
            SOFT,
            SOFT,
            "soft-404",
            "the page title says the page was not found",
            status=200,
            checked_at="2026-11-22T03:00:00Z",
            cited_in=(Place("refs/a.txt", 3, 16),),
            rule="example-soft-404",
        ),
        LinkVerdict(
            MOVED,
            MOVED,
            "redirected",
            "moved permanently",
            status=301,
            final_url="https://new.example.net/speech",
            redirects=(MOVED,),
            cited_in=(Place("refs/b.txt", 2, 41),),
        ),
        LinkVerdict(
            BLOCKED,
            BLOCKED,
            "blocked",
            "HTTP 403 from a bot wall",
            status=403,
            cited_in=(Place("refs/b.txt", 2, 41),),
        ),
        LinkVerdict(
            "http://ok.example.org/",
            "http://ok.example.org/",
            "ok",
            "HTTP 200",
            status=200,
            cited_in=(Place("refs/a.txt", 1, 12),),
        ),
        LinkVerdict(
            SUGGESTED,
            SUGGESTED,
            "ok",
            "HTTP 200",
            status=200,
            cited_in=(Place("refs/b.txt", 1, 40),),
            suggested_for="A/54/213",
        ),
    ]
    history = {
        DEAD: (
            AuditRecord("2026-11-15T03:00:00Z", "dead"),
            AuditRecord("2026-11-22T03:00:00Z", "dead"),
        ),
    }
    findings, clusters = analyse(
        documents, citations, verdicts, today=date(2026, 11, 22), history=history
    )
    return AuditResult(
        generated_at="2026-11-22T03:00:00Z",
        documents=(DocumentSummary("refs/a.txt", 3, 3, 3), DocumentSummary("refs/b.txt", 2, 3, 2)),
        findings=tuple(findings),
        clusters=tuple(clusters),
        verdicts=tuple(verdicts),
        fail_on=DEFAULT_FAIL_ON,
        changes=(Change("newly-broken", SOFT, "soft-404"),) if changes else None,
        extracted=tuple(noted_document_json(d) for d in documents),
        trend=(
            TrendPoint("2026-11-08T03:00:00Z", 0, 0),
            TrendPoint("2026-11-15T03:00:00Z", 0, 2),
            TrendPoint("2026-11-22T03:00:00Z", 1, 0),
        ),
        works=cited_works(citations),
    )
