"""Panel: controls above a picture whose still and moving parts are declared, each with its controls.

    panel = Panel({"k": slider("k", 0.0, 0.5, 0.2), "m": slider("m", -200, 300, 0)},
                  background=Layer(lambda axes: plots.apartments_scatter(x, y, ax=axes[0])),
                  moving=Layer(fit, "k", "m"), grid=(1, 2), width=9.4, height=3.6)
    panel                       # as the last line of a cell: shows controls and picture

A Layer is a drawing function and the names of the controls it depends on. The
background is drawn once and kept as pixels; it is drawn again only when one of its own
controls changes (for values it had before, the pixels kept then are copied). The moving
layer is drawn on every change of its controls, on the kept pixels, and returns the
picture's text alternative: what it shows now, with its numbers ("ℒ = 2,015 for k =
0.25, m = 20"). Each function gets its axes as the plot functions take them (`ax=` for
one Axes, `axes=` for a grid) and the values of its own controls. The panel computes
nothing itself: any picture it shows can be drawn (and tested) by calling the plot
functions directly. How the layers are drawn is the engine's (`widgets.engine`): the
moving layer lies on transparent twins of the background's axes, with their limits;
Layer(..., frames=True) draws its axes' frames too (limits that move, with their ticks).

Buttons (e.g. "▶ train", or a play/pause toggle driven by a timer) are given at
construction; their handlers change some state and call `panel.update()`, which
redraws the moving layer from the current values and may be called as often as a
timer likes:

    play = ipywidgets.ToggleButton(description="▶ play")
    panel = Panel(controls, moving=Layer(draw, "a"), background=Layer(frame), buttons={"play": play})

    async def run():                     # e.g. asyncio.ensure_future(run()) when play turns on
        while play.value:
            state.step()                 # the computation, outside the panel
            panel.update()               # the moving parts drawn on the kept background
            await asyncio.sleep(0.1)     # ten pictures a second, the kernel free in between
"""

from math import log10

import ipywidgets as widgets

from .engine import Layers, Picture

__all__ = ["Panel", "Layer", "labelled", "slider", "int_slider", "log_slider", "selection_slider", "dropdown",
           "toggle", "shown_controls"]


class Layer:
    """A part of a picture: draw(ax= or axes=, **values of `controls`), drawn again when one of them changes.

    frames=True (a moving layer only): it also draws its axes' frames (limits, ticks, labels, grid).
    controls_only=True (a moving layer): what it draws depends on its controls only, on no state a button changes;
    its pictures are kept for their last values, as a background's are, and copied when those come back.
    """

    def __init__(self, draw, *controls, frames=False, controls_only=False):
        self.draw, self.controls, self.frames, self.controls_only = draw, controls, frames, controls_only


class Panel:
    """Controls above a picture of a still background and moving parts, each a Layer.

    controls:   {name: ipywidgets control}; the layers name the controls they depend on
    moving:     the Layer drawn on every change of its controls; its function returns the text alternative
    background: an optional Layer drawn once, and again when one of its own controls changes
    grid:       (rows, columns) of axes; the functions get `ax` (one Axes) for (1, 1), else `axes` (a list,
                row by row)
    width, height: the figure's size in inches (shown at plots.style.PNG_DPI pixels an inch);
                subplot_kw e.g. {"projection": "3d"}; more keywords (gridspec_kw, ...) go to Figure.subplots
    buttons:    {name: widget} for the row of controls after the controls (e.g. a "train" button whose click
                changes some state and then calls panel.update()); reached later as panel.buttons[name].
                A list of widgets is named by their descriptions.

    still_axes, moving_axes: the two layers' axes (one Axes for a (1, 1) grid, else a list).
    """

    def __init__(self, controls, moving, background=None, grid=(1, 1), width=6.4, height=4.0, subplot_kw=None,
                 buttons=(), **subplots_kw):
        self.controls = dict(controls)
        self.moving, self.background = moving, background
        layers = [moving] + ([background] if background is not None else [])
        unknown = {name for layer in layers for name in layer.controls} - set(self.controls)
        unused = set(self.controls) - {name for layer in layers for name in layer.controls}
        if unknown or unused:
            raise ValueError(f"each layer names the panel's controls it depends on: no control {sorted(unknown)}, "
                             f"no layer depends on {sorted(unused)}")
        self.buttons = dict(buttons) if isinstance(buttons, dict) else {b.description: b for b in buttons}
        self.picture = Picture(width, height)
        self.layers = Layers(self.picture, grid, frames=moving.frames, subplot_kw=subplot_kw, **subplots_kw)
        self.figure = self.picture.figure
        self.still_axes, self.moving_axes = (axes[0] if len(axes) == 1 else axes
                                             for axes in (self.layers.still, self.layers.moving))
        self.widget = widgets.VBox([
            widgets.HBox([*shown_controls(self.controls.values()), *self.buttons.values()],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            self.picture.view,
        ])
        self.widget.add_class("lecture-panel")  # how the browser tests find panels
        for name, control in self.controls.items():
            control.observe(lambda change, name=name: self.update(still=name in self._still_controls()),
                            names="value")
        self.update(still=True)

    def values(self):
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, still=False):
        """Draw the moving layer from the controls' current values (still=True: the background first) and show
        the picture with its text alternative."""
        values = self.values()

        def call(layer):
            return lambda **target: layer.draw(**target, **{name: values[name] for name in layer.controls})

        def key(layer):
            return tuple(values[name] for name in layer.controls) if layer is not None else ()

        background = self.background if still else None
        alt = self.layers.draw(call(self.moving), background and call(background), key(background),
                               key(self.moving) if self.moving.controls_only else None)
        if not isinstance(alt, str) or not alt:
            raise TypeError(f"a panel's moving layer returns the picture's text alternative, not {alt!r}")
        self.picture.show(alt)

    def _still_controls(self):
        return self.background.controls if self.background is not None else ()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# --- controls, labelled in the lecture's notation ---------------------------------------------
