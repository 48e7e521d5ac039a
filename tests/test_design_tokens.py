"""The design tokens (static/css/tokens.css, docs/decisions/0033): every pair of colours that
the pages put together keeps WCAG 2.2's contrast (4.5:1 for text, 3:1 for edges and focus), and
no other stylesheet, template or module names a colour of its own (but for the few places the
header of tokens.css lists, with its reasons), so a new colour has to become a token and pass
here; the copies that Word needs stay equal to the tokens. Plain files, no browser: the browser
tests measure the rendered pages."""

from __future__ import annotations

import io
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CSS = ROOT / "static" / "css"
TOKENS = CSS / "tokens.css"

TEXT = 4.5  # WCAG 1.4.3, text of normal size
EDGE = 3.0  # WCAG 1.4.11 and 2.4.13: control edges, marks that carry meaning, focus

# (foreground, background, least contrast): what the stylesheets and Bootstrap put together.
PAIRS = [
    *[
        ("text", ground, TEXT)
        for ground in ("surface", "surface-muted", "surface-hover", "surface-strong", "highlight")
    ],
    *[
        ("text-secondary", ground, TEXT)
        for ground in ("surface", "surface-muted", "surface-hover", "surface-strong")
    ],
    *[
        ("link", ground, TEXT)
        for ground in ("surface", "surface-muted", "surface-hover", "highlight")
    ],
    ("link-hover", "surface", TEXT),
    ("text-strong", "surface-strong", TEXT),  # a table's heading row on paper
    ("brand", "surface", TEXT),  # the footer's links, the history's "whole text"
    ("on-brand", "brand", TEXT),  # the header
    ("control-border", "surface", EDGE),
    ("border-strong", "surface", EDGE),
    ("border-strong", "surface-muted", EDGE),
    ("accent", "surface", EDGE),
    ("accent", "surface-hover", EDGE),
    ("success", "surface", TEXT),  # marks today; text should they ever be used for it
    ("danger", "surface", TEXT),
    ("focus", "surface", EDGE),
    ("focus", "focus-ring", EDGE),
    ("focus-ring", "brand", EDGE),  # the header's focus: yellow round a black gap
    ("success-text", "success-bg", TEXT),
    ("danger-text", "danger-bg", TEXT),
    ("warning-text", "warning-bg", TEXT),
    ("info-text", "info-bg", TEXT),
    ("diff-old-text", "diff-old-bg", 7.0),  # history.css promises 7:1 for changed words
    ("diff-new-text", "diff-new-bg", 7.0),
    ("text", "diff-old-bg", TEXT),  # the conflict view's whole cells
    ("text", "diff-new-bg", TEXT),
    ("rag-red-text", "rag-red", TEXT),
    ("rag-amber-text", "rag-amber", TEXT),
    ("rag-green-text", "rag-green", TEXT),
]

HEX = re.compile(r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![\w-])")
FUNCTION = re.compile(r"(?<![\w-])(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(", re.I)
NAMED = re.compile(
    r"(?<![\w-])(?:black|white|red|green|blue|yellow|orange|gr[ae]y|silver|navy|maroon|purple"
    r"|pink|brown|teal|lime|aqua|fuchsia|olive|cyan|magenta|gold)(?![\w-])",
    re.I,
)


# Places outside static/css that keep literal colours, as the header of tokens.css says and
# why: e-mails (mail clients read no stylesheet), and drawings whose colours are SVG
# presentation attributes (the approval timeline and its legend; the trend chart's palette,
# which the Word file's pictures are drawn in too).
KEEP_LITERAL = (
    "templates/emails/*.html",
    "portal/timeline/svg.py",
    "templates/portal/_timeline_legend.html",
    "delivery/charts.py",
)


