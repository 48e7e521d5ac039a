"""The data an admin change page would post as it stands: every field of its main form with its
current value (inputs, ticked boxes, chosen options, text areas), so that a test changes only
what it means to change, as a person would."""

from __future__ import annotations

from html.parser import HTMLParser


class _AdminForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and "id" in a:
            self._in_form = a["id"].endswith("_form")
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in {"submit", "button", "file"}:
                self._add(name, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea is not None:
            self.data[self._textarea][-1] += data.removeprefix("\n")


def admin_form_data(client, url: str) -> dict[str, list[str] | str]:
    """What the change (or add) page at `url` would post, unchanged."""
    page = client.get(url)
    assert page.status_code == 200, url
    return form_data(page.content.decode())


def form_data(html: str) -> dict[str, list[str] | str]:
    """What the admin form in `html` (a page as served) would post, unchanged."""
    parser = _AdminForm()
    parser.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}
