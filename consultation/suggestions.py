"""Candidate themes found in a consultation's comments, worked out here on the council's own
server: no comment is sent anywhere, nothing is downloaded while it runs, and the same comments
always give the same suggestions. Pure functions: texts in, suggestions out (the workflow's
suggestions.py reads the comments, runs this in a background task and keeps what it gives).

The method (docs/decisions/0022-theme-suggestions.md): each response's comments are weighed
word by word with TF-IDF (words and two-word phrases, English stop words and the filler words
of consultation answers left out), the matrix is factorised with NMF into a handful of themes,
each response goes to the theme it weighs most in, and each theme is named by its top terms.
NMF is started from the SVD of the matrix (`nndsvd`), which draws nothing at random, and every
tie is broken by the response's id, so the result depends on the comments alone.

scikit-learn is imported when a run starts, not when Django does: it takes a second to load,
and only the background task needs it."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

METHOD = "TF-IDF (words and pairs of words) with NMF (nndsvd start), one theme per response"

# Words that say nothing of a theme in consultation answers, on top of scikit-learn's English
# stop words: how strongly someone agrees, the words of the form itself, and praise or thanks,
# which say how a person feels rather than what about (left in, they gathered the "thank you,
# lovely" comments into themes of their own). Kept short: a word here is never seen, however
# often people use it.
_FILLER_WORDS = """
agree agreed agreement disagree strongly neither support supports supported think thought
feel felt believe really just like would could should also need needs needed want wanted
good great fine better best bad ok okay yes comment comments nothing thing things lot lots
way ways make makes making people person strategy plan priority priorities consultation
council document proposal proposals important importantly sure don doesn didn isn wasn
aren won let know get got go going used use using dont doesnt didnt im ive thats does
excellent thank thanks lovely nice happy brilliant amazing fantastic wonderful helpful
kind friendly pleased satisfied perfect superb
"""
FILLER = frozenset(_FILLER_WORDS.split())

# A comment must have at least this many words left, once the stop and filler words are out,
# to be read for themes ("No comment" and "Agree" are not).
MIN_WORDS = 2
FEWEST_THEMES, MOST_THEMES = 3, 12
KEY_TERMS = 6
REPRESENTATIVES = 3
TOKEN = r"(?u)\b[^\W\d_][^\W\d_'’-]+\b"  # words of two letters or more, no numbers


@dataclass(frozen=True)
class Suggestion:
    """One candidate theme: its label (its top terms), its key terms, the responses it covers
    (ids, in order) and its most representative ones (the highest weight first)."""

    label: str
    key_terms: list[str]
    response_ids: list[int]
    representative_ids: list[int]


Progress = Callable[[int, str], None]


def theme_count(responses: int) -> int:
    """How many themes to look for in this many responses with comments: a few for a small
    consultation, more for a large one (the square root of a sixth of them), from 3 to 12, the
    most an officer can weigh at once."""
    return max(FEWEST_THEMES, min(MOST_THEMES, round(math.sqrt(responses / 6))))


@cache
def stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS | FILLER)


CLAUSE = re.compile(r"[.,;:!?()\[\]\n\r\"“”]+")


def terms_of(text: str) -> list[str]:
    """The words of `text` a theme is found by, and each pair of them said side by side in one
    clause ("bus services"; not "food staff" from "Food good, staff kind")."""
    stop = stop_words()
    found: list[str] = []
    for clause in CLAUSE.split(text.lower()):
        kept = [None if word in stop else word for word in re.findall(TOKEN, clause)]
        found += [word for word in kept if word]
        found += [f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b]
    return found


def _readable(text: str) -> bool:
    return sum(" " not in term for term in terms_of(text)) >= MIN_WORDS


def suggest_themes(
    texts: Iterable[tuple[int, str]],
    themes: int | None = None,
    progress: Progress | None = None,
) -> list[Suggestion]:
    """Candidate themes in `texts`, pairs of (response id, all its comments as one text), the
    largest first. `themes` fixes how many to look for (by default `theme_count`); `progress`
    is told the per cent done and what is being done. Responses with too little to read are in
    no theme."""
    tell = progress or (lambda percent, message: None)
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    tell(20, "Reading the comments")
    readable = sorted((pk, text) for pk, text in texts if _readable(text))
    if len(readable) < FEWEST_THEMES * 2:
        return []
    ids = [pk for pk, _ in readable]
    vectorizer = TfidfVectorizer(
        analyzer=terms_of,
        min_df=2,
        max_df=0.5,
        max_features=5000,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform(text for _, text in readable)
    except ValueError:  # no word said twice: nothing in common to find
        return []
    terms = vectorizer.get_feature_names_out()
    k = min(themes or theme_count(len(readable)), len(terms), len(readable) // 2)
    if k < 1:
        return []
    tell(45, f"Looking for {k} themes in {len(readable)} responses")
    model = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=400, tol=1e-4)
    weights = model.fit_transform(matrix)
    tell(80, "Naming the themes")
    return _suggestions(ids, weights, model.components_, terms)


def _suggestions(ids, weights, components, terms) -> list[Suggestion]:
    members: dict[int, list[tuple[float, int]]] = {}
    for row, pk in enumerate(ids):
        best = int(weights[row].argmax())
        if weights[row, best] > 0:
            members.setdefault(best, []).append((float(weights[row, best]), pk))
    found = []
    for topic, scored in members.items():
        key_terms = _key_terms(components[topic], terms)
        ranked = sorted(scored, key=lambda pair: (-round(pair[0], 9), pair[1]))
        found.append(
            Suggestion(
                label=label_for(key_terms),
                key_terms=key_terms,
                response_ids=sorted(pk for _, pk in scored),
                representative_ids=[pk for _, pk in ranked[:REPRESENTATIVES]],
            )
        )
    return sorted(found, key=lambda s: (-len(s.response_ids), s.label, s.response_ids[0]))


def _key_terms(component, terms) -> list[str]:
    """The theme's heaviest terms, heaviest first, each said once: a pair of words already
    listed one by one takes the place of the first ("waiting lists" for "lists" and "waiting"),
    and a word or pair already said within a heavier term, or only carrying one on, is left
    out."""
    chosen: list[str] = []
    for index in sorted(range(len(terms)), key=lambda i: (-round(component[i], 9), terms[i])):
        if component[index] <= 0 or len(chosen) == KEY_TERMS:
            break
        term, words = terms[index], terms[index].split()
        inside = [t for t in chosen if t in words]
        if len(words) > 1 and inside:
            chosen[chosen.index(inside[0])] = term
            chosen = [t for t in chosen if t not in inside[1:]]
        elif len(words) > 1 and _continues(words, chosen):
            continue
        elif not set(words) <= {w for t in chosen for w in t.split()}:
            chosen.append(term)
    return chosen


def _continues(words: list[str], chosen: list[str]) -> bool:
    """Whether a pair of words only carries on a pair already chosen, a piece of a longer
    phrase: "health waiting" after "mental health", "evening bus" before "bus services"."""
    pairs = [t.split() for t in chosen if " " in t]
    return any(words[0] == pair[-1] or words[-1] == pair[0] for pair in pairs)


def label_for(key_terms: list[str]) -> str:
    """A theme's name from its top two or three terms: "Parking, buses and cycling"."""
    top = key_terms[:3]
    if not top:
        return "Other comments"
    text = top[0] if len(top) == 1 else f"{', '.join(top[:-1])} and {top[-1]}"
    return (text[0].upper() + text[1:])[:120]


