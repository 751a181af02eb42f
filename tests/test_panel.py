"""The Panel machinery: controls redraw the picture; a background is reused until its controls change.

Panels and live plots share one picture machine (widgets.picture.Picture); its parts are tested here too.
"""

import io

import ipywidgets
import numpy as np
import pytest
from matplotlib.patches import Rectangle
from PIL import Image

from figures import pixels, snapshot
from lecture_utils import plots, widgets
from lecture_utils.widgets.panel import (Panel, dropdown, int_slider, labelled, log_slider, selection_slider, slider,
                                         toggle)
from lecture_utils.widgets import text_pixels
from lecture_utils.widgets.picture import Picture


def test_a_control_change_redraws_with_all_current_values():
    calls = []

    def draw(ax, a, b):
        calls.append((a, b))
        ax.plot([0, 1], [a, b])
        ax.set_title(f"a = {a}")

    panel = Panel(draw, {"a": slider("a", 0, 1, 0.5), "b": int_slider("b", 0, 10, 3)})
    first_png = panel.image.value
    panel.controls["a"].value = 0.25
    assert calls == [(0.5, 3), (0.25, 3)]
    assert panel.axes.get_title() == "a = 0.25" and len(panel.axes.get_lines()) == 1
    assert panel.image.value != first_png and bytes(panel.image.value).startswith(b"\x89PNG")


def test_the_background_is_drawn_again_only_when_its_own_controls_change():
    backgrounds, drawings = [], []

    def background(ax, scale):
        backgrounds.append(scale)
        ax.scatter(np.arange(5), np.arange(5) * scale)
        ax.set_xlim(0, 5)

    def draw(ax, scale, position):
        drawings.append(position)
        ax.axvline(position)
        ax.set_title(f"at {position}")

    panel = Panel(draw, {"scale": dropdown("scale", [1, 2]), "position": slider("position", 0, 5, 1)},
                  background=background)
    assert backgrounds == [1]
    before = snapshot(panel.figure)
    png = panel.image.value
    panel.controls["position"].value = 3.0
    assert backgrounds == [1] and drawings[-1] == 3.0
    after = snapshot(panel.figure)
    assert after[0]["collections"] == before[0]["collections"]  # the background stayed
    assert after[0]["lines"] != before[0]["lines"] and len(panel.axes.get_lines()) == 1  # the line moved
    assert panel.axes.get_title() == "at 3.0" and panel.image.value != png
    panel.controls["scale"].value = 2
    assert backgrounds == [1, 2]
    assert snapshot(panel.figure)[0]["collections"] != before[0]["collections"]


def test_blitted_pixels_equal_a_full_redraw():
    def background(ax):
        ax.scatter([0, 1, 2], [0, 1, 4])
        ax.set_xlim(-1, 3)
        ax.set_ylim(-1, 5)

    def draw(ax, k):
        ax.plot([-1, 3], [-k, 3 * k], color="black")
        ax.set_title(f"k = {k:.2f}")

    def everything(ax, k):
        background(ax)
        draw(ax, k)

    def same_picture(a, b):
        return np.mean(np.abs(pixels(a.image.value) - pixels(b.image.value)) > 8) < 0.001  # up to antialiasing

    fast = Panel(draw, {"k": slider("k", 0, 2, 0.5)}, background=background)
    assert same_picture(fast, Panel(everything, {"k": slider("k", 0, 2, 0.5)}))  # the first picture too
    fast.controls["k"].value = 1.5
    full = Panel(everything, {"k": slider("k", 0, 2, 1.5)})
    assert same_picture(fast, full)
    assert not same_picture(fast, Panel(everything, {"k": slider("k", 0, 2, 0.5)}))


def test_a_panel_displays_as_its_widget():
    panel = Panel(lambda ax, on: ax.plot([0, int(on)]), {"on": toggle("on")})
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_buttons_join_the_row_of_controls_and_can_redraw():
    clicks = []
    button = ipywidgets.Button(description="more")
    panel = Panel(lambda ax, a: ax.plot([0, 1], [0, a + len(clicks)], color="black"),
                  {"a": slider("a", 0, 1, 0.5)}, buttons=[button])
    button.on_click(lambda _: (clicks.append(1), panel.update()))
    row = panel.widget.children[0]
    assert row.children == (panel.controls["a"], button) and panel.buttons == {"more": button}
    before = snapshot(panel.figure)
    button.click()
    assert snapshot(panel.figure) != before


