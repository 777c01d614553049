"""The one HTTP client: mirror rewrite, redaction, conditional GET, retries and failures over a real socket."""

from __future__ import annotations

import pytest

from etl.http import USER_AGENT, FetchError, get, make_session, mirror_url, redact
from tests.support.fixture_server import Fault, FixtureServer

URL = "https://example.org/data/file.csv"


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "example.org" / "data").mkdir(parents=True)
    (tmp_path / "example.org" / "data" / "file.csv").write_bytes(b"a,b\n1,2\n")
    return tmp_path


def test_mirror_url_maps_host_and_path_and_keeps_query():
    assert mirror_url("https://h.org/p/q.csv?x=1", "http://127.0.0.1:9/") == "http://127.0.0.1:9/h.org/p/q.csv?x=1"
    assert mirror_url("https://h.org/p", None) == "https://h.org/p"


def test_redact_hides_api_keys():
    assert redact("https://api.eia.gov/v2/x?api_key=SECRET&a=1") == "https://api.eia.gov/v2/x?api_key=REDACTED&a=1"


def test_get_sends_user_agent_and_returns_bytes(tree):
    with FixtureServer(tree) as srv:
        result = get(make_session(), URL, mirror=srv.url)
        assert result.status == 200 and result.content == b"a,b\n1,2\n"
        assert result.url == URL  # provenance names the production URL, not the mirror
        assert srv.requests[-1][1]["User-Agent"] == USER_AGENT


def test_get_conditional_request_answers_304(tree):
    with FixtureServer(tree) as srv:
        first = get(make_session(), URL, mirror=srv.url)
        second = get(make_session(), URL, mirror=srv.url, etag=first.headers["ETag"])
        assert second.not_modified and second.content == b""
        assert srv.requests[-1][1]["If-None-Match"] == first.headers["ETag"]


def test_get_retries_a_transient_500_then_succeeds(tree):
    with FixtureServer(tree, faults={"example.org/data/file.csv": Fault("status", 503, times=1)}) as srv:
        result = get(make_session(retries=2, backoff=0), URL, mirror=srv.url)
        assert result.content == b"a,b\n1,2\n"
        assert len(srv.requests) == 2


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault("status", 500), "500"),
        (Fault("status", 404), "HTTP 404"),
        (Fault("truncate"), "fetch"),
        (Fault("sleep", seconds=1.5), "timed out"),
    ],
)
def test_get_failures_raise_fetch_error_naming_the_url(tree, fault, message):
    with FixtureServer(tree, faults={"example.org/data/file.csv": fault}) as srv, pytest.raises(FetchError) as info:
        get(make_session(retries=0, backoff=0), URL, mirror=srv.url, timeout=(1, 1))
    assert message in str(info.value)
    assert "example.org/data/file.csv" in str(info.value)


def test_get_refuses_bodies_over_the_limit(tree):
    with FixtureServer(tree) as srv, pytest.raises(FetchError, match="limit"):
        get(make_session(), URL, mirror=srv.url, max_bytes=4)


def test_get_404_allowed_for_optional_files(tree):
    with FixtureServer(tree) as srv:
        result = get(make_session(), "https://example.org/nothing.csv", mirror=srv.url, allow_404=True)
    assert result.status == 404
