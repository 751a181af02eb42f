"""The canvas pictures are drawn on: each line of text from a stamp, the picture as matplotlib's Agg draws it."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lecture_utils.plots import canvas
from lecture_utils.plots.canvas import PictureCanvas


def texts_figure():
    """Lines of text of every kind a picture has, at places that fall within pixels."""
    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    ax = fig.add_subplot()
    ax.plot([0.0, 1.3], [2.1, -0.4])
    ax.set_title("ℒ = 2,015 for k = 0.25, m = 20")
    ax.set_xlabel("x₁, area (m²)")
    ax.set_ylabel("price y (k€)")  # turned by 90°
    ax.text(0.3, 0.5, r"$\hat{y} = xk + m$", color="#D55E00", alpha=0.7)  # mathtext, see-through
    ax.text(0.6, 1.0, "turned by 30°", rotation=30, fontsize=13, fontweight="bold")
    ax.annotate("an arrow", (0.2, 0.2), (0.5, 1.5), arrowprops={})
    ax.text(1.0, 0.2, "two lines,\nturned by 60°", rotation=60, ha="center")
    fig.text(0.013, 0.021, "a line of the figure's own")
    return fig


def drawn(canvas):
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).astype(int)


def test_a_picture_is_the_one_matplotlib_draws_up_to_rounding():
    plain = drawn(FigureCanvasAgg(texts_figure()))
    stamped = PictureCanvas(texts_figure())
    first = drawn(stamped)
    difference = np.abs(first - plain).max(axis=2)
    assert difference.max() <= 1 and np.count_nonzero(difference) <= 20  # one blend where matplotlib blends a glyph
    assert np.array_equal(drawn(stamped), first)  # drawn again from the stamps: the same picture


@pytest.mark.parametrize("angle", [0, 30, 90, 200])
def test_a_line_drawn_without_its_text_artist_is_measured(angle):
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    stamped = PictureCanvas(Figure(figsize=(3, 2), dpi=100)).get_renderer()
    plain = RendererAgg(stamped.width, stamped.height, stamped.dpi)
    for renderer in (stamped, plain):
        gc = renderer.new_gc()
        gc.set_foreground("#0072B2")
        renderer.draw_text(gc, 140.3, 90.7, "a line, ŷ = xk + m", FontProperties(size=12), angle)
    difference = np.abs(np.asarray(stamped.buffer_rgba()).astype(int) - np.asarray(plain.buffer_rgba())).max(axis=2)
    assert np.count_nonzero(np.asarray(plain.buffer_rgba())[..., 3]) > 300 and difference.max() <= 1


def test_a_line_whose_font_or_place_changes_is_drawn_anew():
    fig = texts_figure()
    stamped = PictureCanvas(fig)
    drawn(stamped)
    title = fig.axes[0].title
    title.set_fontsize(15)
    fig.axes[0].texts[0].set_position((0.3137, 0.5))  # moved by a part of a pixel
    assert np.array_equal(drawn(stamped), drawn(PictureCanvas(fig)))  # as a canvas that never drew it


def test_the_stamps_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(canvas, "STAMP_BYTES", 2_000)
    fig = Figure(figsize=(3, 2), dpi=100)
    stamped = PictureCanvas(fig)
    for i in range(30):
        fig.texts.clear()
        fig.text(0.1, 0.5, f"line number {i}")
        drawn(stamped)
    renderer = stamped.get_renderer()
    assert 1 <= len(renderer._stamps) < 30 and renderer._bytes <= 2_000


@pytest.mark.parametrize("dpi", [72, 150])
def test_a_new_size_or_resolution_gets_a_renderer_of_its_size(dpi):
    fig = texts_figure()
    stamped = PictureCanvas(fig)
    drawn(stamped)
    fig.dpi = dpi
    assert drawn(stamped).shape[:2] == FigureCanvasAgg(fig).get_width_height(physical=True)[::-1]
