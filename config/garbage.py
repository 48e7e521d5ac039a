"""How often the server's Python collects cyclic garbage (docs/decisions/0037).

CPython starts a collection of its youngest objects after every 700 container objects made and
not yet freed. A page that builds tens of thousands of rows and entries at once (a manager's
calendar feed at 5,000 strategies makes about 300,000) triggers hundreds of collections, each
walking the objects still alive, which are all in use: at 5,000 strategies that was 270 ms of
the feed's 1.1 s. Collecting after 10,000 instead keeps every page's work the same and cyclic
garbage still collected, a few megabytes later at most. Servers call `tune()` as they start
(config/wsgi.py, config/asgi.py; `runserver` loads the WSGI module too); the page benchmark calls
it as well, so that it measures the pages as the server runs them. Tests and the other
management commands keep Python's default."""

from __future__ import annotations

import gc

YOUNGEST_THRESHOLD = 10_000  # Python's default is 700


def tune() -> None:
    """Collects the youngest generation after YOUNGEST_THRESHOLD allocations, leaving the older
    generations' thresholds as they are."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_THRESHOLD, middle, oldest)
