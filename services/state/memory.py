"""State kept in this process: the default when no Redis is configured (one instance of the app)."""

from __future__ import annotations

import copy
import threading
import time

from services.state.store import Record


class MemoryStore:
    """Records in a dict, dropped as they expire, and the oldest first when the store is full.

    Written here rather than taken from a cache library: it is a few lines over a dict, and the app's
    dependencies offer none with a time to live per record.
    """

    def __init__(self, *, max_records: int) -> None:
        self._max_records = max_records
        self._records: dict[str, tuple[float, Record]] = {}  # insertion order: the oldest first
        self._lock = threading.Lock()

    def put(self, key: str, record: Record, ttl_seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            self._records.pop(key, None)
            if len(self._records) >= self._max_records:
                self._records = {k: kept for k, kept in self._records.items() if kept[0] > now}
                while len(self._records) >= self._max_records:
                    del self._records[next(iter(self._records))]
            self._records[key] = (now + ttl_seconds, copy.deepcopy(record))

    def get(self, key: str) -> Record | None:
        with self._lock:
            return self._live(key, self._records.get(key))

    def take(self, key: str) -> Record | None:
        with self._lock:
            return self._live(key, self._records.pop(key, None))

    def delete(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def _live(self, key: str, kept: tuple[float, Record] | None) -> Record | None:
        if kept is None:
            return None
        if kept[0] <= time.monotonic():
            self._records.pop(key, None)
            return None
        return copy.deepcopy(kept[1])  # a copy, as from Redis: changing it changes nothing stored
