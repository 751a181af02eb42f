"""Pictures for notebook 02: more predictors. Two predictors and a plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b.

Every function takes data and parameters, draws on `ax` if given or on a new
figure otherwise, and returns the figure. The 3-D pictures use matplotlib's
`projection="3d"` axes; a panel redraws them completely on every change, so they
are kept light: few ticks, the plane as a coarse surface, all residuals in one
Line3DCollection.
"""

import numpy as np
from matplotlib.ticker import MaxNLocator
from mpl_toolkits.mplot3d.art3d import Line3DCollection

from .. import linear_model
from . import style

__all__ = [
    "least_squares_plane", "mse_of_plane", "plane_equation",
    "plane_fit", "apartments_3d", "plane_with_residuals", "loss_by_predictors",
]

X1_SQFT = "x⁽¹⁾: square feet"
X2_AGE = "x⁽²⁾: age (years)"
PLANE_GRID = 9  # grid lines of the plane's surface in each direction


def least_squares_plane(x1, x2, y):
    """The (w₁, w₂, b) minimising the mean squared error of ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b; x1, x2, y: [N×1]."""
    w, b = linear_model.least_squares(np.column_stack([np.ravel(x1), np.ravel(x2)]), y)
    return float(w[0, 0]), float(w[1, 0]), b


def mse_of_plane(x1, x2, y, w1, w2, b):
    """Mean squared error ℒ = mean((y − (x⁽¹⁾w₁ + x⁽²⁾w₂ + b))²) of one plane."""
    return float(np.mean((np.ravel(y) - (np.ravel(x1) * w1 + np.ravel(x2) * w2 + b)) ** 2))


def plane_equation(w1, w2, b):
    """'ŷ = 0.245·x⁽¹⁾ − 1.12·x⁽²⁾ + 56.7' (true minus signs)."""
    text = f"ŷ = {w1:.3f}·x⁽¹⁾ {w2:+.2f}·x⁽²⁾ {b:+.1f}"
    return text.replace("+", "+ ").replace("-", "− ").replace("= − ", "= −")


def plane_fit(x1, x2, y, w1, w2, b, elev=30.0, azim=-75.0, residuals=True, ax=None, title=None,
              labels=(X1_SQFT, X2_AGE)):
    """The apartments over two predictors, the plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b, the residual sticks and ℒ.

    x1, x2, y: [N×1] (or [N]); elev, azim: the viewing angle in degrees.
    """
    ax = style.target_axes(ax, width=6.4, height=5.0, projection="3d")
    apartments_3d(x1, x2, y, elev=elev, azim=azim, ax=ax, labels=labels)
    plane_with_residuals(x1, x2, y, w1, w2, b, residuals=residuals, ax=ax, title=title)
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


def plane_with_residuals(x1, x2, y, w1, w2, b, residuals=True, ax=None, title=None):
    """The plane ŷ = x⁽¹⁾w₁ + x⁽²⁾w₂ + b over the axes' current x⁽¹⁾, x⁽²⁾ limits, and the residuals y − ŷ.

    The residuals are vertical sticks from each apartment to the plane, all in one
    Line3DCollection; the title gives the plane and its mean squared error ℒ.
    Parts outside the axes' box are clipped.
    """
    ax = style.target_axes(ax, width=6.4, height=5.0, projection="3d")
    x1, x2, y = np.ravel(x1), np.ravel(x2), np.ravel(y)
    G1, G2 = np.meshgrid(np.linspace(*ax.get_xlim(), PLANE_GRID), np.linspace(*ax.get_ylim(), PLANE_GRID))
    ax.plot_surface(G1, G2, G1 * w1 + G2 * w2 + b, color=style.MODEL, alpha=0.3, shade=False,
                    edgecolor=style.MODEL, linewidth=0.3, axlim_clip=True)
    y_hat = x1 * w1 + x2 * w2 + b
    if residuals:
        sticks = np.stack([np.column_stack([x1, x2, y]), np.column_stack([x1, x2, y_hat])], axis=1)  # [N×2×3]
        ax.add_collection3d(Line3DCollection(sticks, colors=style.RESIDUAL, linewidths=0.8, alpha=0.8,
                                             axlim_clip=True, label="residual y − ŷ"), autolim=False)
    loss = mse_of_plane(x1, x2, y, w1, w2, b)
    ax.set_title(title or f"{plane_equation(w1, w2, b)}\n{style.LOSS} = MSE = {loss:,.0f}", fontsize=10)
    return ax.figure


def loss_by_predictors(columns, y, reference=None, ax=None):
    """ℒ of the best (least-squares) fit with the first 1, 2, …, D predictors, as horizontal bars.

    columns: {name: [N×1]} in the order the predictors are added; y: [N×1];
    reference: an optional (ℒ value, label) drawn as a dotted vertical line.
    """
    ax = style.target_axes(ax, width=7.0, height=0.5 + 0.6 * len(columns))
    names = list(columns)
    losses, labels = [], []
    for D in range(1, len(names) + 1):
        X = np.hstack([np.reshape(columns[name], (-1, 1)) for name in names[:D]])
        w, b = linear_model.least_squares(X, y)
        losses.append(linear_model.mean_squared_error(y, linear_model.predict(X, w, b)))
        labels.append(f"D = {D}: " + (names[0] if D == 1 else f"+ {names[D - 1]}"))
    positions = np.arange(len(losses))[::-1]  # the first predictor on top
    ax.barh(positions, losses, color=style.DATA, height=0.6)
    for position, loss in zip(positions, losses):
        ax.text(loss, position, f" {loss:,.0f}", va="center", fontsize=9)
    if reference is not None:
        value, label = reference
        ax.axvline(value, color=style.OPTIMUM, linestyle=":", linewidth=2, label=label)
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, max(losses) * 1.15)
    style.style_axes(ax, "ℒ of the best fit with more and more predictors", f"{style.LOSS} = MSE (k$²)")
    ax.grid(False, axis="y")
    return ax.figure


def _padded(values, fraction):
    low, high = float(np.min(values)), float(np.max(values))
    pad = fraction * (high - low) if high > low else 1.0
    return low - pad, high + pad
