"""What changed inside a long text, word by word (portal/word_diff.py), for the history page."""

from __future__ import annotations

import random
import re
import time

from django.utils.safestring import SafeString

from portal.word_diff import (
    CONTEXT_WORDS,
    RUN_SHOWN,
    is_long,
    opcodes,
    preview,
    word_diff,
    words,
)


def marked(html: str, tag: str) -> list[str]:
    """The text of each <del> or <ins>, without the visually hidden label."""
    runs = re.findall(rf"<{tag} [^>]*>(.*?)</{tag}>", html, re.S)
    return [re.sub(r'<span class="visually-hidden">[a-z]+: </span>', "", run) for run in runs]


def visible(html: str) -> str:
    """What a sighted reader sees: no hidden labels, no tags."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", "", html)


def test_changed_words_are_marked_inline_with_the_rest_kept_around_them():
    diff = word_diff(
        "The quick brown fox jumps over the lazy dog today.",
        "The quick red fox jumps over the lazy cat today.",
    )
    assert isinstance(diff.html, SafeString)
    assert marked(diff.html, "del") == ["brown", "dog"]
    assert marked(diff.html, "ins") == ["red", "cat"]
    assert visible(diff.html) == "The quick brown red fox jumps over the lazy dog cat today."
    assert (diff.deleted, diff.inserted, diff.changed) == (2, 2, True)


def test_screen_readers_hear_what_was_deleted_and_inserted():
    html = word_diff("one two three four five six seven eight", "one two 3 four five six").html
    assert '<del class="diff-del"><span class="visually-hidden">deleted: </span>three</del>' in html
    assert '<ins class="diff-ins"><span class="visually-hidden">inserted: </span>3</ins>' in html


def test_what_people_wrote_is_escaped_never_markup():
    diff = word_diff(
        'Tom & <b>Jerry</b> said "hi" to everyone in the <script>alert(1)</script> room',
        'Tom & <i>Jerry</i> said "hi" to everyone in the <script>alert(2)</script> room',
    )
    assert "<b>" not in diff.html and "<i>" not in diff.html and "<script>" not in diff.html
    assert "&lt;b&gt;Jerry&lt;/b&gt;" in diff.html
    assert "Tom &amp;" in diff.html and "&quot;hi&quot;" in diff.html
    assert marked(diff.html, "ins") == [
        "&lt;i&gt;Jerry&lt;/i&gt;",
        "&lt;script&gt;alert(2)&lt;/script&gt;",
    ]


def test_words_stay_apart_around_the_marks_at_either_end():
    assert visible(word_diff("alpha beta", "alpha").html) == "alpha beta"
    assert visible(word_diff("alpha", "alpha beta").html) == "alpha beta"
    assert visible(word_diff("beta alpha", "alpha").html) == "beta alpha"
    assert visible(word_diff("alpha", "gamma").html) == "alpha gamma"


def test_long_unchanged_stretches_shrink_to_a_few_words_of_context():
    old = " ".join(f"w{n}" for n in range(200))
    new = old.replace("w100 ", "CHANGED ")
    html = word_diff(old, new).html
    shown = visible(html).split()
    assert shown == [
        "…",
        *[f"w{n}" for n in range(100 - CONTEXT_WORDS, 100)],
        "w100",
        "CHANGED",
        *[f"w{n}" for n in range(101, 101 + CONTEXT_WORDS)],
        "…",
    ]
    assert html.count("(unchanged words left out)") == 2
    # Two changes far apart: the stretch between them shrinks too, keeping context each side.
    twice = new.replace("w180 ", "AGAIN ")
    assert visible(word_diff(old, twice).html).split().count("…") == 3


def test_a_short_unchanged_stretch_is_never_replaced_by_an_ellipsis():
    html = word_diff(
        "Changed here then seven words stay just as before",
        "Altered here then seven words stay just as before",
    ).html
    assert "…" not in html and "stay just as before" in html


def test_a_long_deletion_or_insertion_shows_its_first_words_and_how_many_more():
    added = " ".join(f"new{n}" for n in range(100))
    diff = word_diff("Start. End.", f"Start. {added} End.")
    (inserted,) = marked(diff.html, "ins")
    assert inserted.startswith("new0 new1") and f"new{RUN_SHOWN - 1} " in inserted
    assert f"new{RUN_SHOWN} " not in inserted
    assert f"… and {100 - RUN_SHOWN} more words" in inserted
    assert diff.inserted == 100


def test_line_breaks_are_kept_and_a_change_of_spacing_alone_is_no_change_of_words():
    diff = word_diff("First line.\nSecond line here.", "First line.\nSecond line there.")
    assert "First line.\nSecond line" in diff.html
    spacing = word_diff("One paragraph.\n\nAnother one.", "One paragraph.\nAnother   one.")
    assert not spacing.changed and "<del" not in spacing.html and "<ins" not in spacing.html


def test_opcodes_cover_both_texts_in_order():
    random.seed(7)
    vocab = ["the", "board", "agreed", "a", "new", "vision.", "and", "three", "goals.", "x"]
    for _ in range(50):
        old = words(" ".join(random.choices(vocab, k=random.randint(0, 60))))
        new = words(" ".join(random.choices(vocab, k=random.randint(0, 60))))
        ops = opcodes(old, new)
        rebuilt_old, rebuilt_new = [], []
        for tag, i1, i2, j1, j2 in ops:
            rebuilt_old += old[i1:i2]
            rebuilt_new += new[j1:j2]
            if tag == "equal":
                assert [w for w, _ in old[i1:i2]] == [w for w, _ in new[j1:j2]]
        assert [w for w, _ in rebuilt_old] == [w for w, _ in old]
        assert [w for w, _ in rebuilt_new] == [w for w, _ in new]
        assert all(a[0] != b[0] for a, b in zip(ops, ops[1:], strict=False))  # merged


def _vision(count: int) -> str:
    random.seed(11)
    vocab = [f"word{n}" for n in range(800)] + ["the", "and", "of", "to", "in"] * 40
    sentences, total = [], 0
    while total < count:
        length = random.randint(8, 25)
        sentences.append(" ".join(random.choices(vocab, k=length)) + ".")
        total += length
    return "\n\n".join(" ".join(sentences[n : n + 5]) for n in range(0, len(sentences), 5))


def test_a_five_thousand_word_vision_changed_in_one_place_is_fast():
    old = _vision(5000)
    tokens = old.split(" ")
    tokens[len(tokens) // 2] = "CHANGED"
    new = " ".join(tokens)
    word_diff(old, new)  # warm up
    started = time.perf_counter()
    diff = word_diff(old, new)
    elapsed = time.perf_counter() - started
    assert (diff.deleted, diff.inserted) == (1, 1)
    assert marked(diff.html, "ins") == ["CHANGED"]
    assert len(diff.html) < 1000  # the change and its context, not the whole text
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms"


def test_a_long_text_rewritten_throughout_stays_quick():
    old, new = _vision(5000), _vision(5000).replace("word1 ", "other ").replace(".", "!")
    started = time.perf_counter()
    diff = word_diff(old, new)
    assert time.perf_counter() - started < 0.5
    assert diff.changed and "… and" in diff.html


def test_which_texts_are_long_and_the_start_of_a_long_new_value():
    assert not is_long("Planned", "On an agenda")
    assert not is_long("Dudley's Health and Wellbeing Strategy 2017–2022")
    assert is_long("short", "one two three four five six seven eight nine")
    assert is_long("two\nlines")
    assert preview("just a few words") is None
    text = " ".join(f"w{n}" for n in range(100)) + " <b>"
    start = preview(text)
    assert visible(start).split()[:RUN_SHOWN] == [f"w{n}" for n in range(RUN_SHOWN)]
    assert f"… and {101 - RUN_SHOWN} more words" in start
    assert "<b>" not in preview("<b> " * 50)
