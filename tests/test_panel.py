"""The Panel: its declared layers, the still background kept as pixels and the moving parts drawn on it,
and the engine underneath (widgets.engine): the picture, its layers and how it reaches the page.
"""

import io
import re

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from figures import layers_snapshot, pixels
from lecture_utils import plots, widgets
from lecture_utils.widgets.engine import Layers, Picture
from lecture_utils.widgets.panel import (
    Layer,
    Panel,
    dropdown,
    int_slider,
    labelled,
    log_slider,
    selection_slider,
    slider,
    toggle,
)


def line_at(ax, a):
    ax.plot([0, 1], [a, a], color="black")
    ax.set_title(f"a = {a}")
    return f"a line at {a}"


def test_a_control_change_draws_the_moving_layer_with_its_own_controls_values():
    calls = []

    def draw(ax, a, b):
        calls.append((a, b))
        return line_at(ax, a + b)

    panel = Panel({"a": slider("a", 0, 1, 0.5), "b": int_slider("b", 0, 10, 3)}, moving=Layer(draw, "a", "b"))
    first = panel.picture.data
    panel.controls["a"].value = 0.25
    assert calls == [(0.5, 3), (0.25, 3)]
    assert panel.moving_axes.get_title() == "a = 3.25" and len(panel.moving_axes.get_lines()) == 1
    assert panel.picture.data != first and bytes(panel.picture.data).startswith(b"\x89PNG")
    assert panel.picture.alt == "a line at 3.25"


def test_the_background_is_drawn_again_only_when_its_own_controls_change():
    backgrounds, drawings = [], []

    def background(ax, scale):
        backgrounds.append(scale)
        ax.scatter(np.arange(5), np.arange(5) * scale)
        ax.set_xlim(0, 5)

    def draw(ax, position):
        drawings.append(position)
        ax.axvline(position)
        ax.set_title(f"at {position}")
        return f"a line at {position}"

    panel = Panel({"scale": dropdown("scale", [1, 2]), "position": slider("position", 0, 5, 1)},
                  moving=Layer(draw, "position"), background=Layer(background, "scale"))
    assert backgrounds == [1]
    still = list(panel.still_axes.collections)
    panel.controls["position"].value = 3.0
    assert backgrounds == [1] and drawings == [1, 3.0]
    assert list(panel.still_axes.collections) == still and not panel.still_axes.get_lines()  # the background stayed
    assert len(panel.moving_axes.get_lines()) == 1 and panel.moving_axes.get_title() == "at 3.0"
    panel.controls["scale"].value = 2
    assert backgrounds == [1, 2] and drawings == [1, 3.0, 3.0]  # the moving parts again, on the new background
    (points,) = panel.still_axes.collections
    assert points is not still[0] and points.get_offsets()[-1, 1] == 8


def test_a_background_drawn_again_for_values_it_had_copies_the_pixels_kept_for_them():
    """Its artists are made anew (the figure holds what the page shows), its pixels are not drawn again."""
    def background(ax, scale):
        ax.scatter(np.arange(5), np.arange(5) * scale, color="#0072B2")
        ax.set_xlim(0, 5)
        ax.set_ylim(0, 10)
        ax.set_title(f"scale {scale}")

    def draw(ax, position):
        ax.axvline(position, color="black")
        return f"a line at {position}"

    def made(scale, position):
        panel = Panel({"scale": dropdown("scale", [1, 2]), "position": slider("position", 0, 5, position)},
                      moving=Layer(draw, "position"), background=Layer(background, "scale"), width=4, height=3)
        panel.controls["scale"].value = scale
        return panel

    panel = made(2, 2.0)  # drawn for scale 1, then 2
    drawn = []
    panel.picture.draw_still = lambda draw_still=panel.picture.draw_still: drawn.append(1) or draw_still()
    panel.controls["scale"].value = 1
    panel.controls["position"].value = 3.0
    assert drawn == []  # kept
    assert panel.still_axes.get_title() == "scale 1" and panel.still_axes.collections[0].get_offsets()[-1, 1] == 4
    assert np.array_equal(pixels(panel.picture.data), pixels(made(1, 3.0).picture.data))
    panel.controls["scale"].value = 2
    assert np.array_equal(pixels(panel.picture.data), pixels(made(2, 3.0).picture.data))


