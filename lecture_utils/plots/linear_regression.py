"""Pictures for notebook 01: a line ŷ = xk + m through the apartments, and its error.

Every function takes data and what was computed from them (a `lessons.linear_regression.Line`, a
`lessons.descent.Landscape`, `lessons.linear_regression.LineErrors`), draws on `ax` (or `axes`) if given or on
a new figure otherwise, and returns the figure.
"""

import numpy as np
from matplotlib.lines import Line2D

from . import style

__all__ = [
    "line_fit", "apartments_scatter", "line_with_residuals", "some_fits", "describe_line",
    "mse_landscape", "mse_contours", "landscape_frame", "landscape_point",
    "error_bars", "describe_errors", "vertical_line_attempts",
]

ERRORS = ("absolute error |y − ŷ|", "squared error (y − ŷ)²")  # the two pictures of error_bars
# How each part looks, so that a key drawn with the part that stays matches what moves.
APARTMENTS = {"color": style.DATA, "edgecolors": "white", "linewidths": 0.3}  # apart where they crowd
RESIDUALS = {"color": style.RESIDUAL, "linewidth": 0.8}
FITTED_LINE = {"color": style.MODEL, "linewidth": 2.5}
YOUR_LINE = {"marker": "o", "markersize": 9, "color": style.MODEL, "markeredgecolor": "white", "linestyle": "none"}


def line_fit(x, y, line, residuals=True, ax=None, title=None):
    """The data, the line ŷ = xk + m, the residuals y - ŷ as vertical segments, ℒ in the title.

    x, y: [N×1] (or [N]); line: a lessons.linear_regression.Line on these data.
    """
    ax = style.target_axes(ax)
    apartments_scatter(x, y, ax=ax, residuals=residuals)
    line_with_residuals(x, y, line, residuals=residuals, ax=ax, title=title)
    return ax.figure


def apartments_scatter(x, y, ax=None, residuals=True):
    """The apartments as points, price against square feet, and the key to the line and its residuals
    (the part of line_fit that stays)."""
    ax = style.target_axes(ax)
    x, y = np.ravel(x), np.ravel(y)
    points = ax.scatter(x, y, s=12, label="apartments", zorder=3, **APARTMENTS)
    x_pad, y_pad = 0.05 * np.ptp(x), 0.1 * np.ptp(y)
    ax.set_xlim(x.min() - x_pad, x.max() + x_pad)
    ax.set_ylim(min(0, y.min() - y_pad), y.max() + y_pad)
    style.style_axes(ax, None, style.X_SQFT, style.Y_PRICE)
    keys = [points] + ([Line2D([], [], label="residual y − ŷ", **RESIDUALS)] if residuals else [])
    style.key_below(ax, keys + [Line2D([], [], label="ŷ = xk + m", **FITTED_LINE)], ncols=3)
    return style.described(ax.figure, f"{len(x)} apartments: price against square feet")


def line_with_residuals(x, y, line, residuals=True, ax=None, title=None):
    """The line ŷ = xk + m across the axes and the residuals y - ŷ, its equation and ℒ in the title
    (the part of line_fit that moves)."""
    ax = style.target_axes(ax)
    x, y = np.ravel(x), np.ravel(y)
    if residuals:
        ax.vlines(x, y, line.y_hat, **RESIDUALS)
    x_ends = np.array(ax.get_xlim())
    ax.plot(x_ends, x_ends * line.k + line.m, zorder=4, **FITTED_LINE)
    ax.set_title(title or f"{_equation(line)}:  {style.LOSS} = MSE = {style.number(line.loss, ',.0f')}")
    return style.described(ax.figure, describe_line(line))


def _equation(line):
    return f"ŷ = {style.number(line.k, '.3f')}·x {style.term(line.m, '.1f')}"


def describe_line(line):
    """A line through the apartments in words: "ℒ = 2,015 for k = 0.25, m = 20 (ŷ = 0.250·x + 20.0)"."""
    return (f"{style.LOSS} = {style.number(line.loss, ',.0f')} for k = {style.number(line.k, '.3g')}, "
            f"m = {style.number(line.m, '.3g')} ({_equation(line)})")


def some_fits(x, y, lines, axes=None):
    """Several candidate lines side by side, each with its ℒ.

    lines: [(label, lessons.linear_regression.Line), ...].
    """
    fig, axes = style.target_axes_grid(axes, 1, len(lines), style.page_width(3.2 * len(lines)), 3.4, sharey=True)
    best = min(line.loss for _, line in lines)
    for i, (ax, (label, line)) in enumerate(zip(axes, lines)):
        lowest = "  (lowest)" if line.loss == best else ""
        line_fit(x, y, line, ax=ax, title=f"{label}\n{style.LOSS} = {style.number(line.loss, ',.0f')}{lowest}")
        ax.get_legend().remove()
        if i > 0:
            ax.set_ylabel("")
    return style.described(fig, "; ".join(f"{label}: {describe_line(line)}" for label, line in lines))


def mse_landscape(landscape, line, ax=None):
    """Contours of ℒ(k, m) over a grid, the current line (k, m) and the least-squares optimum."""
    ax = style.target_axes(ax)
    landscape_frame(landscape, ax=ax)
    landscape_point(line, ax=ax)
    return ax.figure


