"""The prober against a real misbehaving web on 127.0.0.x (tests/support/fakeweb)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests

from citecheck.judge.verdicts import LinkVerdict, judge
from citecheck.probe.links import Link
from citecheck.probe.observation import Observation, ProbeRun, ProbeSettings
from citecheck.probe.run import run_probes
from tests.support.fakeweb import (
    FakeRequest,
    FakeResponse,
    FakeWeb,
    endless_body,
    no_real_network,  # noqa: F401 - a fixture, used by pytestmark
    page,
    redirect,
    sequence,
)

pytestmark = pytest.mark.usefixtures("no_real_network")

FAST = ProbeSettings(timeout=0.5, allow_private=True, backoff_base=0.01, max_retry_wait=1.0)


async def online() -> bool:
    return True


async def offline() -> bool:
    return False


async def canary_must_not_run() -> bool:
    raise AssertionError("the canary ran although servers answered")


def probe(
    web: FakeWeb, urls: list[str], settings: ProbeSettings = FAST, **options: object
) -> tuple[ProbeRun, list[LinkVerdict]]:
    links = [Link(url=url, normalized_url=url) for url in urls]
    run = run_probes(
        links,
        settings,
        resolver=web.resolver(),
        network_canary=options.pop("network_canary", online),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )
    return run, [judge(link, run.observations[link.normalized_url]) for link in links]


def cookie_gate(request: FakeRequest) -> FakeResponse:
    """Redirect to itself with a cookie, and answer once the cookie comes back."""
    if "gate=passed" in request.headers.get("cookie", ""):
        return page("Behind the gate")
    return FakeResponse(
        status=302,
        headers=(("Location", "/cookie-gate"), ("Set-Cookie", "gate=passed; Path=/")),
    )


def head_refused(request: FakeRequest) -> FakeResponse:
    if request.method == "HEAD":
        return FakeResponse(status=405)
    return page("Report", "content")


def lies_on_head(request: FakeRequest) -> FakeResponse:
    return page("Not here", status=404) if request.method == "HEAD" else page("Report")


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as running:
        site = running.add_host("www.site.test")
        site.route("/", page("Welcome to Site"))
        site.route("/ok", page("Cyber norms", "A report."))
        site.route("/moved", redirect("/new-home-of-report"))
        site.route("/new-home-of-report", page("Report"))
        site.route("/chain", redirect("/chain2", 302))
        site.route("/chain2", redirect("/chain3", 307))
        site.route("/chain3", page("End of chain"))
        site.route("/slash", redirect("http://www.site.test/slash/"))
        site.route("/slash/", page("Slash"))
        site.route("/loop-a", redirect("/loop-b"))
        site.route("/loop-b", redirect("/loop-a"))
        site.route("/self", redirect("/self"))
        site.route("/cookie-gate", cookie_gate)
        site.route("/to-nowhere", redirect("http://exa mple.test/"))
        site.route("/to-ftp", redirect("ftp://files.test/report.pdf"))
        for hop in range(15):
            site.route(f"/hop{hop}", redirect(f"/hop{hop + 1}", 302))
        site.route("/deep/old/report.html", redirect("/", 302))
        site.route("/gone-to-error", redirect("/errors/404.html", 302))
        site.route("/errors/404.html", page("Sorry"))
        site.route("/soft", page("Page not found", "We could not find it"))
        site.route("/missing", page("Not Found", status=404))
        site.route("/removed", page("Gone", status=410))
        site.route("/private", page("Login", status=401))
        site.route("/forbidden", page("Forbidden", status=403))
        site.route("/challenge", page("Just a moment...", status=503))
        site.route("/broken", page("Internal error", status=500))
        site.route("/endless", FakeResponse(body=endless_body))
        site.route("/garbage", FakeResponse(raw=b"SPEAK FRIEND\r\n\r\n"))
        site.route("/hangup", FakeResponse(hang_up=True))
        site.route("/hangup-once", sequence(FakeResponse(hang_up=True), page("Steady")))
        site.route("/head-refused", head_refused)
        site.route("/head-lies", lies_on_head)
        site.route(
            "/busy",
            sequence(FakeResponse(status=429, headers=(("Retry-After", "0"),)), page("Calm")),
        )
        site.route("/unavailable", sequence(FakeResponse(status=503), page("Back")))
        site.route("/always-busy", FakeResponse(status=429, headers=(("Retry-After", "0"),)))
        site.route("/always-down", FakeResponse(status=503))
        site.route(
            "/busy-for-an-hour", FakeResponse(status=429, headers=(("Retry-After", "3600"),))
        )
        slow = running.add_host("slow.test")
        slow.route("/", page("Slow", delay=5))
        running.add_closed_host("closed.test")
        yield running


CASES = [
    ("/ok", "ok", "HTTP 200"),
    ("/moved", "redirected", "moved permanently to http://www.site.test/new-home-of-report"),
    ("/chain", "ok", "after 2 redirect(s)"),
    ("/slash", "ok", "after 1 redirect(s)"),
    ("/loop-a", "error", "redirect loop"),
    ("/self", "error", "redirect loop"),
    ("/cookie-gate", "ok", "HTTP 200 after 1 redirect(s)"),
    ("/to-nowhere", "error", "malformed response: redirect to an invalid URL"),
    ("/to-ftp", "unchecked", "non-http scheme: ftp"),
    ("/hop0", "error", "too many redirects"),
    ("/deep/old/report.html", "soft-404", "deep link redirected to the home page"),
    ("/gone-to-error", "soft-404", "redirected to an error page"),
    ("/soft", "soft-404", "page title says not found"),
    ("/missing", "dead", "HTTP 404"),
    ("/removed", "dead", "HTTP 410"),
    ("/private", "blocked", "HTTP 401"),
    ("/forbidden", "blocked", "HTTP 403"),
    ("/challenge", "blocked", "bot challenge"),
    ("/broken", "error", "HTTP 500"),
    ("/endless", "ok", "HTTP 200"),
    ("/garbage", "error", "malformed response"),
    ("/hangup", "error", "connection reset"),
    ("/hangup-once", "ok", "HTTP 200"),
    ("/head-refused", "ok", "HTTP 200"),
    ("/busy", "ok", "HTTP 200"),
    ("/unavailable", "ok", "HTTP 200"),
    ("/always-busy", "blocked", "HTTP 429 (persisted after waiting)"),
    ("/always-down", "error", "HTTP 503"),
    ("/busy-for-an-hour", "blocked", "HTTP 429"),
]


@pytest.fixture(scope="module")
def verdicts(web: FakeWeb) -> dict[str, LinkVerdict]:
    urls = [f"http://www.site.test{path}" for path, _, _ in CASES]
    urls += ["http://slow.test/", "http://closed.test/x", "http://nowhere.test/"]
    _, judged = probe(web, urls, network_canary=canary_must_not_run)
    return {v.url.removeprefix("http://www.site.test"): v for v in judged}


@pytest.mark.parametrize(("path", "verdict", "reason"), CASES)
def test_every_misbehaviour_gets_its_verdict(
    verdicts: dict[str, LinkVerdict], path: str, verdict: str, reason: str
) -> None:
    assert (verdicts[path].verdict, reason in verdicts[path].reason) == (verdict, True), verdicts[
        path
    ]


def test_a_slow_host_times_out(verdicts: dict[str, LinkVerdict]) -> None:
    assert (verdicts["http://slow.test/"].verdict, verdicts["http://slow.test/"].reason) == (
        "timeout",
        "no complete answer within 0.5 s",
    )


def test_a_refused_connection_is_dead(verdicts: dict[str, LinkVerdict]) -> None:
    assert (verdicts["http://closed.test/x"].verdict, verdicts["http://closed.test/x"].reason) == (
        "dead",
        "connection refused",
    )


def test_one_name_failing_while_others_answer_is_dead(verdicts: dict[str, LinkVerdict]) -> None:
    assert verdicts["http://nowhere.test/"].verdict == "dead"
    assert "name does not resolve" in verdicts["http://nowhere.test/"].reason


def test_redirect_chain_is_recorded(verdicts: dict[str, LinkVerdict]) -> None:
    assert verdicts["/chain"].redirects == (
        "http://www.site.test/chain2",
        "http://www.site.test/chain3",
    )
    assert verdicts["/chain"].final_url == "http://www.site.test/chain3"


def test_retries_wait_and_then_succeed(web: FakeWeb) -> None:
    site = web.hosts["www.site.test"]
    site.route(
        "/busy-twice", sequence(FakeResponse(status=429), FakeResponse(status=503), page("Up"))
    )
    run, judged = probe(web, ["http://www.site.test/busy-twice"])
    assert judged[0].verdict == "ok"
    assert run.observations["http://www.site.test/busy-twice"].tries == 3


def test_retry_after_beyond_the_bound_is_not_waited_for(web: FakeWeb) -> None:
    started = time.monotonic()
    run, judged = probe(web, ["http://www.site.test/busy-for-an-hour"])
    assert time.monotonic() - started < 1.0
    assert run.observations["http://www.site.test/busy-for-an-hour"].tries == 1
    assert judged[0].verdict == "blocked"


def test_an_endless_body_costs_at_most_the_cap(web: FakeWeb) -> None:
    settings = ProbeSettings(timeout=5, allow_private=True, max_body_bytes=100_000)
    started = time.monotonic()
    run, judged = probe(web, ["http://www.site.test/endless"], settings)
    assert time.monotonic() - started < 2.0
    observation = run.observations["http://www.site.test/endless"]
    assert (judged[0].verdict, observation.title) == ("ok", "Endless")
    assert observation.fingerprint is not None


def test_head_first_falls_back_to_get_when_head_is_refused_or_lies(web: FakeWeb) -> None:
    settings = ProbeSettings(timeout=0.5, allow_private=True, head_first=True)
    before = len(web.requests)
    urls = ["http://www.site.test/head-refused", "http://www.site.test/head-lies"]
    run, judged = probe(web, urls, settings)
    assert [v.verdict for v in judged] == ["ok", "ok"]
    methods = sorted((r.path, r.method) for r in web.requests[before:])
    assert methods == [
        ("/head-lies", "GET"),
        ("/head-lies", "HEAD"),
        ("/head-refused", "GET"),
        ("/head-refused", "HEAD"),
    ]
    assert run.observations[urls[0]].method == "GET"


def test_requests_carry_an_honest_user_agent(web: FakeWeb) -> None:
    before = len(web.requests)
    probe(web, ["http://www.site.test/ok"])
    probe(web, ["http://www.site.test/ok"], ProbeSettings(allow_private=True, user_agent="me/1"))
    agents = [r.user_agent for r in web.requests[before:]]
    assert agents[0].startswith("citecheck/") and "+http" in agents[0]
    assert agents[1] == "me/1"


class TestAddressPolicy:
    """Without --allow-private nothing on loopback/private networks is ever contacted."""

    def test_names_resolving_to_loopback_are_refused(self, web: FakeWeb) -> None:
        before = len(web.requests)
        settings = ProbeSettings(timeout=0.5)
        _, judged = probe(web, ["http://www.site.test/ok"], settings)
        assert (judged[0].verdict, judged[0].reason.split(":")[0]) == (
            "unchecked",
            "private address",
        )
        assert len(web.requests) == before

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:9/",
            "http://10.1.2.3/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://[::ffff:192.168.0.1]/",
            "http://224.0.0.1/",
        ],
    )
    def test_address_literals_are_refused(self, web: FakeWeb, url: str) -> None:
        _, judged = probe(web, [url], ProbeSettings(timeout=0.5))
        assert judged[0].verdict == "unchecked"
        assert judged[0].reason.startswith("private address")

    def test_a_redirect_into_a_private_address_is_refused(self, web: FakeWeb) -> None:
        public = web.add_host("public.test")
        internal = web.add_host("internal.test")
        public.route("/", redirect("http://internal.test/secret", 302))
        internal.route("/secret", page("Secret"))
        _, judged = probe(
            web,
            ["http://public.test/"],
            ProbeSettings(timeout=0.5),
            address_policy=lambda address: address == public.ip,
        )
        assert judged[0].verdict == "unchecked"
        assert judged[0].reason.startswith("private address")
        assert web.requests_to(internal) == []


class TestScheduling:
    def test_no_host_sees_more_than_per_host_at_once(self) -> None:
        with FakeWeb() as web:
            host = web.add_host("busy.test")
            for n in range(12):
                host.route(f"/{n}", page("p", delay=0.05))
            settings = ProbeSettings(allow_private=True, concurrency=10, per_host=3)
            probe(web, [f"http://busy.test/{n}" for n in range(12)], settings)
            assert web.most_in_flight["busy.test"] == 3

    def test_a_slow_host_does_not_stall_the_others(self) -> None:
        """Requests queued for a busy host must not sit on global slots: with the slots taken
        the other way round, the fast host would wait for the slow host's first round."""
        with FakeWeb() as web:
            slow = web.add_host("slow.test")
            fast = web.add_host("fast.test")
            for n in range(4):
                slow.route(f"/{n}", page("slow", delay=0.8))
            for n in range(8):
                fast.route(f"/{n}", page("fast", delay=0.01))
            finished: dict[str, float] = {}
            started = time.monotonic()

            def note(link: Link, observation: Observation) -> None:
                finished[link.url] = time.monotonic() - started

            urls = [f"http://slow.test/{n}" for n in range(4)]
            urls += [f"http://fast.test/{n}" for n in range(8)]
            settings = ProbeSettings(allow_private=True, concurrency=3, per_host=2)
            probe(web, urls, settings, on_observation=note)
            slowest_fast = max(t for url, t in finished.items() if "fast" in url)
            assert slowest_fast < 0.8 < max(finished.values())


