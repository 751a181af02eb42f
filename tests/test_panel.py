"""The Panel machinery: controls redraw the picture; a background is reused until its controls change."""

import io

import numpy as np
from PIL import Image

from figures import snapshot
from lecture_utils.widgets.panel import Panel, dropdown, int_slider, slider, toggle


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

    def pixels(panel):
        return np.asarray(Image.open(io.BytesIO(bytes(panel.image.value)))).astype(int)

    def same_picture(a, b):
        return np.mean(np.abs(pixels(a) - pixels(b)) > 8) < 0.001  # up to antialiasing

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
    import ipywidgets

    clicks = []
    button = ipywidgets.Button(description="more")
    panel = Panel(lambda ax, a: ax.plot([0, 1], [0, a + len(clicks)], color="black"),
                  {"a": slider("a", 0, 1, 0.5)}, buttons=[button])
    button.on_click(lambda _: (clicks.append(1), panel.update()))
    row = panel.widget.children[0]
    assert button in row.children and panel.controls["a"] in row.children
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