def mse_contours(landscape, ax=None):
    """The contours of ℒ(k, m) and the least-squares optimum (the part that stays).

    landscape: a descent.Landscape (ℒ on a grid of k and m, and the least-squares (k*, m*)).
    """
    ax = style.target_axes(ax)
    ks, ms, L, (k_best, m_best) = landscape
    levels = np.geomspace(max(L.min(), 1e-9), L.max(), 14)
    contours = ax.contour(ks, ms, L, levels=levels, cmap=style.CONTOUR_CMAP, linewidths=1)
    ax.clabel(contours, contours.levels[::3], fmt=lambda v: style.number(v, ",.0f"), fontsize=8, colors=style.INK)
    ax.plot(k_best, m_best, marker="*", markersize=14, color=style.OPTIMUM, markeredgecolor=style.INK,
            markeredgewidth=0.6, linestyle="none",
            label=f"least squares: k = {style.number(k_best, '.3g')}, m = {style.number(m_best, '.3g')}")
    ax.set_xlim(ks[0], ks[-1])
    ax.set_ylim(ms[0], ms[-1])
    style.style_axes(ax, None, "k (slope)", "m (intercept)")
    return style.described(ax.figure, f"contours of {style.LOSS}(k, m); its least-squares minimum at k = "
                                      f"{style.number(k_best, '.3g')}, m = {style.number(m_best, '.3g')}")


def landscape_frame(landscape, ax=None):
    """The contours of ℒ(k, m), the optimum and the key to both points (the part of mse_landscape that stays)."""
    ax = style.target_axes(ax)
    mse_contours(landscape, ax=ax)
    style.key_below(ax, ax.get_lines() + [Line2D([], [], label="your line (k, m)", **YOUR_LINE)])
    return ax.figure


def landscape_point(line, ax=None):
    """The current line (k, m) as a point on the ℒ(k, m) contours, its ℒ in the title (the part that moves)."""
    ax = style.target_axes(ax)
    ax.plot(line.k, line.m, **YOUR_LINE)
    ax.set_title(f"{style.LOSS}(k, m) of every line; yours: {style.LOSS} = {style.number(line.loss, ',.0f')}")
    return style.described(ax.figure, describe_line(line))


def error_bars(errors, axes=None):
    """Each apartment's |y - ŷ| next to its (y - ŷ)², in order of x.

    errors: a lessons.linear_regression.LineErrors. An outlier among them is drawn in another colour,
    and each title then gives its share of the total error.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.4)
    position = errors.outlier
    shares = errors.outlier_shares or (None, None)
    for ax, values, mean, share, name in zip(axes, (errors.absolute, errors.squared), errors.means, shares, ERRORS):
        title = f"{name}\nmean = {style.number(mean, ',.1f')}"  # two lines: the layout is that of the first
        edges = np.arange(len(values) + 1)
        ax.fill_between(edges, np.append(values, values[-1]), step="post", color=style.DATA, linewidth=0)
        if position is not None:  # the outlier's bar, in another colour and drawn wider
            title += f" · the outlier: {style.number(share, '.0%')} of the total"
            ax.fill_between([position - 1, position + 2], [values[position]] * 2, color=style.MODEL, linewidth=0)
        ax.set_xlim(0, len(values))
        ax.set_ylim(0, values.max() * 1.05)
        if position is not None:
            ax.annotate("outlier", (position, values[position]), textcoords="offset points", xytext=(-40, -4),
                        ha="right", color=style.text_colour(style.MODEL),
                        arrowprops={"arrowstyle": "->", "color": style.MODEL})
        style.style_axes(ax, title, "apartments, by square feet", name)
        ax.set_xticks([])
    return style.described(fig, describe_errors(errors))


def describe_errors(errors):
    """Each apartment's error, in words: the two means, and the outlier's share of each total."""
    text = (f"each of {len(errors.absolute)} apartments' absolute error |y − ŷ| and squared error (y − ŷ)²: "
            f"means {style.number(errors.means[0], ',.1f')} and {style.number(errors.means[1], ',.1f')}")
    if errors.outlier is not None:
        absolute, squared = errors.outlier_shares
        text += (f"; the outlier's share of the total: {style.number(absolute, '.0%')} of the absolute error, "
                 f"{style.number(squared, '.0%')} of the squared error")
    return text


def vertical_line_attempts(x, y, point, ks, ax=None):
    """Lines through one point (x₀, y₀) with steeper and steeper slopes k: never vertical.

    point: (x₀, y₀), e.g. (1000, the mean price); ks: the slopes to draw.
    """
    ax = style.target_axes(ax)
    x, y = np.ravel(x), np.ravel(y)
    x0, y0 = point
    ax.scatter(x, y, s=10, color=style.DATA, edgecolors="white", linewidths=0.3, label="apartments")
    grid = np.linspace(x.min(), x.max(), 200)
    for k, linestyle in zip(ks, ["-", "--", "-.", ":"] * len(ks)):
        ax.plot(grid, y0 + k * (grid - x0), color=style.MODEL, linestyle=linestyle, label=f"k = {style.number(k, 'g')}")
    ax.axvline(x0, color=style.INK, linewidth=2, label=f"x = {style.number(x0, 'g')}: not of the form xk + m")
    ax.set_ylim(y.min() - 50, y.max() + 50)
    style.style_axes(ax, "Steeper and steeper lines never become the vertical one", style.X_SQFT, style.Y_PRICE)
    ax.legend(fontsize=8, loc="upper left")
    slopes = ", ".join(style.number(k, "g") for k in ks)
    return style.described(ax.figure, f"lines through ({style.number(x0, 'g')}, {style.number(y0, ',.0f')}) with "
                                      f"slopes k = {slopes}: steeper and steeper, never the vertical line "
                                      f"x = {style.number(x0, 'g')}")
