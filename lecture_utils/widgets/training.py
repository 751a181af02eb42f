"""A picture that your own training loop redraws while it runs (notebook 09).

    live = widgets.LivePlot(plots.fit_progress, grid=(1, 2))
    live                                            # as the last line of a cell: shows it
    for step in range(1, steps + 1):
        ...                                         # forward, loss, backward, update
        if step % 25 == 0:
            live.show(y=y_test, y_hat=..., train_losses=losses, step=step)

`show` clears the picture, calls the plot function with the values given, and
sends the new PNG to the ipywidgets Image on the page. The loop stays in the
notebook; the picture is drawn by a pure plot function, so it works the same
without a browser (under nbval, or in a test).
"""

import ipywidgets
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..plots import style
from .panel import canvas_png

__all__ = ["LivePlot"]


class LivePlot:
    """A picture redrawn on request by a plot function.

    draw:   a plot function from `lecture_utils.plots` taking `axes=` (a list, for a grid
            of several axes) or `ax=` (for one)
    grid:   (rows, columns) of axes; width, height: the figure's size in inches
    """

    def __init__(self, draw, grid=(1, 1), width=10, height=3.8):
        self.draw = draw
        self.figure = style.Figure(figsize=(width, height), dpi=style.PNG_DPI, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(*grid, squeeze=False).ravel()
        self.axes = list(axes)
        self.image = ipywidgets.Image(format="png")
        self.frames = 0  # how many pictures have been shown

    def show(self, **values):
        """Redraw the picture with draw(**values) and show it."""
        for ax in self.figure.axes[:]:
            if ax not in self.axes:
                ax.remove()  # e.g. a colorbar the last picture added (before its image is cleared)
        for ax in self.axes:
            ax.cla()
        if len(self.axes) == 1:
            self.draw(ax=self.axes[0], **values)
        else:
            self.draw(axes=self.axes, **values)
        self.canvas.draw()
        self.image.value = canvas_png(self.canvas)
        if self.frames == 0:
            self.figure.set_layout_engine("none")  # keep the first frame's layout: later frames are faster
        self.frames += 1

    def _repr_mimebundle_(self, **kwargs):
        return self.image._repr_mimebundle_(**kwargs)
