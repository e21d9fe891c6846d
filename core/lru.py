"""A bounded, thread-safe least-recently-used map with hit and miss counts: the result cache
(bounded by count) and the code verifier's compile cache (bounded by bytes) are both one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_: object) -> int:
    return 1


class LRU(Generic[K, V]):
    """Keeps values whose ``weight`` (1 each unless given) sums to at most ``limit``, the
    least recently used out first; a value heavier than the whole limit is never kept."""

    def __init__(self, limit: int, weight: Callable[[V], int] = _one) -> None:
        self.limit = limit
        self.hits = 0
        self.misses = 0
        self._weight = weight
        self._items: OrderedDict[K, V] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: K, value: V) -> None:
        weight = self._weight(value)
        if weight > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._total -= self._weight(old)
            self._items[key] = value
            self._total += weight
            while self._total > self.limit:
                _, evicted = self._items.popitem(last=False)
                self._total -= self._weight(evicted)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._total = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def total(self) -> int:
        """The weight of what is kept (the count, unless a weight was given)."""
        return self._total