def test_a_moving_layer_of_its_controls_only_keeps_its_pictures_and_one_of_state_draws_anew():
    state = {"offset": 0.0}

    def background(ax, scale):
        ax.set_xlim(0, 5)
        ax.set_ylim(0, 10)
        ax.set_title(f"scale {scale}")

    def draw(ax, position):
        ax.axvline(position + state["offset"], color="black")
        ax.text(1, 1, f"at {position}")
        return f"a line at {position}"

    def made(position, scale=1, controls_only=True):
        return Panel({"scale": dropdown("scale", [1, 2], scale), "position": slider("position", 0, 5, position)},
                     moving=Layer(draw, "position", controls_only=controls_only), background=Layer(background, "scale"),
                     width=4, height=3)

    panel = made(2.0)
    panel.controls["position"].value = 3.0
    drawn = []
    panel.picture.draw_moving = lambda artists, draw_moving=panel.picture.draw_moving: drawn.append(1) or draw_moving(
        artists)
    panel.controls["position"].value = 2.0
    assert drawn == [] and panel.picture.alt == "a line at 2.0" and panel.moving_axes.texts[0].get_text() == "at 2.0"
    assert np.array_equal(pixels(panel.picture.data), pixels(made(2.0).picture.data))
    panel.controls["scale"].value = 2  # another background: the picture for 2.0 on it is drawn
    assert drawn == [1] and np.array_equal(pixels(panel.picture.data), pixels(made(2.0, scale=2).picture.data))

    panel = made(2.0, controls_only=False)
    panel.controls["position"].value = 3.0
    state["offset"] = 1.0  # a button's state
    panel.controls["position"].value = 2.0
    assert np.array_equal(pixels(panel.picture.data), pixels(made(2.0, controls_only=False).picture.data))


def test_the_moving_parts_are_exactly_what_the_moving_layer_draws():
    """On the moving twins, in the still axes' coordinates: emptied and drawn again on every change."""
    def background(ax):
        ax.scatter([0, 1, 2], [0, 1, 4])
        ax.set_xlim(-1, 3)
        ax.set_ylim(-1, 5)
        ax.set_yscale("symlog")

    def draw(ax, k):
        assert ax.get_xlim() == (-1, 3) and ax.get_yscale() == "symlog"  # the background's coordinates
        ax.plot(ax.get_xlim(), [k, 3 * k], color="black")
        ax.text(0, k, "k")
        ax.legend(["k"])
        return f"k = {k}"

    panel = Panel({"k": slider("k", 0, 2, 0.5)}, moving=Layer(draw, "k"), background=Layer(background))
    for k in (1.0, 1.5):
        panel.controls["k"].value = k
    moving = panel.moving_axes
    assert len(moving.get_lines()) == 1 and len(moving.texts) == 1 and moving.get_legend() is not None
    assert moving.get_animated() and not moving.axison and not moving.patch.get_visible()
    assert len(panel.still_axes.collections) == 1 and not panel.still_axes.get_lines()


def test_the_picture_equals_the_same_drawing_made_at_once():
    """What the page shows: the kept background with the moving parts on it, as one figure would draw it."""
    def background(ax):
        ax.scatter([0, 1, 2], [0, 1, 4], color="#0072B2")
        ax.set_xlim(-1, 3)
        ax.set_ylim(-1, 5)
        ax.set_xlabel("x")

    def draw(ax, k):
        ax.plot([-1, 3], [-k, 3 * k], color="black")
        ax.set_title(f"k = {k:.2f}")
        return f"k = {k:.2f}"

    def at_once(k):
        fig, ax = plots.style.new_figure(4, 3)
        background(ax)
        draw(ax, k)
        return pixels(plots.style.figure_png(fig))

    def same_picture(png, reference):
        return np.mean(np.abs(pixels(png) - reference) > 8) < 0.002  # up to antialiasing

    panel = Panel({"k": slider("k", 0, 2, 0.5)}, moving=Layer(draw, "k"), background=Layer(background), width=4,
                  height=3)
    assert same_picture(panel.picture.data, at_once(0.5))  # the first picture too
    panel.controls["k"].value = 1.5
    assert same_picture(panel.picture.data, at_once(1.5)) and not same_picture(panel.picture.data, at_once(0.5))


def test_a_moving_layer_with_frames_draws_the_axes_its_limits_move():
    """The bars' heights set the y axis: its ticks, labels and grid move with them."""
    def draw(ax, top):
        ax.bar([1, 2, 3], [top / 3, top, top / 2], color="black")
        ax.set_xlim(0, 4)
        ax.set_ylim(0, top * 1.05)
        ax.set_ylabel("value")
        ax.grid(True)
        return f"top = {top:g}"

    panel = Panel({"top": slider("top", 1, 1000, 2)}, moving=Layer(draw, "top", frames=True), width=4, height=3)
    panel.controls["top"].value = 700.0
    reference = Picture(4, 3)
    ax = reference.figure.add_subplot()
    draw(ax, 2)
    reference.draw_still()  # laid out for the same first picture
    ax.cla()
    draw(ax, 700.0)
    reference.draw_still()
    reference.show("the same bars")
    assert np.mean(np.abs(pixels(panel.picture.data) - pixels(reference.data)) > 8) < 0.002
    assert panel.moving_axes.get_yticks()[-1] > 500 and not panel.still_axes.axison


