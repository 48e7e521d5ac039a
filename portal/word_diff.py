"""What changed inside a long text, word by word, marked up for the history page.

The two texts are split into words, each keeping the whitespace after it, and compared with
difflib's SequenceMatcher over the words alone (so a change of spacing never hides a change
of wording). The result is one text: deleted words in <del>, inserted words in <ins>, each
opened by a visually hidden "deleted:" or "inserted:" for screen readers; the page's CSS
strikes the first through and underlines the second, so colour is never the only cue.

Long unchanged stretches shrink to a few words either side of a change around an ellipsis,
and a long run of deleted or inserted words shows its first words and how many more there
are: the page shows the whole texts on request. Everything a person wrote is escaped
(format_html and conditional_escape); only our own tags are markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

# More words than this in either text and a change is shown word by word, not "old → new".
LONG_TEXT_WORDS = 8
# Unchanged words kept on each side of a change; a stretch with more than MIN_LEFT_OUT
# words besides those shrinks to "…".
CONTEXT_WORDS = 6
MIN_LEFT_OUT = 3
# A deleted or inserted run longer than RUN_LIMIT words shows its first RUN_SHOWN words.
RUN_LIMIT = 40
RUN_SHOWN = 25

# Two changed stretches longer than this multiplied together are shown as rewritten whole
# rather than compared word by word (difflib's time grows with the product).
MAX_WORD_PAIRS = 4_000_000

_WORD = re.compile(r"(\S+)(\s*)")
_SENTENCE_ENDS = (".", "!", "?", ";", ":")


# A word, and the whitespace after it as written.
Word = tuple[str, str]


@dataclass(frozen=True)
class WordDiff:
    html: SafeString
    deleted: int  # words
    inserted: int

    @property
    def changed(self) -> bool:
        """False when only spacing or line breaks differ."""
        return bool(self.deleted or self.inserted)


def words(text: str) -> list[Word]:
    return _WORD.findall(text)


def is_long(*texts: str) -> bool:
    """Whether any of the texts is long enough to be compared word by word."""
    return any(len(text.split()) > LONG_TEXT_WORDS or "\n" in text.strip() for text in texts)


def _shared_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many words the two lists share at their start, and then at their end."""
    shortest = min(len(a), len(b))
    head = 0
    while head < shortest and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < shortest - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _sentence_starts(run: list[Word]) -> list[int]:
    """Where each sentence (or line) of the words starts, and then where the last ends."""
    if not run:
        return [0]
    starts = [0]
    for n, (word, space) in enumerate(run[:-1]):
        if word.endswith(_SENTENCE_ENDS) or "\n" in space:
            starts.append(n + 1)
    starts.append(len(run))
    return starts


