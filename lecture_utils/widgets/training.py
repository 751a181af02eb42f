"""A picture that your own training loop redraws while it runs (notebook 09).

    live = widgets.LivePlot(plots.fit_progress, grid=(1, 2))
    live                                            # as the last line of a cell: shows it
    for step in range(1, steps + 1):
        ...                                         # forward, loss, backward, update
        if step % 25 == 0:
            live.show(y=y_test, y_hat=..., train_losses=losses, test_losses=..., step=step)

`show` clears the picture, calls the plot function with the values given, and
sends the new PNG to the ipywidgets Image on the page. The loop stays in the
notebook; the picture is drawn by a pure plot function on a `picture.Picture` (the
machine the panels share), so it works the same without a browser (under nbval,
or in a test).
"""

from .picture import Picture

__all__ = ["LivePlot"]


class LivePlot:
    """A picture redrawn on request by a plot function.

    draw:   a plot function from `lecture_utils.plots`; it gets its axes as plots take them,
            `ax=` for a (1, 1) grid and `axes=` (a list) for more
    grid:   (rows, columns) of axes; width, height: the figure's size in inches
    """

    def __init__(self, draw, grid=(1, 1), width=10, height=3.8):
        self.draw = draw
        self.picture = Picture(grid, width, height)
        self.figure, self.axes, self.image = self.picture.figure, self.picture.axes, self.picture.image
        self.frames = 0  # how many pictures have been shown

    def show(self, **values):
        """Redraw the picture with draw(**values) and show it."""
        self.picture.clear()
        self.draw(**self.picture.target, **values)
        self.picture.render()
        self.picture.show()
        self.frames += 1

    def _repr_mimebundle_(self, **kwargs):
        return self.picture._repr_mimebundle_(**kwargs)