#
# Every control has an accessible name: its label. ipywidgets gives a slider's handle none (its label is
# not tied to it), so a slider's value is also a number box (or a menu) of the slider's name, which a
# keyboard and a screen reader use; the slider beside it is for the mouse (`control.slider`). The box is
# the control a panel observes; the two show one value (linked in the kernel, the box's rounded).

CONTROL_WIDTH = "320px"
BOX_WIDTH = "150px"     # a number box with its label
SLIDER_WIDTH = "170px"  # the slider beside it


def labelled(control, description, width=CONTROL_WIDTH, **options):
    """An ipywidgets control of class `control`, labelled `description` ("k", "w₁", "η", ...) in
    the panels' style: the label as wide as it needs, the control `width` wide (None: its own)."""
    layout = {} if width is None else {"layout": widgets.Layout(width=width)}
    return control(description=description, style={"description_width": "initial"}, **layout, **options)


def _with_slider(box, slider, shown=lambda value: value):
    """`box` (the named control) with `slider` beside it for the mouse (box.slider), both showing one value:
    the slider's moves reach the box as shown(value), the box's edits reach the slider."""
    slider.layout.width = SLIDER_WIDTH
    box.slider = slider
    widgets.link((slider, "value"), (box, "value"), transform=(shown, lambda value: value))
    return box


def slider(description, low, high, value, step=None, continuous=True, readout_format=".2f"):
    """A number from low to high (in 200 steps unless `step` is given): a number box named `description`
    and a slider, showing the value in `readout_format`."""
    step = step if step is not None else (high - low) / 200
    box = labelled(widgets.BoundedFloatText, description, width=BOX_WIDTH, value=value, min=low, max=high,
                   step=step)
    return _with_slider(box, widgets.FloatSlider(value=value, min=low, max=high, step=step, readout=False,
                                                 continuous_update=continuous),
                        lambda number: float(format(number, readout_format.rstrip("%") or "g")))


def int_slider(description, low, high, value, step=1, continuous=True):
    """A whole number from low to high: a number box named `description` and a slider."""
    box = labelled(widgets.BoundedIntText, description, width=BOX_WIDTH, value=value, min=low, max=high, step=step)
    return _with_slider(box, widgets.IntSlider(value=value, min=low, max=high, step=step, readout=False,
                                               continuous_update=continuous))


def log_slider(description, low, high, value, step=0.1, readout_format=".0e"):
    """A number from low to high (both > 0), the slider in powers of ten, `step` of them at a time (for steps
    such as h): a number box named `description` and a slider."""
    box = labelled(widgets.BoundedFloatText, description, width=BOX_WIDTH, value=value, min=low, max=high,
                   step=None)
    return _with_slider(box, widgets.FloatLogSlider(value=value, base=10, min=log10(low), max=log10(high),
                                                    step=step, readout=False),
                        lambda number: float(format(number, ".3g")))


def selection_slider(description, options, value):
    """One of a list of values, e.g. batch sizes 1, 2, 5, 10, ...: a menu named `description` and a slider."""
    menu = labelled(widgets.Dropdown, description, width=None, options=list(options), value=value)
    return _with_slider(menu, widgets.SelectionSlider(options=list(options), value=value, readout=False))


def dropdown(description, options, value=None):
    """A Dropdown; options is a list of values or of (label, value) pairs (the first one by default)."""
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return labelled(widgets.Dropdown, description, width=None, options=options,
                    value=value if value is not None else first)


def toggle(description, value=False):
    """A Checkbox for an on/off switch, its label right of the box, as wide as they are."""
    return labelled(widgets.Checkbox, description, width="auto", value=value, indent=False)


def shown_controls(controls):
    """The widgets that show `controls` in a row: each control, and the slider beside it if it has one."""
    return [widget for control in controls for widget in (control, getattr(control, "slider", None))
            if widget is not None]
