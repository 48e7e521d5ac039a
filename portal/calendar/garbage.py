"""Cyclic garbage collection paused while the calendar feed is built and written
(docs/decisions/0042). How often a server collects otherwise is config/garbage.py's."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_pauses = 0  # blocks running in `paused`, in any thread
_resume = True  # whether collection was on when the first of them began
_lock = threading.Lock()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while the block runs, for work that builds a large structure that
    all stays alive until it is done (the calendar feed's tens of thousands of rows, entries
    and lines: every collection in it walks them and frees nothing). Collection resumes when
    the last block running in the process ends, however it ends, unless it was already off
    when the first began: the garbage made meanwhile is collected by the collections that
    follow (docs/decisions/0042)."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