def without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def declarations(css: str) -> list[tuple[str, str]]:
    """(property, value) for every declaration, at-rules' own included; selectors skipped."""
    found = []
    pieces = re.split(r"([{};])", without_comments(css))
    for piece, after in zip(pieces, [*pieces[1:], ""], strict=True):
        if piece in "{};" or after == "{" or ":" not in piece:
            continue
        name, value = piece.split(":", 1)
        found.append((name.strip(), value.strip()))
    return found


def tokens() -> dict[str, str]:
    return {name: value for name, value in declarations(TOKENS.read_text()) if name[:2] == "--"}


TOKENS_DECLARED = tokens()


def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
    assert name not in seen, f"{name} refers to itself through {seen}"
    value = TOKENS_DECLARED[name]
    return re.sub(r"var\((--[\w-]+)\)", lambda m: resolve(m.group(1), (*seen, name)), value)


def rgb(value: str) -> tuple[int, int, int]:
    """A token's colour: #rgb, #rrggbb, or the "r, g, b" of a -rgb token."""
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        assert len(digits) == 6, f"{value}: tokens are opaque #rgb or #rrggbb"
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    parts = tuple(int(part) for part in value.split(","))
    assert len(parts) == 3, value
    return parts


def colour(token: str) -> tuple[int, int, int]:
    return rgb(resolve(f"--wm-{token}"))


