"""The load test's clients (bench/load.py): a person's browser session, the count of answers by
class and time, and the 5xx the server logged, by path and exception."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict

PASSWORD = "load-password-2026"
CLASSES = ["2xx/3xx", "4xx", "503", "500", "other 5xx", "connection errors"]
UNSURE = {"503", "500", "other 5xx", "connection errors"}  # a write's outcome not known


def answer_class(status: int) -> str:
    if status == 0:
        return "connection errors"
    if status < 400:
        return "2xx/3xx"
    if status < 500:
        return "4xx"
    return {503: "503", 500: "500"}.get(status, "other 5xx")


class Browser:
    """One person's session: cookies, the CSRF token of the last form, timings per page."""

    def __init__(self, stats, base: str, stop: threading.Event) -> None:
        self.base, self.stop = base, stop  # the server's address, http://127.0.0.1:port
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.stats = stats

    def request(self, label: str, path: str, data: dict | None = None) -> tuple[int, str]:
        """The status (0: no answer) and text. After a 5xx or no answer it pauses as a person
        would, as asked (Retry-After, at most 2 s) or half a second, before going on."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base + path
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        started, retry_after = time.monotonic(), None
        try:
            with self.opener.open(request, timeout=60) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            retry_after = error.headers.get("Retry-After")
        except OSError as error:
            status, text = 0, str(error)
        self.stats.add(label, path, started, time.monotonic(), status)
        if answer_class(status) in UNSURE:
            pause = float(retry_after) if (retry_after or "").isdigit() else 0.5
            self.stop.wait(min(pause, 2.0))
        return status, text

    def form(self, label: str, path: str) -> tuple[int, dict]:
        status, page = self.request(label, path)
        if status != 200:
            return status, {}
        return status, dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        )

    def sign_in(self, username: str) -> bool:
        """Signs in, trying again while the database is down; False if stopped meanwhile."""
        while not self.stop.is_set():
            status, fields = self.form("sign-in page", "/accounts/login/")
            if status == 200:
                status, _ = self.request(
                    "sign in", "/accounts/login/",
                    {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "username": username,
                     "password": PASSWORD},
                )  # fmt: skip
                if status == 302:
                    return True
            assert answer_class(status) in UNSURE, f"{username} could not sign in ({status})"
        return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we measure


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.classes: dict[str, Counter] = defaultdict(Counter)
        self.failures: list[tuple[float, float, int, str]] = []  # 5xx and no answer
        self.spans: dict[str, list[tuple[float, float]]] = defaultdict(list)  # started, ended

    def add(self, label: str, path: str, started: float, ended: float, status: int) -> None:
        with self.lock:
            self.times[label].append((ended - started) * 1000)
            self.spans[label].append((started, ended))
            self.classes[label][answer_class(status)] += 1
            if status == 0 or status >= 500:
                self.failures.append((started, ended, status, path))

    def steady_times(self, label: str, window: tuple[float, float] | None) -> list[float]:
        """The label's times in ms, leaving out requests that overlapped `window` (the
        database's restart), if any."""
        return [
            (ended - started) * 1000
            for started, ended in self.spans[label]
            if window is None or ended < window[0] or started > window[1]
        ]


def server_errors(log: str) -> Counter:
    """The 5xx the server logged, by reason, path (digits as N) and its traceback's last line,
    from Django's "Internal Server Error: /path" (or gunicorn's "Error handling request") and
    the traceback that follows it."""
    found: Counter = Counter()
    lines, i = log.splitlines(), 0
    while i < len(lines):
        head = re.match(  # Django's record, or gunicorn's own when a request broke it
            r"(?:\[.*\[ERROR\] )?(Internal Server Error|Service Unavailable|Error handling "
            r"request):? (?:[A-Z]+ )?(/\S*)$", lines[i],
        )  # fmt: skip
        i += 1
        if not head:
            continue
        last = "(no traceback)"
        while i < len(lines) and lines[i].startswith("Traceback"):
            i += 1
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i]):
                i += 1  # the frames
            if i < len(lines):
                last, i = lines[i], i + 1  # the exception, and the lines of its message
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
                i += 1
            if i < len(lines) and lines[i].startswith(("The above exception", "During handling")):
                i += 1
                while i < len(lines) and not lines[i].strip():
                    i += 1
        found[(head[1], re.sub(r"\d+", "N", head[2]), last[:300])] += 1
    return found