@dataclass(frozen=True)
class Agreement:
    """How far the suggestions agree with themes people gave the same comments: the adjusted
    Rand index and normalised mutual information of the two groupings (over the comments the
    suggestions read), the share of each suggestion's comments in its commonest human theme
    (purity), and the share of comments read."""

    comments: int
    human_themes: int
    suggested: int
    adjusted_rand: float
    mutual_information: float
    purity: float
    coverage: float


def agreement(labelled: list[tuple[int, str, str]], themes: int | None = None) -> Agreement:
    """Suggest themes for `labelled` (id, text, the theme a person gave it) and measure how far
    they agree with the people's (`manage.py measure_theme_suggestions` and its test)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    found = suggest_themes([(pk, text) for pk, text, _ in labelled], themes)
    suggested = {pk: n for n, s in enumerate(found) for pk in s.response_ids}
    read = [(human, suggested[pk]) for pk, _, human in labelled if pk in suggested]
    humans, machine = [h for h, _ in read], [m for _, m in read]
    by_suggestion: dict[int, Counter] = {}
    for human, n in read:
        by_suggestion.setdefault(n, Counter())[human] += 1
    commonest = sum(counts.most_common(1)[0][1] for counts in by_suggestion.values())
    return Agreement(
        comments=len(labelled),
        human_themes=len({h for _, _, h in labelled}),
        suggested=len(found),
        adjusted_rand=round(float(adjusted_rand_score(humans, machine)), 3),
        mutual_information=round(float(normalized_mutual_info_score(humans, machine)), 3),
        purity=round(commonest / len(read), 3) if read else 0.0,
        coverage=round(len(read) / len(labelled), 3) if labelled else 0.0,
    )


def read_labelled(path, column: str = "theme") -> list[tuple[int, str, str]]:
    """Comments with the theme people gave them, from a CSV with the columns id, comment and
    `column` (lines starting with # say where it is from, and are skipped)."""
    import csv

    with open(path, newline="", encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return [(int(row["id"]), row["comment"], row[column]) for row in rows]
