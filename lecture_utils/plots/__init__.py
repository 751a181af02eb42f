"""Pure plotting functions: data and parameters in, a matplotlib Figure out.

No function reads a global or touches pyplot; each draws on the `ax`/`fig` it is
given (a widget panel's) or on a new figure, and returns the figure, which
Jupyter shows when it ends a cell.
"""

from . import style
from .line import (
    apartments_scatter, error_bars, landscape_point, least_squares_line, line_fit, line_with_residuals,
    mse_contours, mse_grid, mse_landscape, mse_of_line, some_fits, vertical_line_attempts, with_outlier,
)

__all__ = [
    "style",
    "apartments_scatter", "error_bars", "landscape_point", "least_squares_line", "line_fit",
    "line_with_residuals", "mse_contours", "mse_grid", "mse_landscape", "mse_of_line", "some_fits",
    "vertical_line_attempts", "with_outlier",
]