def test_a_colorbar_added_by_a_drawing_is_replaced_on_the_next_change():
    def draw(ax, scale):
        image = ax.imshow(np.arange(4.0).reshape(2, 2) * scale)
        ax.figure.colorbar(image, ax=ax)

    panel = Panel(draw, {"scale": slider("scale", 1, 2, 1)})
    panel.controls["scale"].value = 2.0
    panel.controls["scale"].value = 1.5
    assert len(panel.figure.axes) == 2  # the axes and one colorbar, not one per drawing


def test_named_buttons_belong_to_the_panel_from_its_construction():
    play, stop = ipywidgets.ToggleButton(description="play"), ipywidgets.Button(description="stop")
    panel = Panel(lambda ax, a: ax.plot([0, a]), {"a": slider("a", 0, 1, 0.5)}, buttons={"play": play, "x": stop})
    assert panel.buttons == {"play": play, "x": stop}
    assert panel.widget.children[0].children[1:] == (play, stop)


def test_update_redraws_from_state_outside_the_controls_as_often_as_called():
    """As a timer would: each update draws the current state, on the kept background."""
    state = {"t": 0}

    def background(ax):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)

    def draw(ax, a):
        ax.plot([state["t"]], [a], marker="o")
        ax.set_title(f"t = {state['t']}")

    panel = Panel(draw, {"a": slider("a", 0, 10, 5)}, background=background)
    frames = []
    for t in range(1, 4):
        state["t"] = t
        panel.update()
        frames.append(bytes(panel.image.value))
        assert panel.axes.get_title() == f"t = {t}" and panel.axes.get_lines()[0].get_xdata()[0] == t
        assert len(panel.axes.get_lines()) == 1  # the last point replaced, not piled up
    assert len(set(frames)) == 3


def test_the_browser_finds_panels_and_their_pictures_by_class():
    panel = Panel(lambda ax, a: ax.plot([0, a]), {"a": slider("a", 0, 1, 0.5)})
    assert "lecture-panel" in panel.widget._dom_classes and "lecture-panel-image" in panel.image._dom_classes
    assert panel.widget.children[1] is panel.image is panel.picture.image


def test_a_picture_keeps_its_first_layout_and_draws_artists_on_kept_pixels():
    picture = Picture(grid=(1, 2), width=4, height=2)
    assert set(picture.target) == {"axes"} and len(picture.axes) == 2
    assert set(Picture().target) == {"ax"}
    picture.axes[0].set_title("a long title that the layout makes room for")
    picture.render()
    position = picture.axes[0].get_position().bounds
    picture.clear()
    picture.render()
    assert picture.axes[0].get_position().bounds == position and picture.laid_out
    picture.keep_pixels()
    blank = pixels(_shown(picture))
    (line,) = picture.axes[1].plot([0, 1], [0, 1], color="black", linewidth=3)
    picture.restore_pixels()
    picture.draw_artists([line])
    drawn = pixels(_shown(picture))
    assert np.sum(np.abs(drawn - blank).max(axis=2) > 100) > 50  # the line is there ...
    picture.restore_pixels()
    assert np.array_equal(pixels(_shown(picture)), blank)  # ... and gone with the kept pixels


def _shown(picture):
    picture.show()
    return picture.image.value


def test_figures_and_pictures_share_one_png_encoder():
    fig, ax = plots.style.new_figure(2, 1)
    ax.plot([0, 1])
    png = fig._repr_png_()
    assert png.startswith(b"\x89PNG") and pixels(png).shape == (90, 180, 3)  # drawn at PNG_DPI = 90
    assert fig.dpi == 100  # the figure's own dpi is left as it was
    picture = Picture(width=2, height=1)
    picture.axes.plot([0, 1])
    picture.render()
    picture.show()
    assert np.array_equal(pixels(picture.image.value), pixels(png))
    assert {Image.open(io.BytesIO(bytes(data))).mode for data in (png, picture.image.value)} == {"RGB"}  # opaque


def test_live_plots_and_panels_call_plot_functions_alike():
    """One draw convention: ax= for one axes, axes= for a grid, as the plot functions take them."""
    calls = []

    def record(**kwargs):
        calls.append(sorted(kwargs))

    widgets.LivePlot(record).show(value=1)
    widgets.LivePlot(record, grid=(1, 2)).show(value=1)
    Panel(lambda ax, value: record(ax=ax, value=value), {"value": slider("value", 0, 1, 0)})
    assert calls == [["ax", "value"], ["axes", "value"], ["ax", "value"]]


