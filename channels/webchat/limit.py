"""Per-address and per-conversation limits on the web chat API (sliding windows, in this process).

Generous enough for a class sharing one school address; tight enough that one client cannot flood
the engine. Each worker process keeps its own count, so the real ceiling is this times the workers.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limit:
    messages: int
    characters: int
    seconds: float


PER_ADDRESS = Limit(messages=60, characters=40_000, seconds=60)
PER_CHAT = Limit(messages=10, characters=12_000, seconds=20)
MAX_KEYS = 50_000  # forget the oldest clients first when this many are tracked


@dataclass
class SlidingWindow:
    limit: Limit
    _seen: dict[str, deque[tuple[float, int]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str, characters: int, now: float | None = None) -> bool:
        """Count this message for `key` if it fits in the window; refuse (uncounted) if not."""
        t = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen.pop(key, None) or deque()
            while seen and seen[0][0] <= t - self.limit.seconds:
                seen.popleft()
            fits = len(seen) < self.limit.messages and sum(c for _, c in seen) + characters <= self.limit.characters
            if fits:
                seen.append((t, characters))
            self._seen[key] = seen  # re-inserted last: dict order is least recently used first
            while len(self._seen) > MAX_KEYS:
                self._seen.pop(next(iter(self._seen)))
            return fits