def test_a_background_drawn_again_replaces_what_it_drew_before():
    backgrounds = []

    def background(ax, n):
        backgrounds.append(n)
        ax.scatter(np.arange(n), np.arange(n))
        ax.set_xlim(-1, 10)

    panel = Panel({"n": int_slider("n", 1, 9, 3), "k": slider("k", 0, 9, 1)},
                  moving=Layer(lambda ax, k: line_at(ax, k), "k"), background=Layer(background, "n"))
    for n in (5, 2, 7):
        panel.controls["n"].value = n
    assert backgrounds == [3, 5, 2, 7]
    (points,) = panel.still_axes.collections
    assert len(points.get_offsets()) == 7 and len(panel.moving_axes.get_lines()) == 1


def test_a_background_drawn_for_new_values_looks_as_one_drawn_first_for_them():
    """Emptied, not cleared: nothing an earlier background drew or labelled stays, and limits follow the data
    unless the drawing sets them."""
    def background(ax, n):
        ax.scatter(np.arange(n), np.arange(n) ** 2, label="points")
        if n == 9:  # drawn only for some values
            ax.set_title("nine", loc="left")
            ax.set_ylabel("y for nine")
            ax.text(1, 1, "a note")
            ax.legend()
            ax.set_xlim(-5, 20)  # limits set by this drawing only

    def picture(*values):
        panel = Panel({"n": int_slider("n", 1, 9, values[0]), "k": slider("k", 0, 9, 1)},
                      moving=Layer(lambda ax, k: line_at(ax, k), "k"), background=Layer(background, "n"))
        for n in values[1:]:
            panel.controls["n"].value = n
        return pixels(panel.picture.data), panel.still_axes.get_ylabel()

    after_nine, after_five = picture(6, 9, 7), picture(6, 5, 7)  # laid out by the same first picture; 7 drawn anew
    assert np.array_equal(after_nine[0], after_five[0]) and after_nine[1] == after_five[1] == ""
    assert not np.array_equal(picture(6, 9)[0], picture(6, 5)[0])


@pytest.mark.parametrize("make, control, values", [
    (lambda: widgets.shape_quiz(seed=3), "number", (2, 5)),
    (lambda: widgets.plane_fit_panel(*np.random.default_rng(0).uniform(1, 9, (3, 20))), "elev", (50.0, 12.0)),
])
def test_a_notebook_background_drawn_again_looks_as_one_drawn_first(make, control, values):
    turned, fresh = make(), make()
    for value in values:
        turned.controls[control].value = value
    fresh.controls[control].value = values[-1]
    assert np.array_equal(pixels(turned.picture.data), pixels(fresh.picture.data))


def test_each_layer_names_the_controls_it_depends_on_and_every_control_has_one():
    controls = {"a": slider("a", 0, 1, 0.5), "b": slider("b", 0, 1, 0.5)}
    with pytest.raises(ValueError, match=r"no layer depends on \['b'\]"):
        Panel(controls, moving=Layer(lambda ax, a: line_at(ax, a), "a"))
    with pytest.raises(ValueError, match=r"no control \['c'\]"):
        Panel(controls, moving=Layer(lambda ax, a, b, c: line_at(ax, a), "a", "b", "c"))


def test_the_moving_layer_says_what_the_picture_shows():
    with pytest.raises(TypeError, match="text alternative"):
        Panel({"a": slider("a", 0, 1, 0.5)}, moving=Layer(lambda ax, a: ax.plot([0, a]), "a"))


def test_a_panel_displays_as_its_widget_with_its_picture():
    panel = Panel({"a": slider("a", 0, 1, 0.5)}, moving=Layer(line_at, "a"))
    assert "application/vnd.jupyter.widget-view+json" in panel._repr_mimebundle_()
    assert "lecture-panel" in panel.widget._dom_classes and "lecture-picture" in panel.picture.view._dom_classes
    assert panel.widget.children[1] is panel.picture.view