def test_the_control_factories_share_one_labelled_style():
    controls = [slider("k", 0, 1, 0.5), int_slider("N", 1, 5, 2), log_slider("h", 1e-6, 1, 1e-3),
                selection_slider("B", [1, 2, 5], 2), dropdown("f", ["a", "b"]), toggle("on")]
    assert [c.description for c in controls] == ["k", "N", "h", "B", "f", "on"]
    assert all(c.style.description_width == "initial" for c in controls)
    assert [c.layout.width for c in controls] == ["320px"] * 4 + [None, None]
    assert controls[4].value == "a" and dropdown("f", [("first", 1), ("second", 2)]).value == 1
    wide = labelled(ipywidgets.FloatText, "x", width="100px", value=2.0)
    assert wide.layout.width == "100px" and wide.value == 2.0


def test_a_log_slider_takes_a_step_in_powers_of_ten():
    h = log_slider("h", 1e-12, 1.0, 1e-3)
    assert (h.min, h.max, h.step) == (-12, 0, 0.1)
    lr = log_slider("η", 0.01, 10.0, 0.01, step=0.05, readout_format=".3g")
    assert lr.step == 0.05 and lr.readout_format == ".3g" and lr.value == pytest.approx(0.01)



def test_an_axis_whose_limits_draw_sets_moves_with_the_drawing():
    """Blitted pixels equal a full redraw although draw rescales the y axis (ticks, labels, grid)."""
    backgrounds = []

    def background(ax):
        backgrounds.append(1)
        ax.set_xlim(0, 4)
        ax.set_ylabel("value")
        ax.grid(True)
        ax.set_axisbelow(True)

    def draw(ax, top):
        ax.bar([1, 2, 3], [top / 3, top, top / 2], color="black")
        ax.set_ylim(0, top * 1.05)
        ax.set_title(f"top = {top:g}")

    def everything(ax, top):
        background(ax)
        draw(ax, top)

    fast = Panel(draw, {"top": slider("top", 1, 1000, 2)}, background=background)
    full = Panel(everything, {"top": slider("top", 1, 1000, 2)})  # laid out for the same first picture
    for panel in (fast, full):
        panel.controls["top"].value = 700.0
    assert np.array_equal(pixels(fast.image.value), pixels(full.image.value))
    assert fast.axes.get_yticks()[-1] > 500
    assert len(backgrounds) == 2 + 1  # two for the full panel; the fast one kept its background


def test_a_background_drawn_again_replaces_what_it_drew_before():
    backgrounds = []

    def background(ax, n):
        backgrounds.append(n)
        ax.scatter(np.arange(n), np.arange(n))
        ax.set_xlim(-1, 10)

    panel = Panel(lambda ax, n, k: ax.axvline(k), {"n": int_slider("n", 1, 9, 3), "k": slider("k", 0, 9, 1)},
                  background=background)
    for n in (5, 2, 7):
        panel.controls["n"].value = n
    assert backgrounds == [3, 5, 2, 7]
    (points,) = panel.axes.collections
    assert len(points.get_offsets()) == 7 and len(panel.axes.get_lines()) == 1


def test_a_title_only_the_background_sets_stays_in_its_pixels_until_draw_changes_it():
    def background(ax):
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title("the background's title")

    def draw(ax, a, retitle):
        ax.plot([0, 1], [a, a], color="black")
        if retitle:
            ax.set_title("a title draw sets")

    def everything(ax, a, retitle):
        background(ax)
        draw(ax, a, retitle)

    def controls(a=0.5, retitle=False):
        return {"a": slider("a", 0, 1, a), "retitle": toggle("retitle", retitle)}

    fast = Panel(draw, controls(), background=background)
    drawn = []
    draw_artists = fast.picture.draw_artists
    fast.picture.draw_artists = lambda artists: (drawn.extend(artists), draw_artists(artists))
    fast.controls["a"].value = 0.7
    assert drawn and fast.axes.title not in drawn  # the kept pixels show it
    assert np.array_equal(pixels(fast.image.value), pixels(Panel(everything, controls(0.7)).image.value))
    fast.controls["retitle"].value = True  # now draw sets it: the background is drawn again without it
    assert np.array_equal(pixels(fast.image.value), pixels(Panel(everything, controls(0.7, True)).image.value))
    drawn.clear()
    fast.controls["a"].value = 0.2
    assert fast.axes.title in drawn and fast.axes.get_title() == "a title draw sets"