class TestOffline:
    def test_all_names_failing_and_canary_failing_means_offline(self) -> None:
        recorded: list[Observation] = []
        with FakeWeb() as web:
            run, judged = probe(
                web,
                [f"http://host{n}.test/" for n in range(12)],
                network_canary=offline,
                on_observation=lambda link, observation: recorded.append(observation),
            )
        assert run.network.state == "offline"
        assert {(v.verdict, v.reason) for v in judged} == {("unchecked", "network unreachable")}
        assert recorded == []

    def test_offline_keeps_reasons_that_never_needed_the_network(self) -> None:
        with FakeWeb() as web:
            urls = ["ftp://files.test/a", *(f"http://host{n}.test/" for n in range(3))]
            _, judged = probe(web, urls, network_canary=offline)
        assert [v.reason for v in judged] == ["non-http scheme: ftp"] + ["network unreachable"] * 3

    def test_all_names_failing_but_canary_answering_means_dead(self) -> None:
        with FakeWeb() as web:
            run, judged = probe(web, ["http://gone.test/", "http://gone2.test/"])
        assert run.network.state == "online"
        assert [v.verdict for v in judged] == ["dead", "dead"]


@dataclass(frozen=True)
class PatientRule:
    """A site rule (as citecheck/sites will provide) asking for more connection retries."""

    name: str = "patient"
    connection_retries: int = 8

    def soft_404_reason(self, observation: Observation) -> str | None:
        return None

    def successors(self, url: str) -> tuple[str, ...]:
        return ()


