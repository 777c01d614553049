"""The in-memory caches of a worker process, each bounded by the bytes it holds as well as by its entries, within one
per-worker budget ($CUBA_CACHE_BYTES, dashboard/settings.py).

Why: a cache bounded only by entries is bounded by nothing when one entry can be large. 2,000 downloads of an 11 MB
CSV are 22 GB; a client that asks for a new `start` day each time gets there (issue 15). Sizes are what the value
takes in memory: exact for bytes and text, an estimate (stated where it is made) for built objects.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import pandas as pd
from flask_caching.backends.base import BaseCache
from flask_caching.backends.filesystemcache import FileSystemCache

from dashboard import settings

# Shares of the per-worker budget. Answers as sent and built files (downloads, images, embed pages) are what a
# visitor gets back fastest; views and layouts are the work behind them. "linked": the images the pages link to
# (dashboard/serving.py, LinkedViews), kept apart so that no number of other renders pushes them out: ~300 images,
# an estimated 15–25 MB per data version (sampled sizes: PNGs 50–160 KB, SVGs 20–40 KB); the share (31 MB of the
# default 256 MiB) holds the version serving (the one before is named by no request once a new one loads).
SHARES = {"answers": 0.28, "files": 0.25, "linked": 0.12, "views": 0.22, "layouts": 0.08, "tables": 0.05}
ENTRIES = {"answers": 20_000, "files": 2_000, "linked": 1_000, "views": 256, "layouts": 128, "tables": 24}
# No single entry may take more than this part of its cache: one huge answer must not flush every other one.
ITEM_PART = 8


def budget(name: str, total: int | None = None) -> tuple[int, int, int]:
    """(bytes, entries, largest entry in bytes) for one of the caches, from the per-worker budget."""
    total = settings.cache_bytes() if total is None else total
    max_bytes = int(total * SHARES[name])
    return max_bytes, ENTRIES[name], max_bytes // ITEM_PART


def frame_key(frame: pd.DataFrame) -> tuple:
    """A DataFrame as a cache key, by value: its columns, their types, its length and a 128-bit digest of its values
    (pandas' row hashes; the index is left out). Equal frames give equal keys wherever they were built."""
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    digest = hashlib.blake2b(rows.tobytes(), digest_size=16).hexdigest()
    return tuple(frame.columns), tuple(str(dtype) for dtype in frame.dtypes), len(frame), digest


def size_of(value: Any) -> int:
    """Bytes a stored value takes: exact for bytes and str, the pickled size otherwise (a lower bound)."""
    if isinstance(value, (bytes, bytearray, str)):
        return sys.getsizeof(value)
    if isinstance(value, (tuple, list)):
        return sys.getsizeof(value) + sum(size_of(v) for v in value)
    return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


class ByteLRU:
    """A thread-safe LRU bounded by the total size of its values and by its number of entries. A value larger than
    `max_item` is not kept (set returns False)."""

    def __init__(self, name: str, max_bytes: int, max_entries: int, max_item: int | None = None) -> None:
        self.name = name
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.max_item = max_bytes if max_item is None else min(max_item, max_bytes)
        self.size = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def for_budget(cls, name: str) -> ByteLRU:
        return cls(name, *budget(name))

    @classmethod
    def of_entries(cls, name: str, max_entries: int) -> ByteLRU:
        """Bounded by its number of entries alone (values stored with size 0): for values whose count is what
        matters, such as whole data versions."""
        return cls(name, 0, max_entries)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Any]:
        with self._lock:
            return iter(list(self._items))

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return default
            self._items.move_to_end(key)
            return item[0]

    def set(self, key: Any, value: Any, size: int) -> bool:
        if size > self.max_item:
            self.delete(key)  # an older, smaller value under this key would be out of date
            return False
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._items[key] = (value, size)
            self.size += size
            while self._items and (self.size > self.max_bytes or len(self._items) > self.max_entries):
                _, (_, dropped) = self._items.popitem(last=False)
                self.size -= dropped
            return True

    def delete(self, key: Any) -> bool:
        with self._lock:
            old = self._items.pop(key, None)
            if old is None:
                return False
            self.size -= old[1]
            return True

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


class BytesCache(BaseCache):
    """Flask-Caching backend (`CACHE_TYPE = "dashboard.memo.BytesCache"`): SimpleCache's job — built downloads,
    images and embed pages in process memory with an expiry — but bounded in bytes (the "files" share of the
    budget) as well as in entries."""

    def __init__(self, max_bytes: int, max_entries: int, max_item: int, default_timeout: int = 300) -> None:
        super().__init__(default_timeout=default_timeout)
        self.lru = ByteLRU("files", max_bytes, max_entries, max_item)

    @classmethod
    def factory(cls, app: Any, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]) -> BytesCache:
        max_bytes, entries, max_item = budget("files")
        return cls(max_bytes, entries, max_item, config.get("CACHE_DEFAULT_TIMEOUT", 300))

    def get(self, key: str) -> Any:
        item = self.lru.get(key)
        if item is None:
            return None
        expires, value = item
        if expires and expires < time.monotonic():
            self.lru.delete(key)
            return None
        return value

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        seconds = self._normalize_timeout(timeout)
        expires = time.monotonic() + seconds if seconds else 0.0
        return self.lru.set(key, (expires, value), size_of(value) + 100)

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        if self.has(key):
            return False
        return self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        return self.lru.delete(key)

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def clear(self) -> bool:
        self.lru.clear()
        return True


class SizedFileSystemCache(FileSystemCache):
    """Flask-Caching's FileSystemCache (CUBA_CACHE_TYPE=FileSystemCache: shared by the workers on disk) keeping no
    value larger than the largest entry of the "files" share, so that its threshold (entries) bounds its bytes too."""

    def set(self, key: str, value: Any, timeout: Any = None, mgmt_element: bool = False) -> bool:
        if not mgmt_element and size_of(value) > budget("files")[2]:
            self.delete(key)
            return False
        return super().set(key, value, timeout, mgmt_element)
