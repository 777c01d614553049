"""Issue 15, image renders under attack: a few clients asking for new views must not keep readers of the views the
pages link to waiting, nor take all of a process's render time. Against gunicorn with deploy/gunicorn.conf.py on
127.0.0.1 (tests/support/gunicorn_server.py); clients are told apart by X-Forwarded-For, as behind the proxy.

- The images the pages link to are kept apart from the files cache: however many other answers are built, they are
  still served from memory, to a reader who may cause no render at all.
- One not rendered yet is rendered first for its reader, who is neither limited per client nor told the server is
  busy, while other clients keep the render slot full.
- Among other renders, a client that asks without pause gets its turn and no more: a client asking now and then is
  served every time, and the busy one is told to retry (429/503 with Retry-After) at once instead of waiting.
(Speed under attack is measured in bench/render_attack.py, not here.)
"""

from __future__ import annotations

import threading

import requests

from tests.support.gunicorn_server import Gunicorn

IDENTITY = {"Accept-Encoding": "identity"}  # not the bytes the app kept as sent to other clients (routes' answers)


def fetch(base: str, path: str, client: str | None = None) -> requests.Response:
    headers = {**IDENTITY, **({"X-Forwarded-For": client} if client else {})}
    return requests.get(base + path, headers=headers, timeout=120)


def default_png(chart_id: str) -> str:
    """The chart's PNG in its default view, as its embed code and oEmbed thumbnail link it."""
    from dashboard import charts
    from dashboard.data import DataStore

    store = DataStore()
    spec = charts.get(chart_id)
    return charts.download_path(spec, charts.narrow(spec, store, charts.parse_state(spec, store, {})), "png")


def test_linked_images_are_never_pushed_out_of_memory_by_other_answers(tmp_path):
    linked = default_png("une-supply-demand")
    other = "/download/une-supply-demand.png?start=2024-03-05"
    with Gunicorn(
        tmp_path / "server.log",
        CUBA_CACHE_BYTES=str(16 * 2**20),  # 4 MiB of built files
        CUBA_EXPENSIVE_PER_MINUTE="0",
        CUBA_EXPENSIVE_BURST="0",  # readers may cause no render at all; the machine itself is not limited
    ) as server:
        for path in (linked, other):
            assert fetch(server.base, path).status_code == 200
        for day in range(40):  # distinct ~150 KB answers, 6 MB in all, built and kept in the files cache
            path = f"/download/explore.csv?table=une_daily&start=2023-{1 + day // 28:02d}-{1 + day % 28:02d}"
            assert fetch(server.base, path).status_code == 200
        assert fetch(server.base, other, "198.51.100.4").status_code == 429  # pushed out: it would need a render
        kept = fetch(server.base, linked, "198.51.100.4")
        assert kept.status_code == 200 and kept.headers["X-Cache"] == "hit"
        assert kept.content.startswith(b"\x89PNG")


class Flood(threading.Thread):
    """One client asking for a new view without pause, from `parallel` connections, until stopped."""

    def __init__(self, base: str, client: str, parallel: int) -> None:
        super().__init__(daemon=True)
        self.base, self.client, self.parallel = base, client, parallel
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.refusals: list[requests.Response] = []
        self._day = 0
        self._lock = threading.Lock()

    def next_path(self) -> str:
        with self._lock:
            self._day += 1
            month, day = divmod(self._day, 28)
        return f"/download/une-calendar.png?start={2019 + month // 12}-{month % 12 + 1:02d}-{day + 1:02d}"

    def loop(self) -> None:
        with requests.Session() as session:
            while not self.stop.is_set():
                headers = {**IDENTITY, "X-Forwarded-For": self.client}
                response = session.get(self.base + self.next_path(), headers=headers, timeout=120)
                self.statuses.append(response.status_code)
                if response.status_code != 200:
                    self.refusals.append(response)

    def run(self) -> None:
        workers = [threading.Thread(target=self.loop, daemon=True) for _ in range(self.parallel)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


def test_a_client_asking_without_pause_gets_its_turn_and_no_more(tmp_path):
    linked = [default_png("une-calendar"), "/share/generation.png"]
    with Gunicorn(
        tmp_path / "server.log",
        CUBA_THREADS="4",
        CUBA_RENDER_SLOTS="1",
        CUBA_RENDER_QUEUE="1",
        CUBA_EXPENSIVE_PER_MINUTE="6000",  # not the per-client limit: the process's render time is what is shared
        CUBA_EXPENSIVE_BURST="1000",
    ) as server:
        assert fetch(server.base, "/download/une-calendar.png?start=2018-01-01").status_code == 200  # browser up
        flood = Flood(server.base, "203.0.113.66", parallel=3)
        flood.start()
        try:
            while flood.statuses.count(200) < 3:  # the busy client has used render time already
                flood.stop.wait(0.2)
            light = [
                fetch(server.base, f"/download/une-calendar.png?start=2017-0{m}-01", "198.51.100.8")
                for m in (1, 2, 3, 4)
            ]
            readers = [fetch(server.base, path, "198.51.100.9") for path in linked]
        finally:
            flood.stop.set()
            flood.join(timeout=120)
        assert [r.status_code for r in light] == [200] * 4, [(r.status_code, r.text[:80]) for r in light]
        assert [r.status_code for r in readers] == [200, 200], [r.status_code for r in readers]
        assert all(r.content.startswith(b"\x89PNG") for r in (*light, *readers))
        # The busy client was told to come back, each time with a Retry-After, never left holding a thread.
        assert flood.refusals, flood.statuses
        assert {r.status_code for r in flood.refusals} <= {429, 503}
        assert all(int(r.headers["Retry-After"]) > 0 for r in flood.refusals)
        again = [fetch(server.base, path, "198.51.100.10") for path in linked]
        assert [r.headers["X-Cache"] for r in again] == ["hit", "hit"]
