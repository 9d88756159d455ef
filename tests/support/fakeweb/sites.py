"""Route modules for the fake web: the UN, fmprc.gov.cn and apec.org as the texts meet them
today (hand-written fixtures in tests/fixtures/sites/), and a Wayback-compatible archive.

Each `add_*` function registers one site's hosts and pages on a running `FakeWeb`.
"""

from __future__ import annotations

from collections.abc import Mapping

from tests.support.fakearchive import FakeCapture, FakeWayback
from tests.support.fakeweb import FakeHost, FakeRequest, FakeResponse, FakeWeb, redirect, sequence
from tests.support.sites_helpers import fixture_text

PDF = FakeResponse(body=b"%PDF-1.4\n% a UN document\n", content_type="application/pdf")


def html(fixture: str, status: int = 200) -> FakeResponse:
    return FakeResponse(status=status, body=fixture_text(fixture).encode("utf-8"))


def add_un(web: FakeWeb) -> None:
    """Old view_doc.asp links land on the UN home page; old daccess-dds PDFs are gone;
    documents.un.org answers the symbol access API and the job-number paths."""
    www = web.add_host("www.un.org")
    www.route("/ga/search/view_doc.asp", redirect("/en/", 302))
    www.route("/en/", html("un_home.html"))
    dds = web.add_host("daccess-dds-ny.un.org")
    dds.route("*", html("un_home.html", status=404))
    documents = web.add_host("documents.un.org")
    documents.route(
        "/api/symbol/access?s=A/68/98&l=en&t=pdf",
        redirect("/doc/undoc/gen/n13/371/66/pdf/n1337166.pdf", 302),
    )
    documents.route("/doc/undoc/gen/n13/371/66/pdf/n1337166.pdf", PDF)
    documents.route(  # cited by symbol alone in 000 note 36: citecheck suggests this URL
        "/api/symbol/access?s=A/54/213&l=en&t=pdf",
        redirect("/doc/undoc/gen/n99/232/41/pdf/n9923241.pdf", 302),
    )
    documents.route("/doc/undoc/gen/n99/232/41/pdf/n9923241.pdf", PDF)
    documents.route("/doc/undoc/gen/n11/496/56/pdf/n1149656.pdf", PDF)
    documents.route("*", redirect("/", 302))
    documents.route("/", html("un_documents_not_found.html"))


FMPRC_SECTION = "/mfa_eng/wjdt_665385/zyjh_665391/"


def add_fmprc(web: FakeWeb, resets_before_answer: int) -> None:
    """Old articles redirect to their section page on both hosts; one article answers
    only after a few connection resets."""
    for name in ("www.fmprc.gov.cn", "www.mfa.gov.cn"):
        host = web.add_host(name)
        host.route(f"{FMPRC_SECTION}t869580.shtml", redirect(FMPRC_SECTION, 302))
        host.route(FMPRC_SECTION, html("fmprc_section.html"))
        host.route("*", html("fmprc_not_found.html", status=404))
    flaky = web.hosts["www.fmprc.gov.cn"]
    hang_ups = [FakeResponse(hang_up=True)] * resets_before_answer
    flaky.route(f"{FMPRC_SECTION}t1327570.shtml", sequence(*hang_ups, html("fmprc_article.html")))


APEC_OLD = "/Meeting-Papers/Ministerial-Statements/Telecommunications-and-Information/2002_tel"
APEC_NEW = "/meeting-papers/sectoral-ministerial-meetings"


def add_apec(web: FakeWeb) -> None:
    """Old .aspx deep links land on the home page; Annex A exists under the current scheme
    (sector name without hyphens), Annex B does not; unknown paths also go home."""
    apec = web.add_host("www.apec.org")
    apec.route("/", html("apec_home.html"))
    apec.route(f"{APEC_OLD}/annex_a.aspx", redirect("/", 302))
    apec.route(f"{APEC_OLD}/annex_b.aspx", redirect("/", 302))
    apec.route(
        f"{APEC_NEW}/telecommunicationsandinformation/2002_tel/annex_a", html("apec_paper.html")
    )
    apec.route("*", redirect("/", 302))


def add_archive(
    web: FakeWeb, captures: Mapping[str, list[FakeCapture]]
) -> tuple[FakeHost, FakeWayback]:
    """A Wayback-compatible server (CDX, availability, id_ replays) reached by address."""
    host = web.add_host("archive.test")
    fake = FakeWayback(base=host.address_url("").rstrip("/"), captures=captures)

    def answer(request: FakeRequest) -> FakeResponse:
        status, headers, body = fake.answer(request.path)
        return FakeResponse(
            status=status,
            body=body.encode("utf-8"),
            content_type=headers.get("Content-Type"),
            headers=tuple((k, v) for k, v in headers.items() if k != "Content-Type"),
        )

    host.route("*", answer)
    return host, fake
