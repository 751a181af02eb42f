"""What a reader sees of every picture of every notebook, drawn in this process as JupyterLab would show it:
no wider than the page, drawn at the size shown, no text under 10 px, every text and mark readable on the
white page, a text alternative that follows the picture, and no "−0". The palette's colours on their own.

The same pictures in a real JupyterLab at 1280 × 720: tests/browser/test_lab.py.
"""

import re

import numpy as np
import pytest
from matplotlib import colormaps

from lecture_utils import notation
from lecture_utils.plots import style
from lecture_utils.plots.style import PNG_DPI, renderer_canvas
from paths import NOTEBOOKS
from pictures import (
    MARK_CONTRAST,
    NEGATIVE_ZERO,
    TEXT_CONTRAST,
    clipped_texts,
    contrast,
    contrast_problems,
    drawn_texts,
    notebook_pictures,
    over,
)

PAGE_PIXELS = 828          # a notebook's output at a 1280-px window with the file browser open
PANEL_PICTURE_PIXELS = 540  # a panel's picture leaves room for its controls within 600 px
SMALLEST_TEXT = 10         # pixels, as shown


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def shown(request, timings):
    import time

    start = time.perf_counter()
    pictures = notebook_pictures(request.param.stem)
    for picture in pictures:
        if picture.kind == "figure":  # drawn as Jupyter shows it (panels and live plots are drawn already)
            picture.figure.dpi = PNG_DPI
            renderer_canvas(picture.figure).draw()
    timings[f"pictures of {request.param.stem}, drawn in this process"] = time.perf_counter() - start
    return pictures


def where(picture):
    return f"{picture.notebook} cell {picture.cell} ({picture.kind})"


def test_every_picture_fits_the_page_and_a_panel_leaves_room_for_its_controls(shown):
    assert shown
    for picture in shown:
        width, height = picture.size
        assert width <= PAGE_PIXELS, f"{where(picture)}: {width} px wide"
        assert picture.kind != "panel" or height <= PANEL_PICTURE_PIXELS, f"{where(picture)}: {height} px tall"


def test_no_text_in_a_picture_is_smaller_than_10_pixels(shown):
    for picture in shown:
        small = sorted({(round(px, 1), text.get_text()) for text, px in drawn_texts(picture.figure)
                        if px < SMALLEST_TEXT})
        assert small == [], f"{where(picture)}: text under {SMALLEST_TEXT} px: {small[:5]}"


def test_no_text_is_cut_off_at_the_edges_of_its_picture(shown):
    for picture in shown:
        assert clipped_texts(picture.figure) == [], where(picture)


def test_every_text_and_mark_is_readable_on_the_page(shown):
    for picture in shown:
        assert contrast_problems(picture.figure) == [], where(picture)


def test_every_picture_says_what_it_shows_and_a_panel_says_it_anew_when_a_control_moves(shown):
    for picture in shown:
        assert len(picture.alt) > 20 and re.search(r"\d", picture.alt), f"{where(picture)}: {picture.alt!r}"
        if picture.kind == "panel":
            assert picture.alt != picture.first_alt, f"{where(picture)}: the same words after its controls moved"


def test_no_number_is_written_minus_zero(shown):
    for picture in shown:
        texts = [text.get_text() for text, _ in drawn_texts(picture.figure)] + [picture.alt]
        assert [text for text in texts if NEGATIVE_ZERO.search(text)] == [], where(picture)


# --- the palette ---------------------------------------------------------------------------------

PALETTE = [style.DATA, style.MODEL, style.RESIDUAL, style.OPTIMUM, style.HIGHLIGHT, style.SECOND, style.SKY, style.INK]


@pytest.mark.parametrize("colour", PALETTE)
def test_text_in_every_palette_colour_and_its_lines_read_on_white(colour):
    assert contrast(style.text_colour(colour), "white") >= TEXT_CONTRAST
    assert contrast(style.line_colour(colour), "white") >= MARK_CONTRAST


def test_the_light_class_colour_is_a_mark_by_its_edge():
    light = [colour for colour in style.CLASS_COLORS if contrast(colour, "white") < MARK_CONTRAST]
    assert light == [style.HIGHLIGHT]  # #E69F00, 2.25:1: filled points get the edge
    assert contrast(style.EDGE, "white") >= MARK_CONTRAST and contrast(style.EDGE, style.HIGHLIGHT) >= MARK_CONTRAST


@pytest.mark.parametrize("alpha", [1.0, 0.55, 0.3])
def test_a_matrix_cell_number_reads_on_every_colour_of_the_scale(alpha):
    """style.matrix_cells writes each number in ink or white: on its own cell, whatever its value."""
    fig, ax = style.new_figure()
    M = np.linspace(-1, 1, 201).reshape(1, -1)
    cells = style.matrix_cells(ax, M, scale=1.0, alpha=alpha)
    colours = colormaps[style.DIVERGING_CMAP]((M.ravel() + 1) / 2)
    numbers = [text for text in ax.texts if text.get_gid() == "cell number"]
    assert len(numbers) == M.size and len(cells.get_paths()) == M.size
    for text, colour in zip(numbers, colours):
        cell = over(tuple(colour[:3]) + (alpha,))
        assert contrast(text.get_color(), cell) >= TEXT_CONTRAST, (text.get_text(), alpha)


def test_contour_lines_are_drawn_in_colours_that_read_on_white():
    assert min(contrast(style.CONTOUR_CMAP(t), "white") for t in np.linspace(0, 1, 101)) >= MARK_CONTRAST


# --- numbers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, spec, text", [
    (-0.0, "short", "0"), (-0.004, "short", "0.00"), (-0.001, ".2f", "0.00"), (-0.04, "+.1f", "+0.0"),
    (-0.001, ".0%", "0%"), (-3.14159, ".2f", "−3.14"), (0.25, "short", "0.25"), (-250.4, "short", "−250"),
    (1234.5, ",.0f", "1,234"), (1230, ",", "1,230"), (-0.02, ".1e", "−2.0e−02"),
    (-float("inf"), ".3g", "−inf"), (-float("inf"), "short", "−inf"), (-5e21, ".3g", "−5e+21"),
])
def test_one_number_format_with_a_true_minus_and_never_minus_zero(value, spec, text):
    assert notation.number(value, spec) == text


def test_a_term_of_a_sum_carries_its_sign_apart():
    assert [notation.term(v, ".1f") for v in (20, -3.14, -0.01)] == ["+ 20.0", "− 3.1", "+ 0.0"]
    assert notation.scientific(9.4e-6) == "9.4·10⁻⁶" and notation.scientific(-2.5e-7) == "−2.5·10⁻⁷"