def test_buttons_join_the_row_of_controls_and_can_redraw():
    clicks = []
    button = ipywidgets.Button(description="more")
    panel = Panel({"a": slider("a", 0, 1, 0.5)}, moving=Layer(lambda ax, a: line_at(ax, a + len(clicks)), "a"),
                  buttons=[button])
    button.on_click(lambda _: (clicks.append(1), panel.update()))
    row = panel.widget.children[0]
    assert row.children == (panel.controls["a"], panel.controls["a"].slider, button)
    assert panel.buttons == {"more": button}
    before = layers_snapshot(panel)
    button.click()
    assert layers_snapshot(panel) != before and panel.picture.alt == "a line at 1.5"


def test_named_buttons_belong_to_the_panel_from_its_construction():
    play, stop = ipywidgets.ToggleButton(description="play"), ipywidgets.Button(description="stop")
    panel = Panel({"a": slider("a", 0, 1, 0.5)}, moving=Layer(line_at, "a"), buttons={"play": play, "x": stop})
    assert panel.buttons == {"play": play, "x": stop}
    assert panel.widget.children[0].children[2:] == (play, stop)


def test_update_redraws_from_state_outside_the_controls_as_often_as_called():
    """As a timer would: each update draws the current state, on the kept background."""
    state = {"t": 0}

    def background(ax):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)

    def draw(ax, a):
        ax.plot([state["t"]], [a], marker="o")
        ax.set_title(f"t = {state['t']}")
        return f"t = {state['t']}"

    panel = Panel({"a": slider("a", 0, 10, 5)}, moving=Layer(draw, "a"), background=Layer(background))
    frames = []
    for t in range(1, 4):
        state["t"] = t
        panel.update()
        frames.append(bytes(panel.picture.data))
        assert panel.moving_axes.get_title() == f"t = {t}" and panel.moving_axes.get_lines()[0].get_xdata()[0] == t
        assert len(panel.moving_axes.get_lines()) == 1  # the last point replaced, not piled up
        assert panel.picture.alt == f"t = {t}"
    assert len(set(frames)) == 3 and panel.picture.frames == 4


def test_the_page_shows_the_picture_at_the_size_it_was_drawn_with_its_text_alternative():
    panel = Panel({"a": slider("a", 0, 1, 0.5)}, moving=Layer(lambda ax, a: line_at(ax, a) + " < & >", "a"),
                  width=4, height=2.5)
    tag = panel.picture.view.value
    assert panel.picture.size == (360, 225)  # 4 × 2.5 inches at PNG_DPI = 90
    assert re.search(r'width="360" height="225"', tag) and 'alt="a line at 0.5 &lt; &amp; &gt;"' in tag
    source = re.search(r'src="data:image/png;base64,([^"]+)"', tag).group(1)
    import base64
    assert base64.b64decode(source) == bytes(panel.picture.data)
    panel.controls["a"].value = 0.75
    assert 'alt="a line at 0.75 &lt; &amp; &gt;"' in panel.picture.view.value


def test_a_figure_ending_a_cell_is_a_picture_with_its_text_alternative():
    fig, ax = plots.style.new_figure(2, 1)
    ax.plot([0, 1])
    plots.style.described(fig, "a rising line")
    bundle = fig._repr_mimebundle_()
    png = bundle["image/png"]
    assert png.startswith(b"\x89PNG") and pixels(png).shape == (90, 180, 3)  # drawn at PNG_DPI = 90
    assert 'alt="a rising line"' in bundle["text/html"] and 'width="180" height="90"' in bundle["text/html"]
    assert fig.dpi == 100  # the figure's own dpi is left as it was


def test_figures_and_pictures_share_one_png_encoder():
    fig, ax = plots.style.new_figure(2, 1)
    ax.plot([0, 1])
    png = fig._repr_png_()
    picture = Picture(2, 1)
    picture.figure.add_subplot().plot([0, 1])
    picture.draw_still()
    picture.draw_moving([])
    picture.show("a line")
    assert np.array_equal(pixels(picture.data), pixels(png))
    assert {Image.open(io.BytesIO(bytes(data))).mode for data in (png, picture.data)} == {"RGB"}  # opaque


def test_a_picture_keeps_its_first_layout_and_draws_moving_artists_on_its_still_pixels():
    picture = Picture(4, 2)
    left, right = picture.figure.subplots(1, 2)
    left.set_title("a long title that the layout makes room for")
    (line,) = right.plot([0, 1], [0, 1], color="black", linewidth=3, animated=True)
    picture.draw_still()
    position = left.get_position().bounds
    picture.draw_still()
    assert left.get_position().bounds == position and picture.kept
    blank = np.asarray(picture.canvas.buffer_rgba()).copy()  # the still parts: the line is animated
    picture.draw_moving([line])
    drawn = np.asarray(picture.canvas.buffer_rgba()).copy()
    assert np.sum(np.abs(drawn.astype(int) - blank).max(axis=2) > 100) > 50  # the line is there ...
    picture.draw_moving([])
    assert np.array_equal(np.asarray(picture.canvas.buffer_rgba()), blank)  # ... and gone with the kept pixels