def hangs_up_first(times: int) -> Callable[[FakeRequest], FakeResponse]:
    seen: list[FakeRequest] = []

    def handler(request: FakeRequest) -> FakeResponse:
        seen.append(request)
        return FakeResponse(hang_up=True) if len(seen) <= times else page("Finally")

    return handler


@pytest.mark.parametrize(("rule", "verdict"), [(None, "error"), (PatientRule(), "ok")])
def test_a_site_rule_buys_extra_connection_retries(
    web: FakeWeb, rule: PatientRule | None, verdict: str
) -> None:
    path = f"/flaky-{verdict}"
    web.hosts["www.site.test"].route(path, hangs_up_first(8))
    settings = ProbeSettings(allow_private=True, backoff_base=0.001, max_retry_wait=0.05)
    _, judged = probe(web, [f"http://www.site.test{path}"], settings, rules=lambda url: rule)
    assert judged[0].verdict == verdict


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server context with a self-signed certificate, which no client should trust."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    subprocess.run(
        [*command, "-subj", "/CN=tls.test", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_an_untrusted_certificate_is_a_tls_error(web: FakeWeb, self_signed: ssl.SSLContext) -> None:
    secure = web.add_host("tls.test", tls=self_signed)
    secure.route("/", page("Secure"))
    _, judged = probe(web, ["https://tls.test/"])
    assert judged[0].verdict == "error"
    assert judged[0].reason.startswith("TLS failure")


def test_fakeweb_serves_named_hosts_to_requests_through_its_proxy(web: FakeWeb) -> None:
    archive = web.add_host("archive.test")
    archive.route("/wayback/available", lambda request: FakeResponse(body=request.path.encode()))
    answer = requests.get(
        "http://archive.test/wayback/available?url=x", proxies=web.proxies(), timeout=5
    )
    assert (answer.status_code, answer.text) == (200, "/wayback/available?url=x")
    unknown = requests.get("http://nowhere.test/", proxies=web.proxies(), timeout=5)
    assert unknown.status_code == 502
