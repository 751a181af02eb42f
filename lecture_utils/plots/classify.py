"""Pictures of a classifier on 2-D points: its decision regions, and its loss while it learns.

Shared by notebooks 05 (the playground) and 09 (training a network). The regions are a
model's outputs over the plane, computed by `lecture_utils.lessons.nonlinearity`.
"""

import numpy as np

from . import style

__all__ = ["decision_boundary", "loss_curves", "class_points"]


def class_points(X, y, ax, hollow=False, label_prefix=""):
    """Points of class 0 and class 1, told apart by colour AND marker; hollow (white inside) for test data.

    Filled points have a dark edge, hollow ones a ring in the class's colour drawn dark enough for the white
    page: both stay visible on a region of their own class's colour, and the light orange points on white.
    """
    for value, color, marker in zip((0, 1), style.CLASS_COLORS, style.CLASS_MARKERS):
        rows = np.ravel(y) == value
        face, edge, width = ("white", style.line_colour(color), 1.4) if hollow else (color, style.EDGE, 0.6)
        ax.scatter(X[rows, 0], X[rows, 1], s=22, marker=marker, facecolors=face, edgecolors=edge,
                   linewidths=width, label=f"{label_prefix}class {value}", zorder=3)


def decision_boundary(regions, X, y, X_test=None, y_test=None, ax=None, title=None):
    """The model's output over the plane as a heatmap, its 0.5 contour, and the points.

    regions: a regions.Regions (the output on a grid over [−limit, limit]²).
    X, y: training points [N×2] and labels [N×1] in {0, 1} (filled markers);
    X_test, y_test: optional test points (hollow markers).
    """
    ax = style.target_axes(ax, 5, 4.6)
    limit, grid, outputs = regions
    ax.imshow(outputs, origin="lower", extent=(-limit, limit, -limit, limit), cmap=style.CLASS_CMAP,
              vmin=0, vmax=1, alpha=0.75, interpolation="bilinear")
    if outputs.min() < 0.5 < outputs.max():
        ax.contour(grid, grid, outputs, levels=[0.5], colors=style.INK, linewidths=1.2)
    class_points(X, y, ax, label_prefix="train: ")
    if X_test is not None:
        class_points(X_test, y_test, ax, hollow=True, label_prefix="test: ")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    style.style_axes(ax, title, "x⁽¹⁾", "x⁽²⁾", grid=False)
    return ax.figure


def loss_curves(train_losses, test_losses=None, ax=None, log=True, title="ℒ while training"):
    """Training (and test) loss against the step number, on a log scale by default."""
    ax = style.target_axes(ax, 5, 3.4)
    steps = np.arange(1, len(train_losses) + 1)
    ax.plot(steps, train_losses, color=style.DATA, label="train", linewidth=1.5)
    if test_losses is not None and len(test_losses):
        test_steps = np.linspace(1, len(train_losses), len(test_losses))
        ax.plot(test_steps, test_losses, color=style.MODEL, linestyle="--", label="test", linewidth=1.5)
    if log and len(train_losses) and min(train_losses) > 0:
        ax.set_yscale("log")
        style.plain_log_ticks(ax)
    style.style_axes(ax, title, "step", "ℒ")
    ax.legend(fontsize=8)
    return ax.figure