def luminance(channels: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def stylesheets():
    return sorted(path for path in CSS.glob("*.css") if path != TOKENS)


def test_contrast_is_computed_as_wcag_does():
    assert round(contrast(rgb("#000"), rgb("#fff")), 2) == 21
    assert round(contrast(rgb("#767676"), rgb("#fff")), 2) == 4.54  # the lightest AA grey
    assert round(contrast(rgb("#dee2e6"), rgb("#fff")), 2) == 1.3


@pytest.mark.parametrize(("foreground", "background", "least"), PAIRS)
def test_token_pair_keeps_its_contrast(foreground, background, least):
    ratio = contrast(colour(foreground), colour(background))
    assert ratio >= least, (
        f"--wm-{foreground} on --wm-{background} is {ratio:.2f}:1, under {least}:1"
    )


def test_each_rgb_token_is_the_same_colour_as_its_hex_token():
    pairs = [name for name in TOKENS_DECLARED if name.endswith("-rgb")]
    assert pairs
    for name in pairs:
        assert rgb(resolve(name)) == rgb(resolve(name.removesuffix("-rgb"))), name


def test_bootstrap_reads_its_colours_from_the_tokens():
    mapped = {name: value for name, value in TOKENS_DECLARED.items() if name.startswith("--bs-")}
    for name in (
        "--bs-body-color",
        "--bs-link-color",
        "--bs-link-color-rgb",
        "--bs-secondary-color",
        "--bs-border-color",
        "--bs-success-text-emphasis",
    ):
        assert name in mapped, name
    for name, value in mapped.items():
        assert re.fullmatch(r"var\(--wm-[\w-]+\)", value), f"{name}: {value} is not a token"
    # Bootstrap links draw with the -rgb form and other components with the plain one.
    assert resolve("--bs-link-color-rgb") == resolve("--wm-link-rgb")


def test_scales_grow_step_by_step():
    sizes = [
        float(resolve(f"--wm-font-size-{step}").removesuffix("rem"))
        for step in ("s", "m", "l", "xl", "xxl")
    ]
    spaces = [float(resolve(f"--wm-space-{step}").removesuffix("rem")) for step in range(1, 7)]
    assert sizes == sorted(set(sizes)) and spaces == sorted(set(spaces))
    for step in ("s", "m", "l", "xl", "xxl"):
        assert 1 <= float(resolve(f"--wm-line-height-{step}")) <= 1.6


@pytest.mark.parametrize("path", stylesheets(), ids=lambda path: path.name)
def test_stylesheet_names_no_colour_of_its_own(path):
    literal = []
    for name, value in declarations(path.read_text()):
        value = re.sub(r"\"[^\"]*\"|'[^']*'", "", value)  # generated content, font names
        for pattern in (HEX, FUNCTION, NAMED):
            literal += [f"{name}: {value}" for _ in pattern.finditer(value)]
    assert not literal, f"colours belong in tokens.css as --wm-* tokens: {literal}"


def test_every_token_used_is_declared():
    used = set()
    for path in [*CSS.glob("*.css"), *(ROOT / "templates").rglob("*.html")]:
        used |= set(re.findall(r"var\((--wm-[\w-]+)", path.read_text()))
    assert used
    assert used <= set(TOKENS_DECLARED), sorted(used - set(TOKENS_DECLARED))


def test_tokens_load_before_every_stylesheet_that_uses_them():
    base = (ROOT / "templates" / "base.html").read_text()
    order = re.findall(r"static '([^']+\.css)'", base)
    assert order[:2] == ["vendor/bootstrap/bootstrap.min.css", "css/tokens.css"]
    # Pages that do not extend base.html link their own stylesheets.
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        links = re.findall(r"static ['\"](css/[^'\"]+\.css)['\"]", text)
        if links and "{% extends" not in text:
            assert links[0] == "css/tokens.css", f"{path}: tokens.css first, before {links}"


def test_pdfs_read_the_tokens_before_the_print_stylesheets():
    """WeasyPrint reads the stylesheets from disk rather than by the print view's links."""
    import inspect

    from portal.reports import files, progress_files

    default = inspect.signature(files.pdf_bytes).parameters["css_files"].default
    assert default is files.REPORT_CSS
    for chosen in (files.REPORT_CSS, progress_files.CSS):
        assert chosen[0] == files.TOKENS_CSS == "css/tokens.css"


def test_weasyprint_resolves_the_tokens_in_a_progress_report():
    """The PDF itself paints a red chip in --wm-rag-red with --wm-rag-red-text on it: read from
    the page's drawing (its "r g b rg" fill operators), so no WeasyPrint internals are needed."""
    from pypdf import PdfReader

    from portal.reports import files, progress_files

    if files.pdf_unavailable_reason():
        pytest.skip("WeasyPrint or Pango is not installed")
    pdf = files.pdf_bytes('<p><span class="rag rag-red">Red</span></p>', progress_files.CSS)
    drawing = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    fills = {
        tuple(round(float(channel) * 255) for channel in found)
        for found in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", drawing)
    }
    assert colour("rag-red") in fills and colour("rag-red-text") in fills, fills


def test_the_word_file_shades_red_amber_and_green_as_the_tokens_do():
    """Word reads no CSS, so progress_files.RAG_FILL copies the tokens; the copy stays true."""
    from portal.reports.progress_files import RAG_FILL

    assert set(RAG_FILL) == {"red", "amber", "green"}
    for name, (fill, text) in RAG_FILL.items():
        assert rgb(f"#{fill}") == colour(f"rag-{name}"), name
        assert rgb(f"#{text}") == colour(f"rag-{name}-text"), name


def test_only_the_places_tokens_css_names_keep_literal_colours():
    """Templates and Python name no colour of their own either, but for the places the header
    of tokens.css lists, each with its reason; a new one is either a token or listed there."""
    header = TOKENS.read_text().split("*/", 1)[0]
    places = [*(ROOT / "templates").rglob("*.html")]
    for app in sorted({path.parent.name for path in ROOT.glob("*/apps.py")} | {"config"}):
        places += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    literal = {str(p.relative_to(ROOT)) for p in places if HEX.search(p.read_text())}
    assert literal, "the scan finds nothing: has it lost its way?"
    kept = {path for path in literal if any(fnmatch(path, glob) for glob in KEEP_LITERAL)}
    assert literal == kept, f"colours belong in tokens.css: {sorted(literal - kept)}"
    for glob in KEEP_LITERAL:
        assert glob in header, f"tokens.css's header does not say why {glob} keeps its colours"