def test_one_encoder_sends_the_canvas_as_png_or_while_it_moves_as_jpeg():
    picture = Picture(width=2, height=1)
    picture.axes.plot([0, 1], color="#D55E00", linewidth=3)
    picture.render()
    drawn = np.asarray(picture.canvas.buffer_rgba())[..., :3].astype(int)
    picture.show()
    assert picture.image.format == "png" and np.array_equal(pixels(picture.image.value), drawn)  # exact
    picture.show(moving=True)
    assert picture.image.format == "jpeg" and bytes(picture.image.value).startswith(b"\xff\xd8")
    assert bytes(picture.image.value) == plots.style.canvas_image(picture.canvas, "jpeg")
    assert np.abs(pixels(picture.image.value) - drawn).mean() < 2  # close, not exact
    with pytest.raises(ValueError, match="png or jpeg, not 'gif'"):
        plots.style.canvas_image(picture.canvas, "gif")


def _two_lines_of_text(first, second):
    picture = Picture(grid=None, width=3, height=1, layout=None)
    texts = [picture.figure.text(0.05, 0.6, first, fontsize=12), picture.figure.text(0.55, 0.6, second, fontsize=12)]
    picture.render()
    picture.keep_pixels()
    return picture, texts


def test_a_part_drawn_again_in_its_box_looks_as_the_whole_picture_drawn_anew():
    picture, (_, right) = _two_lines_of_text("left stays", "right")
    right.set_text("right again")
    picture.redraw_part((0.5, 0.0, 0.5, 1.0), [right])
    fresh, _ = _two_lines_of_text("left stays", "right again")
    canvas = np.asarray(picture.canvas.buffer_rgba())
    assert np.array_equal(canvas, np.asarray(fresh.canvas.buffer_rgba()))
    canvas = canvas.copy()
    right.set_text("other words")
    picture.redraw_part((0.5, 0.0, 0.2, 1.0), [right])  # a box too small: beyond it, what was kept stays
    now = np.asarray(picture.canvas.buffer_rgba())
    assert np.array_equal(now[:, 189:], canvas[:, 189:]) and not np.array_equal(now[:, 135:189], canvas[:, 135:189])


# --- lines of text drawn again are copied ---------------------------------------------------------

def _texts_picture(max_bytes=12 * 2**20, under=None):
    """The same words at three places (two a fraction of a pixel apart from whole pixels), over an optional
    band of colour: (Picture, its canvas's pixels)."""
    picture = Picture(grid=None, width=4, height=2, layout=None)  # 360 × 180 pixels
    picture.texts.max_bytes = max_bytes
    if under is not None:
        picture.figure.add_artist(Rectangle((0, 0.2), 1, 0.25, transform=picture.figure.transFigure, color=under))
    for x, y in [(20.3, 54.0), (20.3, 126.0), (150.8, 126.0)]:
        picture.figure.text(x / 360, y / 180, "∂ℒ/∂W1 = UP", fontsize=11)
    picture.render()
    return picture, np.asarray(picture.canvas.buffer_rgba()).copy()


def test_a_line_of_text_drawn_again_on_the_same_pixels_is_copied_as_matplotlib_draws_it():
    picture, first = _texts_picture()
    assert picture.texts.copied == 0
    picture.render()
    assert picture.texts.copied == 3  # every line, each at its own place
    uncopied, drawn = _texts_picture(max_bytes=0)  # remembers nothing
    uncopied.render()
    assert uncopied.texts.copied == 0
    assert np.array_equal(np.asarray(picture.canvas.buffer_rgba()), drawn) and np.array_equal(first, drawn)


def test_a_line_of_text_is_not_copied_onto_other_pixels():
    picture, _ = _texts_picture()
    picture.figure.add_artist(Rectangle((0, 0.2), 1, 0.25, transform=picture.figure.transFigure, color="#56B4E9"))
    picture.render()  # the lower line now lies on the band
    assert picture.texts.copied == 2  # the upper lines only
    assert np.array_equal(np.asarray(picture.canvas.buffer_rgba()), _texts_picture(under="#56B4E9")[1])


def test_a_line_of_text_reaching_beyond_its_box_is_not_remembered(monkeypatch):
    monkeypatch.setattr(text_pixels, "ADVANCE", 0.1)  # a box far too narrow for the words
    picture, drawn = _texts_picture()
    picture.render()
    assert picture.texts.copied == 0 and np.array_equal(np.asarray(picture.canvas.buffer_rgba()), drawn)


def test_the_pixels_of_lines_of_text_are_bounded():
    picture, _ = _texts_picture(max_bytes=60_000)
    for k in range(20):
        picture.figure.suptitle(f"title {k}")
        picture.render()
    assert 0 < picture.texts._bytes <= 60_000
