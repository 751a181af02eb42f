"""Pictures for notebook 01: a line ŷ = xk + m through the apartments, and its error.

Every function takes data and parameters, draws on `ax` (or `axes`) if given or on
a new figure otherwise, and returns the figure.
"""

import numpy as np

from . import style

__all__ = [
    "least_squares_line", "mse_of_line", "mse_grid", "line_fit", "apartments_scatter", "line_with_residuals",
    "some_fits", "mse_landscape", "mse_contours", "landscape_point", "with_outlier", "error_bars",
    "vertical_line_attempts",
]


def least_squares_line(x, y):
    """The (k, m) minimising the mean squared error of ŷ = xk + m; x, y: [N×1] or [N]."""
    x, y = np.ravel(x), np.ravel(y)
    X = np.column_stack([x, np.ones_like(x)])
    (k, m), *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(k), float(m)


def mse_of_line(x, y, k, m):
    """Mean squared error 𝓛 = mean((y - (xk + m))²) of one line."""
    return float(np.mean((np.ravel(y) - (np.ravel(x) * k + m)) ** 2))


def mse_grid(x, y, ks, ms):
    """𝓛(k, m) for every pair on a grid: ks [K], ms [M] -> [M×K] (rows follow m).

    Uses that 𝓛 is a quadratic in (k, m) whose coefficients are sums over the data,
    so the grid costs nothing per data point.
    """
    x, y = np.ravel(x), np.ravel(y)
    K, M = np.meshgrid(ks, ms)
    Sxx, Sx, Sy, Sxy, Syy = (x * x).mean(), x.mean(), y.mean(), (x * y).mean(), (y * y).mean()
    return Syy + K**2 * Sxx + M**2 - 2 * K * Sxy - 2 * M * Sy + 2 * K * M * Sx


def line_fit(x, y, k, m, residuals=True, ax=None, title=None):
    """The data, the line ŷ = xk + m, the residuals y - ŷ as vertical segments, ℒ in the title."""
    ax = style.target_axes(ax)
    apartments_scatter(x, y, ax=ax)
    line_with_residuals(x, y, k, m, residuals=residuals, ax=ax, title=title)
    return ax.figure


def apartments_scatter(x, y, ax=None):
    """The apartments as points, price against square feet (the part of line_fit that stays)."""
    ax = style.target_axes(ax)
    x, y = np.ravel(x), np.ravel(y)
    ax.scatter(x, y, s=12, color=style.DATA, alpha=0.8, label="apartments", zorder=3)
    x_pad, y_pad = 0.05 * np.ptp(x), 0.1 * np.ptp(y)
    ax.set_xlim(x.min() - x_pad, x.max() + x_pad)
    ax.set_ylim(min(0, y.min() - y_pad), y.max() + y_pad)
    style.style_axes(ax, None, style.X_SQFT, style.Y_PRICE)
    return ax.figure


def line_with_residuals(x, y, k, m, residuals=True, ax=None, title=None):
    """The line ŷ = xk + m and the residuals y - ŷ (the part of line_fit that moves)."""
    ax = style.target_axes(ax)
    x, y = np.ravel(x), np.ravel(y)
    if residuals:
        ax.vlines(x, y, x * k + m, color=style.RESIDUAL, linewidth=0.8, alpha=0.7, label="residual y − ŷ")
    x_ends = np.array(ax.get_xlim())
    label = f"ŷ = {k:.3f}·x {m:+.1f}".replace("-", "−")
    ax.plot(x_ends, x_ends * k + m, color=style.MODEL, linewidth=2.5, label=label, zorder=4)
    ax.set_title(title or f"{style.LOSS} = MSE = {mse_of_line(x, y, k, m):,.0f}")
    ax.legend(loc="upper left", fontsize=8)
    return ax.figure


def some_fits(x, y, lines, axes=None):
    """Several candidate lines side by side, each with its ℒ: lines is [(label, k, m), ...]."""
    fig, axes = style.target_axes_grid(axes, 1, len(lines), 3.2 * len(lines), 3.4, sharey=True)
    best = min(mse_of_line(x, y, k, m) for _, k, m in lines)
    for i, (ax, (label, k, m)) in enumerate(zip(axes, lines)):
        loss = mse_of_line(x, y, k, m)
        lowest = "  (lowest)" if loss == best else ""
        line_fit(x, y, k, m, ax=ax, title=f"{label}\n{style.LOSS} = {loss:,.0f}{lowest}")
        ax.get_legend().remove()
        if i > 0:
            ax.set_ylabel("")
    return fig


def mse_landscape(x, y, k, m, k_range, m_range, ax=None):
    """Contours of ℒ(k, m) over a grid, the current (k, m) and the least-squares optimum."""
    ax = style.target_axes(ax)
    mse_contours(x, y, k_range, m_range, ax=ax)
    landscape_point(x, y, k, m, ax=ax)
    return ax.figure


