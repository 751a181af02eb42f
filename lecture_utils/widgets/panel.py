"""Panel: controls that redraw one picture by calling pure plot functions.

    panel = Panel(lambda ax, k, m: plots.line_fit(x, y, linear_model.line(x, y, k, m), ax=ax),
                  {"k": slider("k", 0.0, 0.5, 0.2), "m": slider("m", -200, 300, 0)})
    panel                       # as the last line of a cell: shows controls and picture

On every change of a control the panel clears its axes, calls the plot function
with them and all controls' current values, and sends the new PNG to the
browser. The panel computes nothing itself, so any picture it shows can be drawn
(and tested) by calling the plot functions directly. The figure, its canvas and
the PNG are a `picture.Picture`, the machine the live plots share; a function gets
its axes as plots take them: `ax=` for one Axes, `axes=` for a grid.

Faster panels split the picture in two: a `background` that depends on few
controls (or none) and `draw`, the parts that move. The background is rendered
once and kept as pixels; a change that leaves the background's own controls alone
draws only the new parts on top of it (matplotlib's blitting). The background is
redrawn when one of the controls it takes as parameters changes (on the same axes:
what it drew last time is taken away first). A title `draw` sets is drawn with the
moving parts; a title only the background sets stays in its pixels (should `draw` change
it after all, the background is drawn again). So is an axis whose limits `draw` sets
(with its ticks, labels and grid lines, and the frame of its axes): it is drawn with the
moving parts.

Buttons (e.g. "▶ train", or a play/pause toggle driven by a timer) are given at
construction; their handlers change some state and call `panel.update()`, which
redraws from the current values and may be called as often as a timer likes:

    play = ipywidgets.ToggleButton(description="▶ play")
    panel = Panel(draw, controls, background=frame, buttons={"play": play})

    async def run():                     # e.g. asyncio.ensure_future(run()) when play turns on
        while play.value:
            state.step()                 # the computation, outside the panel
            panel.update()               # the moving parts drawn on the kept background
            await asyncio.sleep(0.1)     # ten pictures a second, the kernel free in between
"""

import inspect
from math import log10

import ipywidgets as widgets

from .picture import Picture

__all__ = ["Panel", "labelled", "slider", "int_slider", "log_slider", "selection_slider", "dropdown", "toggle"]


