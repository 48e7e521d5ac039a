"""A small Modern.gov web service for the tests: http.server in a thread, on a free port,
answering `/mgWebService.asmx/<Method>?...` from the XML fixtures beside this file
(`GetCommittees.xml`, `GetMeetings_<committee>.xml`, `GetMeeting_<meeting>.xml`). A test
replaces any answer through `answers`, keyed like the file names: bytes to send instead, an
HTTP status (int), or ("sleep", seconds) to answer late."""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).parent


def fixture_name(path: str, query: dict[str, str]) -> str:
    method = path.rsplit("/", 1)[-1]
    if method == "GetMeetings":
        return f"GetMeetings_{query.get('lCommitteeId')}"
    if method == "GetMeeting":
        return f"GetMeeting_{query.get('lMeetingId')}"
    return method


class FakeModernGov:
    def __init__(self) -> None:
        self.answers: dict[str, object] = {}
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                name = fixture_name(url.path, query)
                fake.requests.append(name)
                answer = fake.answers.get(name)
                if isinstance(answer, tuple) and answer[0] == "sleep":
                    time.sleep(answer[1])
                    answer = None
                if isinstance(answer, int):
                    self.send_error(answer)
                    return
                if answer is None:
                    file = HERE / f"{name}.xml"
                    if not url.path.startswith("/mgWebService.asmx/") or not file.exists():
                        self.send_error(404)
                        return
                    answer = file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                # The client may have given up waiting (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeModernGov:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