def mse_contours(x, y, k_range, m_range, ax=None):
    """The contours of ℒ(k, m) and the least-squares optimum (the part that stays)."""
    ax = style.target_axes(ax)
    ks = np.linspace(*k_range, 120)
    ms = np.linspace(*m_range, 120)
    L = mse_grid(x, y, ks, ms)
    levels = np.geomspace(max(L.min(), 1e-9), L.max(), 14)
    contours = ax.contour(ks, ms, L, levels=levels, cmap=style.SEQUENTIAL_CMAP, linewidths=1)
    ax.clabel(contours, contours.levels[::3], fmt=lambda v: f"{v:,.0f}", fontsize=7)
    k_best, m_best = least_squares_line(x, y)
    ax.plot(k_best, m_best, marker="*", markersize=14, color=style.OPTIMUM, linestyle="none",
            label=f"least squares: k = {k_best:.3g}, m = {m_best:.3g}")
    ax.set_xlim(*k_range)
    ax.set_ylim(*m_range)
    style.style_axes(ax, None, "k (slope)", "m (intercept)")
    return ax.figure


def landscape_point(x, y, k, m, ax=None):
    """The current line (k, m) as a point on the ℒ(k, m) contours (the part that moves)."""
    ax = style.target_axes(ax)
    ax.plot(k, m, marker="o", markersize=9, color=style.MODEL, markeredgecolor="white", linestyle="none",
            label=f"your line: {style.LOSS} = {mse_of_line(x, y, k, m):,.0f}")
    ax.set_title(f"{style.LOSS}(k, m): the mean squared error of every line")
    ax.legend(loc="upper right", fontsize=8)
    return ax.figure


def with_outlier(x, y, outlier):
    """The data with one more apartment (x₀, y₀) appended as the last row."""
    x0, y0 = outlier
    return np.append(np.ravel(x), x0), np.append(np.ravel(y), y0)


def error_bars(x, y, k, m, outlier=None, axes=None):
    """Each apartment's |y - ŷ| next to its (y - ŷ)², in order of x.

    outlier: an extra apartment (x₀, y₀) to add, drawn in another colour; each
    title then gives its share of the total error.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, 10, 3.6)
    x, y = np.ravel(x), np.ravel(y)
    if outlier is not None:
        x, y = with_outlier(x, y, outlier)
    order = np.argsort(x, kind="stable")
    err = (y - (x * k + m))[order]
    position = int(np.flatnonzero(order == len(x) - 1)[0]) if outlier is not None else None
    for ax, values, name in [(axes[0], np.abs(err), "absolute error |y − ŷ|"),
                             (axes[1], err**2, "squared error (y − ŷ)²")]:
        title = f"{name}\nmean = {values.mean():,.1f}"
        edges = np.arange(len(values) + 1)
        ax.fill_between(edges, np.append(values, values[-1]), step="post", color=style.DATA, linewidth=0)
        if position is not None:  # the outlier's bar, in another colour and drawn wider
            title += f"; the outlier's share of the total: {values[position] / values.sum():.0%}"
            ax.fill_between([position - 1, position + 2], [values[position]] * 2, color=style.MODEL, linewidth=0)
        ax.set_xlim(0, len(values))
        ax.set_ylim(0, values.max() * 1.05)
        if position is not None:
            ax.annotate("outlier", (position, values[position]), textcoords="offset points", xytext=(-40, -4),
                        ha="right", color=style.MODEL, arrowprops={"arrowstyle": "->", "color": style.MODEL})
        style.style_axes(ax, title, "apartments, by square feet", name)
        ax.set_xticks([])
    return fig


def vertical_line_attempts(x, y, x0, ks, ax=None):
    """Lines through one point (x0, ȳ) with steeper and steeper slopes k: never vertical."""
    ax = style.target_axes(ax)
    x, y = np.ravel(x), np.ravel(y)
    y0 = y.mean()
    ax.scatter(x, y, s=10, color=style.DATA, alpha=0.4, label="apartments")
    grid = np.linspace(x.min(), x.max(), 200)
    for k, linestyle in zip(ks, ["-", "--", "-.", ":"] * len(ks)):
        ax.plot(grid, y0 + k * (grid - x0), color=style.MODEL, linestyle=linestyle, label=f"k = {k:g}")
    ax.axvline(x0, color=style.INK, linewidth=2, label=f"x = {x0:g}: not of the form xk + m")
    ax.set_ylim(y.min() - 50, y.max() + 50)
    style.style_axes(ax, "Steeper and steeper lines never become the vertical one", style.X_SQFT, style.Y_PRICE)
    ax.legend(fontsize=8, loc="upper left")
    return ax.figure