def opcodes(old: list[Word], new: list[Word]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, over words, for two lists of words.

    The words the texts share at their start and end are set aside; what lies between is
    compared sentence by sentence, and only the sentences that differ word by word: a long
    text changed in a few places costs little more than reading it.
    Adjacent opcodes of one kind are merged, so an unchanged stretch is one opcode."""
    a, b = [w for w, _ in old], [w for w, _ in new]
    head, tail = _shared_ends(a, b)
    starts_a = [head + n for n in _sentence_starts(old[head : len(a) - tail])]
    starts_b = [head + n for n in _sentence_starts(new[head : len(b) - tail])]
    sentences_a = [tuple(a[i:j]) for i, j in zip(starts_a, starts_a[1:], strict=False)]
    sentences_b = [tuple(b[i:j]) for i, j in zip(starts_b, starts_b[1:], strict=False)]
    ops: list[tuple[str, int, int, int, int]] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if ops and ops[-1][0] == tag:
            i1, j1 = ops.pop()[1::2]
        ops.append((tag, i1, i2, j1, j2))

    if head:
        add("equal", 0, head, 0, head)
    by_sentence = SequenceMatcher(None, sentences_a, sentences_b, autojunk=False)
    for tag, s1, s2, t1, t2 in by_sentence.get_opcodes():
        i1, i2, j1, j2 = starts_a[s1], starts_a[s2], starts_b[t1], starts_b[t2]
        if tag != "replace" or (i2 - i1) * (j2 - j1) > MAX_WORD_PAIRS:
            if tag == "replace":  # rewritten at length: shown as one deletion and insertion
                add("delete", i1, i2, j1, j1)
                add("insert", i2, i2, j1, j2)
            else:
                add(tag, i1, i2, j1, j2)
            continue
        for sub, k1, k2, l1, l2 in SequenceMatcher(None, a[i1:i2], b[j1:j2]).get_opcodes():
            add(sub, k1 + i1, k2 + i1, l1 + j1, l2 + j1)
    if tail:
        add("equal", len(a) - tail, len(a), len(b) - tail, len(b))
    return ops


class _Builder:
    """Collects escaped pieces of the marked text, keeping words apart around the marks."""

    def __init__(self) -> None:
        self.parts: list[SafeString] = []
        self.ends_in_space = True

    def text(self, run: list[Word], keep_last_space: bool = True) -> None:
        if not run:
            return
        written = "".join(w + space for w, space in run[:-1]) + run[-1][0]
        if keep_last_space:
            written += run[-1][1]
        self.parts.append(conditional_escape(written))
        self.ends_in_space = written[-1:].isspace()

    def space(self) -> None:
        if not self.ends_in_space:
            self.parts.append(conditional_escape(" "))
            self.ends_in_space = True

    def gap(self) -> None:
        self.space()
        self.parts.append(
            format_html(
                '<span class="diff-gap" aria-hidden="true">{}</span>'
                '<span class="visually-hidden">{}</span>',
                "…",
                "(unchanged words left out)",
            )
        )
        self.ends_in_space = False
        self.space()

    def mark(self, tag: str, run: list[Word]) -> None:
        """A run of deleted ("del") or inserted ("ins") words, shortened if long."""
        self.space()
        shown = run if len(run) <= RUN_LIMIT else run[:RUN_SHOWN]
        body = conditional_escape("".join(w + space for w, space in shown).rstrip())
        more = ""
        if len(shown) < len(run):
            more = format_html(
                ' <span class="diff-more">… and {} more words</span>', len(run) - len(shown)
            )
        label = "deleted" if tag == "del" else "inserted"
        self.parts.append(
            format_html(
                '<{} class="diff-{}"><span class="visually-hidden">{}: </span>{}{}</{}>',
                tag,
                tag,
                label,
                body,
                more,
                tag,
            )
        )
        self.ends_in_space = False
        # The run's own spacing after its last word (a line break, say) stays outside it.
        if space := run[-1][1]:
            self.parts.append(conditional_escape(space))
            self.ends_in_space = True

    def html(self) -> SafeString:
        return format_html_join("", "{}", ((part,) for part in self.parts))


def word_diff(old: str, new: str) -> WordDiff:
    """`new` with what changed from `old` marked inline, word by word, shortened to the
    changes and a few words around each."""
    old_words, new_words = words(old), words(new)
    ops = opcodes(old_words, new_words)
    out = _Builder()
    deleted = inserted = 0
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            run = new_words[j1:j2]
            first, last = n == 0, n == len(ops) - 1
            if first and last:  # no word changed: only the spacing
                out.text(run)
            elif first and len(run) > CONTEXT_WORDS + MIN_LEFT_OUT:
                out.gap()
                out.text(run[-CONTEXT_WORDS:])
            elif last and len(run) > CONTEXT_WORDS + MIN_LEFT_OUT:
                out.text(run[:CONTEXT_WORDS], keep_last_space=False)
                out.gap()
            elif not first and not last and len(run) > 2 * CONTEXT_WORDS + MIN_LEFT_OUT:
                out.text(run[:CONTEXT_WORDS], keep_last_space=False)
                out.gap()
                out.text(run[-CONTEXT_WORDS:])
            else:
                out.text(run)
            continue
        if tag in ("delete", "replace"):
            out.mark("del", old_words[i1:i2])
            deleted += i2 - i1
        if tag in ("insert", "replace"):
            out.mark("ins", new_words[j1:j2])
            inserted += j2 - j1
    return WordDiff(out.html(), deleted, inserted)


def preview(text: str) -> SafeString | None:
    """The start of a long text, for a new item's field, or None if it is short enough to
    show whole."""
    run = words(text)
    if len(run) <= RUN_LIMIT:
        return None
    out = _Builder()
    out.text(run[:RUN_SHOWN], keep_last_space=False)
    out.space()
    out.parts.append(
        format_html('<span class="diff-more">… and {} more words</span>', len(run) - RUN_SHOWN)
    )
    return out.html()
