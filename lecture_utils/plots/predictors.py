"""Pictures for notebook 02: more predictors. Two predictors and a plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b.

Every function takes data and what was computed from them (a `lessons.linear_regression.Plane`, the
losses of `lessons.linear_regression.losses_with_more_predictors`), draws on `ax` if given or on a new
figure otherwise, and returns the figure. The 3-D pictures use matplotlib's
`projection="3d"` axes; a panel redraws them completely on every change, so they
are kept light: few ticks, the plane as a coarse surface, all residuals in one
Line3DCollection.
"""

import numpy as np
from matplotlib.ticker import MaxNLocator
from mpl_toolkits.mplot3d.art3d import Line3DCollection

from . import style

__all__ = ["plane_equation", "plane_fit", "apartments_3d", "plane_with_residuals", "describe_plane",
           "loss_by_predictors"]

X1_SQFT = "x⁽¹⁾: square feet"
X2_AGE = "x⁽²⁾: age (years)"
PLANE_GRID = 9  # grid lines of the plane's surface in each direction


def plane_equation(w1, w2, b):
    """'ŷ = 0.245·x⁽¹⁾ − 1.12·x⁽²⁾ + 56.7' (true minus signs)."""
    return f"ŷ = {style.number(w1, '.3f')}·x⁽¹⁾ {style.term(w2, '.2f')}·x⁽²⁾ {style.term(b, '.1f')}"


def plane_fit(x1, x2, y, plane, elev=30.0, azim=-75.0, residuals=True, ax=None, title=None,
              labels=(X1_SQFT, X2_AGE)):
    """The apartments over two predictors, the plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b, the residual sticks and ℒ.

    x1, x2, y: [N×1] (or [N]); plane: a lessons.linear_regression.Plane on these data;
    elev, azim: the viewing angle in degrees.
    """
    ax = style.target_axes(ax, width=6.4, height=5.0, projection="3d")
    apartments_3d(x1, x2, y, elev=elev, azim=azim, ax=ax, labels=labels)
    plane_with_residuals(x1, x2, y, plane, residuals=residuals, ax=ax, title=title)
    return ax.figure


def apartments_3d(x1, x2, y, elev=30.0, azim=-75.0, ax=None, labels=(X1_SQFT, X2_AGE)):
    """The apartments as points (x⁽¹⁾, x⁽²⁾, y) on 3-D axes seen from (elev, azim)."""
    ax = style.target_axes(ax, width=6.4, height=5.0, projection="3d")
    x1, x2, y = np.ravel(x1), np.ravel(x2), np.ravel(y)
    ax.scatter(x1, x2, y, s=9, color=style.DATA, alpha=0.9, depthshade=False, label="apartments")
    ax.set_xlim(*_padded(x1, 0.03))
    ax.set_ylim(*_padded(x2, 0.03))
    low, high = _padded(y, 0.1)
    ax.set_zlim(min(0.0, low), high)
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_major_locator(MaxNLocator(4))  # few ticks: ticks are most of a 3-D redraw
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_zlabel(style.Y_PRICE)
    ax.view_init(elev=elev, azim=azim)
    return ax.figure


def plane_with_residuals(x1, x2, y, plane, residuals=True, ax=None, title=None):
    """The plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b over the axes' current x⁽¹⁾, x⁽²⁾ limits, and the residuals y − ŷ.

    plane: a lessons.linear_regression.Plane on these data. The residuals are vertical sticks from each
    apartment to the plane, all in one Line3DCollection; the title gives the plane and its
    mean squared error ℒ. Parts outside the axes' box are clipped.
    """
    ax = style.target_axes(ax, width=6.4, height=5.0, projection="3d")
    x1, x2, y = np.ravel(x1), np.ravel(x2), np.ravel(y)
    w1, w2, b, y_hat, loss = plane
    G1, G2 = np.meshgrid(np.linspace(*ax.get_xlim(), PLANE_GRID), np.linspace(*ax.get_ylim(), PLANE_GRID))
    ax.plot_surface(G1, G2, G1 * w1 + G2 * w2 + b, color=style.MODEL, alpha=0.3, shade=False,
                    edgecolor=style.MODEL, linewidth=0.3, axlim_clip=True)
    if residuals:
        sticks = np.stack([np.column_stack([x1, x2, y]), np.column_stack([x1, x2, y_hat])], axis=1)  # [N×2×3]
        ax.add_collection3d(Line3DCollection(sticks, colors=style.RESIDUAL, linewidths=0.8,
                                             axlim_clip=True, label="residual y − ŷ"), autolim=False)
    ax.set_title(title or f"{plane_equation(w1, w2, b)}\n{style.LOSS} = MSE = {style.number(loss, ',.0f')}",
                 fontsize=10)
    return style.described(ax.figure, describe_plane(plane))


def describe_plane(plane):
    """The plane through the apartments in words: its equation and its ℒ."""
    return (f"the plane {plane_equation(plane.w1, plane.w2, plane.b)} through {len(plane.y_hat)} apartments in 3-D, "
            f"with each one's residual: {style.LOSS} = MSE = {style.number(plane.loss, ',.0f')}")


def loss_by_predictors(losses, reference=None, ax=None):
    """ℒ of the best (least-squares) fit with the first 1, 2, …, D predictors, as horizontal bars.

    losses: {name: ℒ with the predictors up to that one}, in the order they are added
    (as from lessons.linear_regression.losses_with_more_predictors);
    reference: an optional (ℒ value, label) drawn as a dotted vertical line.
    """
    ax = style.target_axes(ax, width=7.0, height=0.5 + 0.6 * len(losses))
    names = list(losses)
    labels = [f"D = {D}: " + (name if D == 1 else f"+ {name}") for D, name in enumerate(names, start=1)]
    losses = list(losses.values())
    positions = np.arange(len(losses))[::-1]  # the first predictor on top
    ax.barh(positions, losses, color=style.DATA, height=0.6)
    for position, loss in zip(positions, losses):
        ax.text(loss, position, f" {style.number(loss, ',.0f')}", va="center", fontsize=9)
    if reference is not None:
        value, label = reference
        ax.axvline(value, color=style.OPTIMUM, linestyle=":", linewidth=2, label=label)
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, max(losses) * 1.15)
    style.style_axes(ax, "ℒ of the best fit with more and more predictors", f"{style.LOSS} = MSE (k$²)")
    ax.grid(False, axis="y")
    return style.described(ax.figure, "ℒ of the best fit with more and more predictors: " + ", ".join(
        f"{label} {style.number(loss, ',.0f')}" for label, loss in zip(labels, losses)))


def _padded(values, fraction):
    low, high = float(np.min(values)), float(np.max(values))
    pad = fraction * (high - low) if high > low else 1.0
    return low - pad, high + pad