class Panel:
    """Controls above a picture, redrawn from the controls' values.

    draw:       draw(ax= or axes=, **values): the picture (or, with a background, its moving parts)
    controls:   {parameter name: ipywidgets control}; each name is a keyword of `draw`
    background: optional background(ax= or axes=, **some values): the parts that stay; it is
                called with the controls named in its own signature only
    grid:       (rows, columns) of axes; the functions get `ax` (one Axes) for (1, 1), else `axes`
                (a list, row by row)
    width, height: the figure's size in inches; subplot_kw e.g. {"projection": "3d"}
    buttons:    {name: widget} for the row of controls after the controls (e.g. a "train" button
                whose click changes some state and then calls panel.update()); reached later as
                panel.buttons[name]. A list of widgets is named by their descriptions.
    """

    def __init__(self, draw, controls, background=None, grid=(1, 1), width=6.4, height=4.0,
                 subplot_kw=None, buttons=(), **subplots_kw):
        self.draw = draw
        self.background = background
        self.controls = dict(controls)
        self.buttons = dict(buttons) if isinstance(buttons, dict) else {b.description: b for b in buttons}
        self.picture = Picture(grid, width, height, subplot_kw=subplot_kw, **subplots_kw)
        self.figure, self.axes, self.image = self.picture.figure, self.picture.axes, self.picture.image
        self._background_names = [name for name in inspect.signature(background).parameters
                                  if name not in self.picture.target] if background else []
        self._background_values = None
        self._background_artists = []
        self._background_limits = {}
        self._background_titles = {}
        self._moving_titles = []
        self._moving_artists = []
        self._moving_frames = []
        self.widget = widgets.VBox([
            widgets.HBox([*self.controls.values(), *self.buttons.values()],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.image,
        ])
        self.widget.add_class("lecture-panel")  # how the browser tests find panels and their pictures
        self.image.add_class("lecture-panel-image")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def values(self):
        """The controls' current values, by parameter name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self):
        """Redraw the picture from the controls' current values and show it."""
        values = self.values()
        if self.background is None:
            self.picture.clear()
            self.draw(**self.picture.target, **values)
            self.picture.render()
        else:
            background_values = {name: values[name] for name in self._background_names}
            if background_values != self._background_values:
                self._redraw_background(background_values, values)
            else:
                self._draw_moving_parts(values)
                if self._frames_moved_by_draw() == self._moving_frames and not self._kept_titles_changed():
                    self._blit_moving_parts()
                else:  # draw set limits or a title the kept pixels do not show
                    self._redraw_background(background_values, values)
        self.picture.show()

    # --- with a background: keep its pixels, draw the moving parts on top ----------

    def _redraw_background(self, background_values, values):
        self._remove(self._moving_artists + self._background_artists)
        self._moving_artists = []
        for ax in self.figure.axes:
            ax.title.set_text("")  # the background's own titles, or none
        self._background_artists = self._new_artists(
            lambda: self.background(**self.picture.target, **background_values))
        self._background_limits = self._limits()
        self._background_titles = {ax: ax.title.get_text() for ax in self.figure.axes}
        self._draw_moving_parts(values)
        self._moving_frames = self._frames_moved_by_draw()
        self._moving_titles = [ax for ax, text in self._background_titles.items() if ax.title.get_text() != text]
        if not self.picture.laid_out:
            self.picture.render()  # once, with everything, to let the layout place axes and titles
        titles = [(ax.title, ax.title.get_text()) for ax in self._moving_titles]
        hidden = self._moving_artists + self._frame_artists()
        for artist in hidden:
            artist.set_visible(False)
        for title, _ in titles:
            title.set_text("")  # the titles draw sets are drawn with the moving parts
        self.picture.render()
        self.picture.keep_pixels()
        self._background_values = background_values
        for artist in hidden:
            artist.set_visible(True)
        for title, text in titles:
            title.set_text(text)
        self._blit_moving_parts()

    def _blit_moving_parts(self):
        """The kept background's pixels, with the moving artists and the titles draw sets drawn on top."""
        self.picture.restore_pixels()
        self.picture.draw_artists(self._moving_artists + self._frame_artists())
        for ax in self._moving_titles:
            self.picture.draw_artists([ax.title])

    def _draw_moving_parts(self, values):
        """Replace the moving artists by those `draw` makes now."""
        self._remove(self._moving_artists)
        self._moving_artists = self._new_artists(lambda: self.draw(**self.picture.target, **values))

    def _new_artists(self, drawing):
        """The artists `drawing()` adds: to the axes there were, and new axes (e.g. a colorbar's)."""
        before = {ax: set(ax.get_children()) for ax in self.figure.axes}
        drawing()
        new_axes = [ax for ax in self.figure.axes if ax not in before]
        return [artist for ax, children in before.items() for artist in ax.get_children()
                if artist not in children] + new_axes

    @staticmethod
    def _remove(artists):
        for artist in artists:
            artist.remove()

    def _kept_titles_changed(self):
        """Whether `draw` changed a title the kept pixels show (one only the background had set)."""
        return any(ax.title.get_text() != text for ax, text in self._background_titles.items()
                   if ax not in self._moving_titles)

    def _limits(self):
        """The x and y limits of each 2-D axes that shows its frame (3-D axes draw their own)."""
        return {(ax, axis): getattr(ax, f"get_{axis}lim")() for ax in self.figure.axes
                if ax.name != "3d" and ax.axison for axis in "xy"}

    def _frames_moved_by_draw(self):
        """The (axes, "x" or "y") whose limits `draw` set, away from the background's, on an axis with
        ticks (an axis without ticks looks the same whatever its limits)."""
        return [(ax, axis) for (ax, axis), limits in self._limits().items()
                if limits != self._background_limits.get((ax, axis))
                and len(getattr(ax, f"{axis}axis").get_majorticklocs())]

    def _frame_artists(self):
        """What moves with limits set by `draw`: that axis (ticks, labels, grid lines) and its axes' spines."""
        moved = [getattr(ax, f"{axis}axis") for ax, axis in self._moving_frames]
        spines = [spine for ax in dict.fromkeys(ax for ax, _ in self._moving_frames) for spine in ax.spines.values()]
        return moved + spines

    def _on_change(self, change):
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# --- controls, labelled in the lecture's notation ---------------------------------------------

CONTROL_WIDTH = "320px"


def labelled(control, description, width=CONTROL_WIDTH, **options):
    """An ipywidgets control of class `control`, labelled `description` ("k", "w₁", "η", ...) in
    the panels' style: the label as wide as it needs, the control `width` wide (None: its own)."""
    layout = {} if width is None else {"layout": widgets.Layout(width=width)}
    return control(description=description, style={"description_width": "initial"}, **layout, **options)


def slider(description, low, high, value, step=None, continuous=True, readout_format=".2f"):
    """A FloatSlider from low to high (in 200 steps unless `step` is given)."""
    return labelled(widgets.FloatSlider, description, value=value, min=low, max=high,
                    step=step if step is not None else (high - low) / 200, continuous_update=continuous,
                    readout_format=readout_format)


def int_slider(description, low, high, value, step=1, continuous=True):
    """An IntSlider from low to high."""
    return labelled(widgets.IntSlider, description, value=value, min=low, max=high, step=step,
                    continuous_update=continuous)


def log_slider(description, low, high, value, step=0.1, readout_format=".0e"):
    """A slider over powers of ten, from low to high (both > 0), `step` powers of ten at a time: for steps such as h."""
    return labelled(widgets.FloatLogSlider, description, value=value, base=10, min=log10(low), max=log10(high),
                    step=step, readout_format=readout_format)


def selection_slider(description, options, value):
    """A slider over a list of values, e.g. batch sizes 1, 2, 5, 10, ..."""
    return labelled(widgets.SelectionSlider, description, options=list(options), value=value)


def dropdown(description, options, value=None):
    """A Dropdown; options is a list of values or of (label, value) pairs (the first one by default)."""
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return labelled(widgets.Dropdown, description, width=None, options=options,
                    value=value if value is not None else first)


def toggle(description, value=False):
    """A Checkbox for an on/off switch, its label right of the box."""
    return labelled(widgets.Checkbox, description, width=None, value=value, indent=False)
