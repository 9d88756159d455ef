"""A warm re-run sends no request: cited links and successor candidates come from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.judge.checking import CheckHooks, CheckOptions, check_links
from citecheck.judge.sites import un
from citecheck.probe.links import Link, normalize_url
from citecheck.probe.observation import ProbeSettings
from tests.judge.test_sites_local import VIEW_DOC, online
from tests.support.fakeweb import FakeWeb
from tests.support.fakeweb.sites import add_un

SUCCESSOR = "http://documents.un.org/api/symbol/access?s=A/68/98&l=en&t=pdf"


def test_the_second_run_reuses_every_observation_successors_included(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(un, "ACCESS_BASE", "http://documents.un.org/api/symbol/access")
    monkeypatch.setattr(un, "DOCUMENTS_BASE", "http://documents.un.org")
    links = [Link(VIEW_DOC, normalize_url(VIEW_DOC), dates=("2013",), un_symbols=("A/68/98",))]
    settings = ProbeSettings(timeout=2, allow_private=True)
    options = CheckOptions(probe=settings, cache_dir=tmp_path / "cache", archive="none")
    with FakeWeb() as web:
        add_un(web)
        hooks = CheckHooks(resolver=web.resolver(), network_canary=online)
        first = check_links(links, options, hooks)
        asked_first = len(web.requests)
        second = check_links(links, options, hooks)
        asked_again = len(web.requests) - asked_first
    assert first.verdicts[0].successor_url == SUCCESSOR
    assert asked_first >= 2  # the cited link and its successor
    assert asked_again == 0
    assert second.verdicts == first.verdicts
