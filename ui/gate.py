"""First come, first served: at most a few page runs of one server process at a time.

Streamlit runs every session's script in its own thread. When a room of visitors opens the
link at once, forty threads share one interpreter lock and every page finishes at the end of
the burst (p50 ≈ p95). With a gate, runs enter in the order they arrived, ``MAG_CONCURRENT_RUNS``
(default 2) at a time: the first visitors see their page after a fraction of the burst, the last
no later than before (less switching between threads), and a visitor's own click waits only
for the runs queued before it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from collections.abc import Iterator


def _limit() -> int:
    try:
        return max(1, int(os.environ.get("MAG_CONCURRENT_RUNS", "2")))
    except ValueError:
        return 2


class Gate:
    """A FIFO counting semaphore (``threading.Semaphore`` does not promise arrival order)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._active = 0

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            while self._queue[0] is not ticket or self._active >= self.limit:
                self._cond.wait()
            self._queue.popleft()
            self._active += 1
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()


_GATE = Gate(_limit())


def turn() -> contextlib.AbstractContextManager[None]:
    """Wait for this run's turn (in arrival order) and hold it until the block ends."""
    return _GATE.turn()
