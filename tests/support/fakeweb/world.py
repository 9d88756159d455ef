"""The web the five texts cite, as it might answer today: fixtures for the end-to-end test.

Every host cited in references/*.txt answers through `FakeProxy` by its real
name. Most pages simply answer 200, as most cited pages of live sites do; the
exceptions below model what the sites are documented (or well known) to do,
each with the reason beside it. What the UN's systems do is taken from the
research recorded in citecheck/judge/sites/un.py: the Official Document System URLs
(`view_doc.asp`, `daccess-dds-ny.un.org/doc/UNDOC/...`) are retired, and
documents are now served from `documents.un.org` by symbol
(`/api/symbol/access?s=SYMBOL&l=en&t=pdf` answering 302 to a job-number PDF),
with `undocs.org/SYMBOL` redirecting there. Old apec.org `.aspx` deep links
land on the home page (issue 4 names this), www.fmprc.gov.cn drops
connections under load before answering, news sites rate-limit and block
bots; web.archive.org holds captures of most failing links. Hosts that are
gone (their domains lapsed) are left out, so the proxy answers 502 for them as
a real proxy does for a name it cannot resolve. Pages of the three sites with
rules come from tests/fixtures/sites/, shared with the site rules' tests.

Why not tests/support/fakeweb/sites.py's `add_un`/`add_fmprc`/`add_apec`: those model the
worst case for the site rules' tests (every old view_doc, daccess, fmprc and apec
link failing), some thirty failing links, and every failing link costs an archive
lookup at the Internet Archive's documented rate (3 s each, by design), which
would make this test take minutes. Here a few links of each kind fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

from tests.support.fakearchive import FakeCapture, FakeWayback
from tests.support.fakeweb import (
    FakeHost,
    FakeRequest,
    FakeResponse,
    Handler,
    page,
    redirect,
    sequence,
)
from tests.support.fakeweb.proxy import FakeProxy
from tests.support.paths import TESTS_DIR

# Every host the texts cite whose domain still exists (their pages answer 200 unless
# listed in BEHAVIOUR).
LIVE_HOSTS = (
    "2009-2017.state.gov",
    "asiasociety.org",
    "belfercenter.hks.harvard.edu",
    "blogs.cfr.org",
    "blogs.wsj.com",
    "books.google.com.au",
    "carnegieendowment.org",
    "ccdcoe.org",
    "chinacopyrightandmedia.wordpress.com",
    "chinadigitaltimes.net",
    "ciirc.china.cn",
    "citizenlab.org",
    "cmp.hku.hk",
    "conventions.coe.int",
    "creativecommons.org",
    "csis.org",
    "daccess-dds-ny.un.org",
    "disarmament-library.un.org",
    "documents.un.org",
    "eng.mod.gov.cn",
    "english.qstheory.cn",
    "government.ru",
    "jamestown.org",
    "lawfareblog.com",
    "nationalinterest.org",
    "news.tj",
    "news.xinhuanet.com",
    "obamawhitehouse.archives.gov",
    "sputniknews.com",
    "theglobaljournal.net",
    "thediplomat.com",
    "thehill.com",
    "theory.people.com.cn",
    "undocs.org",
    "vancouver.china-consulate.org",
    "www.12321.cn",
    "www.12380.gov.cn",
    "www.12388.gov.cn",
    "www.americanbar.org",
    "www.apec.org",
    "www.asean.org",
    "www.asil.org",
    "www.c4i.org",
    "www.ccdi.gov.cn",
    "www.ccs.org.za",
    "www.cert.org.cn",
    "www.cfr.org",
    "www.china.org.cn",
    "www.chinadaily.com.cn",
    "www.chinesemission-vienna.at",
    "www.cnnic.net.cn",
    "www.cyberpolice.cn",
    "www.eastasiaforum.org",
    "www.europarl.europa.eu",
    "www.ewi.info",
    "www.ey.com",
    "www.fmprc.gov.cn",
    "www.gazeta.ru",
    "www.gc.noaa.gov",
    "www.gccs2015.com",
    "www.globaltimes.cn",
    "www.gov.uk",
    "www.hoover.org",
    "www.icao.int",
    "www.ide.go.jp",
    "www.intertrends.ru",
    "www.isc.org.cn",
    "www.iss.europa.eu",
    "www.itu.int",
    "www.lawfareblog.com",
    "www.mod.go.jp",
    "www.mofa.go.jp",
    "www.newyorker.com",
    "www.nextgov.com",
    "www.nytimes.com",
    "www.perspektivy.info",
    "www.politico.com",
    "www.rand.org",
    "www.rusemb.org.uk",
    "www.scio.gov.cn",
    "www.scmp.com",
    "www.sectsco.org",
    "www.shdf.gov.cn",
    "www.state.gov",
    "www.straitstimes.com",
    "www.theregister.co.uk",
    "www.un.org",
    "www.unidir.org",
    "www.unodc.org",
    "www.washingtonpost.com",
    "www.whitehouse.gov",
    "www.who.int",
    "www.wsj.com",
    "www1.cnnic.cn",
)
# A cited host left out on purpose: a lapsed domain, so the proxy answers 502.
GONE_HOSTS = ("www.newsecuritylearning.com",)


def _archived(title: str) -> str:
    return f"<html><head><title>{title}</title></head><body><p>{title}</p></body></html>"


PDF = FakeResponse(body=b"%PDF-1.4\n% a document\n", content_type="application/pdf")
# Pages of the sites as the site rules' tests have them (hand-written from the sites' layouts).
SITE_PAGES = TESTS_DIR / "fixtures" / "sites"


def _fixture(name: str, status: int = 200) -> FakeResponse:
    return FakeResponse(status=status, body=(SITE_PAGES / name).read_bytes())


UN_HOME = _fixture("un_home.html")
APEC_HOME = _fixture("apec_home.html")
RESET = FakeResponse(hang_up=True)
WAYBACK = "https://web.archive.org"
Behaviour = FakeResponse | Handler


def _un_access(symbol: str) -> str:
    return f"https://documents.un.org/api/symbol/access?s={symbol}&l=en&t=pdf"


# Symbols the five texts cite that documents.un.org holds (all of them, in fact).
UN_SYMBOLS = frozenset(
    {
        "A/RES/53/70",
        "A/RES/53/59",
        "A/RES/55/28",
        "A/RES/57/53",
        "A/54/213",  # cited without a URL: the audit suggests its access URL
        "A/68/98",
        "A/70/174",
        "A/70/172",
    }
)


def _un_symbol_access(request: FakeRequest) -> FakeResponse:
    query = parse_qs(urlsplit(request.path).query)
    symbol = query.get("s", [""])[0]
    if symbol not in UN_SYMBOLS:
        return _fixture("un_documents_not_found.html")
    job = "n" + "".join(ch for ch in symbol if ch.isdigit()).ljust(7, "0")
    return redirect(f"https://documents.un.org/doc/undoc/gen/x/{job}.pdf", status=302)


# Full URL (scheme, host, path and query) → what it answers.
BEHAVIOUR: Mapping[str, Behaviour] = {
    # A retired ODS link that now fails outright.
    "http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70": page(
        "Page not found", "The page you requested could not be found", status=404
    ),
    # A retired ODS link sent to the UN home page: a soft 404.
    "http://www.un.org/en/ga/search/view_doc.asp?symbol=A/RES/53/59": redirect(
        "https://www.un.org/en/", status=302
    ),
    "https://www.un.org/en/": UN_HOME,
    # undocs.org redirects by symbol to the access API, which redirects to the PDF.
    "http://undocs.org/A/70/172": redirect(_un_access("A/70/172"), status=302),
    _un_access("A/70/172"): redirect(
        "https://documents.un.org/doc/undoc/gen/n15/228/35/pdf/n1522835.pdf", status=302
    ),
    "https://documents.un.org/doc/undoc/gen/n15/228/35/pdf/n1522835.pdf": PDF,
    # An old daccess-dds job-number PDF moved for good to documents.un.org.
    "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N04/407/04/PDF/N0440704.pdf?OpenElement": (
        redirect("https://documents.un.org/doc/undoc/gen/n04/407/04/pdf/n0440704.pdf")
    ),
    "https://documents.un.org/doc/undoc/gen/n04/407/04/pdf/n0440704.pdf": PDF,
    # Another that is simply gone.
    "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement": page(
        "Not Found", "The requested document was not found on this server", status=404
    ),
    # Old apec.org deep links land on the home page.
    "http://www.apec.org/Meeting-Papers/Leaders-Declarations/2001/2001_aelm/"
    "statement_on_counter-terrorism.aspx": redirect("https://www.apec.org/", status=302),
    "https://www.apec.org/": APEC_HOME,
    # fmprc.gov.cn drops the connection twice, then answers.
    "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t25077.shtml": sequence(
        RESET, RESET, _fixture("fmprc_article.html")
    ),
    "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml": _fixture(
        "fmprc_not_found.html", status=404
    ),
    # documents.un.org's access API by symbol: 302 to the PDF, or its not-found page.
    "https://documents.un.org/api/symbol/access": _un_symbol_access,
    # A news site that rate-limits: 429 with Retry-After, then the article.
    "https://www.nytimes.com/2017/04/04/us/politics/syria-bashar-al-assad-trump.html": sequence(
        FakeResponse(status=429, headers=(("Retry-After", "1"),), body=b"Too Many Requests"),
        page("Syria Strike", "The article"),
    ),
    # A news site that blocks bots outright.
    "http://www.wsj.com/articles/the-authoritarian-Internet-power-grab-1477436573": page(
        "Access Denied", "You don't have permission to access this page", status=403
    ),
    # Permanent move to https on a new path.
    "http://www.state.gov/secretary/remarks/2015/06/244208.htm": redirect(
        "https://2009-2017.state.gov/secretary/remarks/2015/06/244208.htm"
    ),
}


# The Wayback Machine's captures of the failing links (web.archive.org answers the CDX and
# availability APIs and replays in their documented forms: tests/support/fakearchive.py), each
# from before the citing note's access or publication date, as an editor would want.
CAPTURES: Mapping[str, list[FakeCapture]] = {
    "http://www.un.org/ga/search/view_doc.asp?symbol=A/RES/53/70": [
        FakeCapture("20050312080000", body=_archived("A/RES/53/70 Developments in ICT"))
    ],
    "http://www.un.org/en/ga/search/view_doc.asp?symbol=A/RES/53/59": [
        FakeCapture("20060101000000", body=_archived("A/RES/53/59"))
    ],
    "http://daccess-dds-ny.un.org/doc/UNDOC/GEN/N11/496/56/PDF/N1149656.pdf?OpenElement": [
        FakeCapture("20120601000000", body=_archived("A/66/359"))
    ],
    "http://www.apec.org/Meeting-Papers/Leaders-Declarations/2001/2001_aelm/"
    "statement_on_counter-terrorism.aspx": [
        FakeCapture("20120115000000", body=_archived("APEC Leaders Statement on Counter-Terrorism"))
    ],
    "http://www.fmprc.gov.cn/mfa_eng/wjdt_665385/zyjh_665391/t869580.shtml": [
        FakeCapture("20111020000000", body=_archived("Remarks by Ambassador Wang Qun"))
    ],
    "http://www.newsecuritylearning.com/index.php/archive/"
    "75-chinas-mighty-telecom-footprint-in-africa": [
        FakeCapture("20140210000000", body=_archived("China's mighty telecom footprint in Africa"))
    ],
}


def _wayback(wayback: FakeWayback) -> Handler:
    def answer(request: FakeRequest) -> FakeResponse:
        status, headers, body = wayback.answer(request.path)
        return FakeResponse(
            status=status, body=body.encode(), content_type=headers.get("Content-Type")
        )

    return answer


def _un_document(request: FakeRequest) -> FakeResponse:
    if request.path.startswith("/doc/"):
        return PDF
    return _fixture("un_documents_not_found.html")


def _host_page(name: str) -> Callable[[FakeRequest], FakeResponse]:
    def answer(request: FakeRequest) -> FakeResponse:
        return page(f"{name} — {request.path}", f"The page {request.path} on {name}")

    return answer


def build_world(proxy: FakeProxy) -> dict[str, FakeHost]:
    """Register every live cited host with the proxy, its exceptions routed per URL."""
    hosts = {name: proxy.site(name) for name in LIVE_HOSTS}
    for host in hosts.values():
        host.route("*", _host_page(host.name))
    for url, behaviour in BEHAVIOUR.items():
        rest = url.partition("://")[2]
        name, slash, path = rest.partition("/")
        hosts[name].route(slash + path, behaviour)
    hosts["documents.un.org"].route("*", _un_document)
    wayback = FakeWayback(base=WAYBACK, captures=CAPTURES)
    proxy.site("web.archive.org").route("*", _wayback(wayback))
    return hosts
