"""Writing a strategy's document as it is read, so that a download holds a chunk of rows at a
time however big the strategy (docs/decisions/0031-downloads-stream.md).

A `Lazy` list stands in the document for a table's rows: json's encoder takes it for a list and
reads its rows only when it reaches it, one at a time, from a query read in chunks. The
document's text is the same as json.dumps of the same data with every list read whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

# Rows read from the database at a time.
CHUNK = 500
# Characters sent at a time: the encoder makes many tiny pieces; the answer goes out in these.
SEND = 64 * 1024

_UNREAD = object()
_END = object()


class Lazy(list):
    """A list whose items come from `source` (an iterable, or a function giving one, called when
    the list is first read) and are read once, in order, as they are written. Empty as a list
    object: json's encoder asks whether it is empty (its first item is read ahead for that) and
    then iterates it."""

    def __init__(self, source: Iterable | Callable[[], Iterable]) -> None:
        super().__init__()
        self._source = source
        self._items: Iterator | None = None
        self._first: Any = _UNREAD

    def _read_first(self) -> None:
        if self._first is _UNREAD:
            source = self._source() if callable(self._source) else self._source
            self._items = iter(source)
            self._first = next(self._items, _END)

    def __bool__(self) -> bool:
        self._read_first()
        return self._first is not _END

    def __len__(self) -> int:  # only whether it is empty is known before it is read
        return int(bool(self))

    def __iter__(self) -> Iterator:
        self._read_first()
        if self._first is _END:
            return
        first, self._first = self._first, _END  # read once
        yield first
        yield from self._items


def read_whole(value: Any) -> Any:
    """`value` with each Lazy list in it (at any depth of dictionaries) read into a list, in the
    order the text would be written."""
    if isinstance(value, Lazy):
        return list(iter(value))
    if isinstance(value, dict):
        return {key: read_whole(item) for key, item in value.items()}
    return value


def json_text(document: dict[str, Any]) -> Iterator[str]:
    """The document's JSON text (as JsonResponse writes it: one space an indent, characters as
    they are), in pieces of about SEND characters."""
    encoder = DjangoJSONEncoder(indent=1, ensure_ascii=False)
    pending: list[str] = []
    size = 0
    for piece in encoder.iterencode(document):
        pending.append(piece)
        size += len(piece)
        if size >= SEND:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)
