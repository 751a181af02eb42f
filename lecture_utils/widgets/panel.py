"""Panel: controls that redraw one picture by calling pure plot functions.

    panel = Panel(lambda ax, k, m: plots.line_fit(x, y, k, m, ax=ax),
                  {"k": slider("k", 0.0, 0.5, 0.2), "m": slider("m", -200, 300, 0)})
    panel                       # as the last line of a cell: shows controls and picture

On every change of a control the panel clears its axes, calls the plot function
with them and all controls' current values, and sends the new PNG to the
browser. The panel computes nothing itself, so any picture it shows can be drawn
(and tested) by calling the plot functions directly.

Faster panels split the picture in two: a `background` that depends on few
controls (or none) and `draw`, the parts that move. The background is rendered
once and kept as pixels; a change that leaves the background's own controls alone
draws only the new parts on top of it (matplotlib's blitting). The background is
redrawn when one of the controls it takes as parameters changes. Titles belong
to the moving parts: the background leaves them to `draw`.
"""

import inspect
import io
from math import log10

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from ..plots.style import PNG_DPI, Figure


class Panel:
    """Controls above a picture, redrawn from the controls' values.

    draw:       draw(axes, **values): the picture (or, with a background, its moving parts)
    controls:   {parameter name: ipywidgets control}; each name is a keyword of `draw`
    background: optional background(axes, **some values): the parts that stay; it is
                called with the controls named in its own signature only
    grid:       (rows, columns) of axes; the functions get one Axes for (1, 1), else a list
    width, height: the figure's size in inches; subplot_kw e.g. {"projection": "3d"}
    buttons:    more widgets for the row of controls (e.g. a "train" button whose click
                changes some state and then calls panel.update())
    """

    def __init__(self, draw, controls, background=None, grid=(1, 1), width=6.4, height=4.0,
                 subplot_kw=None, buttons=(), **subplots_kw):
        self.draw = draw
        self.background = background
        self.controls = dict(controls)
        self.figure = Figure(figsize=(width, height), dpi=PNG_DPI, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(*grid, squeeze=False, subplot_kw=subplot_kw, **subplots_kw).ravel()
        self.axes = axes[0] if len(axes) == 1 else list(axes)
        self._background_names = list(inspect.signature(background).parameters)[1:] if background else []
        self._background_values = None
        self._background_pixels = None
        self._moving_artists = []
        self._laid_out = False
        self.image = widgets.Image(format="png")
        self.widget = widgets.VBox([
            widgets.HBox([*self.controls.values(), *buttons], layout=widgets.Layout(flex_flow="row wrap")),
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
            self._redraw_all(values)
        else:
            background_values = {name: values[name] for name in self._background_names}
            if background_values != self._background_values:
                self._redraw_background(background_values)
            else:
                self._redraw_moving_parts(values)
        self.image.value = self._png()

    # --- without a background: clear and draw everything --------------------------

    def _redraw_all(self, values):
        self._clear_axes()
        self.draw(self.axes, **values)
        self.canvas.draw()
        self._keep_layout()

    def _keep_layout(self):
        """From now on keep the axes where the first drawing's layout put them."""
        if not self._laid_out:
            self.figure.set_layout_engine("none")
            self._laid_out = True

    # --- with a background: keep its pixels, draw the moving parts on top ----------

    def _redraw_background(self, background_values):
        self._clear_axes()
        self._moving_artists = []
        self.background(self.axes, **background_values)
        self._draw_moving_parts(self.values())
        if not self._laid_out:
            self.canvas.draw()  # once, with everything, to let the layout place axes and titles
            self._keep_layout()
        titles = [(ax.title, ax.title.get_text()) for ax in self.figure.axes]
        for artist in self._moving_artists:
            artist.set_visible(False)
        for title, _ in titles:
            title.set_text("")  # titles belong to the moving parts
        self.canvas.draw()
        self._background_pixels = self.canvas.copy_from_bbox(self.figure.bbox)
        self._background_values = background_values
        for artist in self._moving_artists:
            artist.set_visible(True)
        for title, text in titles:
            title.set_text(text)
        self._blit_moving_parts()

    def _redraw_moving_parts(self, values):
        self._draw_moving_parts(values)
        self._blit_moving_parts()

    def _blit_moving_parts(self):
        """The kept background's pixels, with the moving artists and the titles drawn on top."""
        self.canvas.restore_region(self._background_pixels)
        renderer = self.canvas.get_renderer()
        for artist in sorted(self._moving_artists, key=lambda a: a.get_zorder()):
            if hasattr(artist, "do_3d_projection"):  # a 3-D artist projects itself for the kept view
                artist.do_3d_projection()
            artist.draw(renderer)
        for ax in self.figure.axes:
            ax.title.draw(renderer)

    def _draw_moving_parts(self, values):
        """Replace the moving artists by those `draw` makes now."""
        for artist in self._moving_artists:
            artist.remove()
        before = {ax: set(ax.get_children()) for ax in self.figure.axes}
        self.draw(self.axes, **values)
        self._moving_artists = [artist for ax in self.figure.axes for artist in ax.get_children()
                                if artist not in before.get(ax, ())]

    def _clear_axes(self):
        own = _as_list(self.axes)
        for ax in self.figure.axes[:]:
            if ax not in own:
                ax.remove()  # e.g. a colorbar the last drawing added: before its image is cleared
        for ax in own:
            ax.cla()

    def _png(self):
        return canvas_png(self.canvas)

    def _on_change(self, change):
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def canvas_png(canvas):
    """The pixels a canvas last drew, as PNG bytes (opaque RGB, light compression: fast)."""
    buffer = io.BytesIO()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    rgba.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _as_list(axes):
    return axes if isinstance(axes, list) else [axes]


def slider(description, low, high, value, step=None, continuous=True, readout_format=".2f"):
    """A FloatSlider labelled in the lecture's notation ("k", "w₁", "η", ...)."""
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step if step is not None else (high - low) / 200,
        description=description, continuous_update=continuous, readout_format=readout_format,
        style={"description_width": "initial"}, layout=widgets.Layout(width="320px"),
    )


def int_slider(description, low, high, value, step=1, continuous=True):
    """An IntSlider labelled in the lecture's notation."""
    return widgets.IntSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=continuous, style={"description_width": "initial"},
        layout=widgets.Layout(width="320px"),
    )


def log_slider(description, low, high, value, readout_format=".0e"):
    """A slider over powers of ten, from low to high (both > 0): for steps such as h."""
    return widgets.FloatLogSlider(
        value=value, base=10, min=log10(low), max=log10(high), step=0.1, description=description,
        readout_format=readout_format, style={"description_width": "initial"},
        layout=widgets.Layout(width="320px"),
    )


def selection_slider(description, options, value):
    """A slider over a list of values, e.g. batch sizes 1, 2, 5, 10, ..."""
    return widgets.SelectionSlider(
        options=list(options), value=value, description=description, style={"description_width": "initial"},
        layout=widgets.Layout(width="320px"),
    )


def dropdown(description, options, value=None):
    """A Dropdown; options is a list of values or of (label, value) pairs."""
    return widgets.Dropdown(options=options, value=value if value is not None else _first(options),
                            description=description, style={"description_width": "initial"})


def toggle(description, value=False):
    """A Checkbox for an on/off switch."""
    return widgets.Checkbox(value=value, description=description, indent=False)


def _first(options):
    first = options[0]
    return first[1] if isinstance(first, tuple) else first
