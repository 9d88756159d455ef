"""Fixtures for the cluster and shared-store tests: one PostgreSQL server per session."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support.postgres import running_postgres, server_binaries


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    if server_binaries() is None:
        pytest.skip("PostgreSQL server absent; .ci/run installs the postgresql package")
    with running_postgres() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh database on the session's server, so tests never see each other's rows."""
    import psycopg  # noqa: PLC0415

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