def test_one_encoder_sends_the_canvas_as_png_or_while_it_moves_as_jpeg():
    picture = Picture(2, 1)
    picture.figure.add_subplot().plot([0, 1], color="#D55E00", linewidth=3)
    picture.draw_still()
    picture.draw_moving([])
    drawn = np.asarray(picture.canvas.buffer_rgba())[..., :3].astype(int)
    picture.show("a line")
    assert picture.format == "png" and np.array_equal(pixels(picture.data), drawn)  # exact
    picture.show("a line", moving=True)
    assert picture.format == "jpeg" and bytes(picture.data).startswith(b"\xff\xd8")
    assert 'src="data:image/jpeg;base64,' in picture.view.value
    assert bytes(picture.data) == plots.style.canvas_image(picture.canvas, "jpeg")
    assert np.abs(pixels(picture.data) - drawn).mean() < 2  # close, not exact
    with pytest.raises(ValueError, match="png or jpeg, not 'gif'"):
        plots.style.canvas_image(picture.canvas, "gif")


def test_layers_hand_their_axes_over_as_the_plot_functions_take_them():
    """One draw convention: ax= for one axes, axes= for a grid, as the plot functions take them."""
    calls = []

    def record(**kwargs):
        calls.append(sorted(kwargs))
        return "recorded"

    widgets.LivePlot(lambda **kwargs: plots.style.described(plots.style.new_figure()[0], record(**kwargs))).show(
        value=1)
    Layers(Picture(4, 2), grid=(1, 2)).draw(lambda axes: record(axes=axes), still=lambda axes: record(axes=axes))
    Panel({"value": slider("value", 0, 1, 0)}, moving=Layer(lambda ax, value: record(ax=ax, value=value), "value"))
    assert calls == [["ax", "value"], ["axes"], ["axes"], ["ax", "value"]]


def test_every_control_is_named_by_its_label_and_a_number_has_a_slider_beside_its_box():
    """A keyboard and a screen reader use the named box (or menu); the mouse may use the slider."""
    numbers = [slider("k", 0, 1, 0.5), int_slider("N", 1, 5, 2), log_slider("h", 1e-6, 1, 1e-3),
               selection_slider("B", [1, 2, 5], 2)]
    others = [dropdown("f", ["a", "b"]), toggle("on")]
    assert [c.description for c in numbers + others] == ["k", "N", "h", "B", "f", "on"]
    assert all(c.style.description_width == "initial" for c in numbers + others)
    assert [type(c).__name__ for c in numbers] == ["BoundedFloatText", "BoundedIntText", "BoundedFloatText", "Dropdown"]
    assert [type(c.slider).__name__ for c in numbers] == ["FloatSlider", "IntSlider", "FloatLogSlider",
                                                          "SelectionSlider"]
    assert all(c.slider.description == "" and not c.slider.readout for c in numbers)  # the box names and shows it
    assert others[0].value == "a" and dropdown("f", [("first", 1), ("second", 2)]).value == 1
    wide = labelled(ipywidgets.FloatText, "x", width="100px", value=2.0)
    assert wide.layout.width == "100px" and wide.value == 2.0


def test_a_box_and_its_slider_show_one_value():
    k = slider("k", 0, 0.5, 0.1, step=0.002, readout_format=".3f")
    k.slider.value = 0.30200000000000005  # as a slider's step may leave it
    assert k.value == 0.302  # the box shows it as the slider reads
    k.value = 0.25
    assert k.slider.value == 0.25
    B = selection_slider("B", [1, 2, 5, 10], 5)
    B.slider.value = 10
    assert B.value == 10


def test_a_log_slider_takes_a_step_in_powers_of_ten():
    h = log_slider("h", 1e-12, 1.0, 1e-3)
    assert (h.slider.min, h.slider.max, h.slider.step) == (-12, 0, 0.1) and (h.min, h.max) == (1e-12, 1.0)
    lr = log_slider("η", 0.01, 10.0, 0.01, step=0.05)
    assert lr.slider.step == 0.05 and lr.value == pytest.approx(0.01)
    lr.slider.value = 10 ** -1.35
    assert lr.value == 0.0447  # three digits
