"""A picture that your own training loop redraws while it runs (notebook 09).

    live = widgets.LivePlot(plots.fit_progress, grid=(1, 2))
    live                                            # as the last line of a cell: shows it
    for step in range(1, steps + 1):
        ...                                         # forward, loss, backward, update
        if step % 25 == 0:
            live.show(y=y_test, y_hat=..., train_losses=losses, test_losses=..., step=step)

`show` draws the picture anew with the plot function and the values given, and sends it
to the page with the text alternative the plot function stated (`plots.style.described`).
The loop stays in the notebook; the picture is drawn by a pure plot function through the
engine the panels share (`widgets.engine`: here one moving layer that draws its frames
too), so it works the same without a browser (under nbval, or in a test).
"""

from ..plots.style import PAGE_WIDTH, page_width
from .engine import Layers, Picture

__all__ = ["LivePlot"]


class LivePlot:
    """A picture redrawn on request by a plot function.

    draw:   a plot function from `lecture_utils.plots`; it gets its axes as plots take them,
            `ax=` for a (1, 1) grid and `axes=` (a list) for more, and returns its figure, described
    grid:   (rows, columns) of axes; width, height: the figure's size in inches (at most the page's width)
    frames: how many pictures have been shown
    """

    def __init__(self, draw, grid=(1, 1), width=PAGE_WIDTH, height=3.6):
        self.draw = draw
        self.picture = Picture(page_width(width), height)
        self.layers = Layers(self.picture, grid, frames=True)
        self.figure, self.view = self.picture.figure, self.picture.view

    @property
    def frames(self):
        return self.picture.frames

    def show(self, **values):
        """Redraw the picture with draw(**values) and show it."""
        self.picture.show(self.layers.draw(lambda **axes: self.draw(**axes, **values).text_alternative))

    def _repr_mimebundle_(self, **kwargs):
        return self.picture._repr_mimebundle_(**kwargs)
