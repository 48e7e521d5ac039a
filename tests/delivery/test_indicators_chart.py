"""delivery/charts.py: the trend chart is valid SVG that says what it shows, draws a point per
value, whiskers, the baseline, target and trajectory, and draws 20 years of quarterly values
quickly."""

from __future__ import annotations

import datetime
import time
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from delivery.charts import trend_chart
from delivery.models import IndicatorValue
from strategies.models import OutcomeIndicator

SVG = "{http://www.w3.org/2000/svg}"


def quarterly(count: int, with_ci: bool = True) -> list[IndicatorValue]:
    values = []
    for i in range(count):
        year, quarter = 2005 + i // 4, i % 4 + 1
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = (
            datetime.date(year + 1, 1, 1)
            if quarter == 4
            else datetime.date(year, 3 * quarter + 1, 1)
        ) - datetime.timedelta(days=1)
        value = D("20") - D(i) / 10
        values.append(
            IndicatorValue(
                period=f"{year} Q{quarter}",
                period_start=start,
                period_end=end,
                value=value,
                lower_ci=value - 1 if with_ci else None,
                upper_ci=value + 1 if with_ci else None,
            )
        )
    return values


@pytest.fixture
def indicator():
    return OutcomeIndicator(
        pk=7,
        title="Smoking <prevalence> & more",
        unit="%",
        baseline=D("20"),
        baseline_date=datetime.date(2005, 3, 31),
        target=D("10"),
        target_date=datetime.date(2026, 12, 31),
        polarity=OutcomeIndicator.Polarity.LOWER,
    )


def test_the_chart_is_valid_svg_with_a_point_and_whisker_per_value(indicator):
    root = ET.fromstring(str(trend_chart(indicator, quarterly(80))))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 640 330" and root.get("width") is None  # scales to 320 px
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Smoking <prevalence> & more: trend"
    desc = root.find(f"{SVG}desc").text
    assert "80 values from 2005 Q1 (20 %) to 2024 Q4 (12.1 %)" in desc
    assert "Baseline 20 %. Target 10 % by December 2026." in desc
    assert root.get("aria-labelledby") == "chart-7-large-title chart-7-large-desc"
    assert len(root.findall(f".//{SVG}circle[@class='point']")) == 80
    assert len(root.findall(f".//{SVG}path[@class='ci']")) == 80
    assert len(root.findall(f".//{SVG}polyline[@class='series']")) == 1
    assert root.find(f".//{SVG}rect[@class='baseline']") is not None
    assert root.find(f".//{SVG}path[@class='target']") is not None
    trajectory = root.find(f".//{SVG}line[@class='trajectory']")
    assert trajectory.get("stroke-dasharray")
    labels = [t.text for t in root.findall(f".//{SVG}g[@class='axis x-axis']/{SVG}text")]
    assert "2024 Q4" in labels and "Period" in labels and len(labels) <= 9
    assert "%" in [t.text for t in root.findall(f".//{SVG}text[@class='unit']")]


def test_a_small_chart_and_an_empty_one(indicator):
    small = ET.fromstring(str(trend_chart(indicator, quarterly(2, with_ci=False), "small")))
    assert small.get("viewBox") == "0 0 320 160"
    assert len(small.findall(f".//{SVG}circle")) == 2
    assert not small.findall(f".//{SVG}path[@class='ci']")
    bare = OutcomeIndicator(pk=8, title="Nothing yet")
    empty = ET.fromstring(str(trend_chart(bare, [])))
    assert "No values yet." in empty.find(f"{SVG}desc").text


def test_eighty_quarterly_values_draw_in_well_under_100_ms(indicator):
    values = quarterly(80)
    trend_chart(indicator, values)  # warm up
    started = time.perf_counter()
    for _ in range(10):
        trend_chart(indicator, values)
    each = (time.perf_counter() - started) / 10
    assert each < 0.05, f"{each * 1000:.1f} ms"  # the page's whole first view is pinned too


def test_the_word_picture_draws_the_svg_s_own_chart(indicator):
    """One placed chart feeds both drawings: the PNG is the SVG's size times the scale, and
    each point the SVG draws is painted in the series' blue at the same place in the PNG."""
    import io

    from PIL import Image

    from delivery import chart_png
    from delivery.charts import chart_model, svg

    chart = chart_model(indicator, quarterly(12))
    root = ET.fromstring(str(svg(chart)))
    picture = Image.open(io.BytesIO(chart_png.trend_png(chart))).convert("RGB")
    scale = chart_png.SCALE
    assert picture.size == (round(640 * scale), round(330 * scale))
    points = root.findall(f".//{SVG}circle[@class='point']")
    assert len(points) == 12
    marks = [(mx, my) for _, mx, my in chart.marks]  # the baseline is drawn over a point
    for point in points:
        cx, cy = float(point.get("cx")), float(point.get("cy"))
        if any(abs(cx - mx) < 8 and abs(cy - my) < 8 for mx, my in marks):
            continue
        x, y = cx * scale, cy * scale
        red, green, blue = picture.getpixel((round(x), round(y)))
        assert blue > 150 and red < 80, (x, y)  # #0b5ed7, give or take the palette
    empty = chart_png.trend_png(chart_model(OutcomeIndicator(pk=8, title="Nothing yet"), []))
    assert empty.startswith(b"\x89PNG")


def test_the_word_picture_draws_pounds_dashes_accents_and_welsh_letters(indicator, monkeypatch):
    """A council's units ("£ per head", "m²") and Welsh names reach the PNG as letters, not as
    the empty box of a missing glyph: every label is drawn in the font shipped in
    delivery/fonts/ (never one of the machine's), which has a glyph for each of them."""
    from pathlib import Path

    from django.conf import settings
    from PIL import ImageDraw

    from delivery import chart_png
    from delivery.charts import chart_model

    drawn = []
    draw_text = ImageDraw.ImageDraw.text

    def spy(self, xy, text, *args, font=None, **kwargs):
        drawn.append((text, font))
        return draw_text(self, xy, text, *args, font=font, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    indicator.title, indicator.unit = "Ysbyty Gwynedd – Tŷ Ŵ", "£ per head – m² ≥ é ŵ ŷ ô × € —"
    values = quarterly(3)
    for value in values:
        value.period = value.period.replace(" ", " – ")  # "2005 – Q1"
    chart_png.trend_png(chart_model(indicator, values))

    texts = {text for text, _ in drawn}
    assert indicator.unit in texts and "2005 – Q3" in texts and "Baseline" in texts
    shipped = Path(settings.BASE_DIR) / "delivery" / "fonts" / "DejaVuSans.ttf"
    assert shipped.is_file() and (shipped.parent / "LICENSE").is_file()
    for text, font in drawn:
        box = bytes(font.getmask("\uffff"))  # what a character without a glyph is drawn as
        missing = [c for c in text if not c.isspace() and bytes(font.getmask(c)) == box]
        assert not missing, f"{text!r}: no glyph for {missing}"
    assert {str(font.path) for _, font in drawn} == {str(shipped)}
    # The check itself tells a missing glyph: DejaVu Sans has no Chinese.
    assert bytes(font.getmask("中")) == box
