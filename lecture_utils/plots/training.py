"""Pictures for notebook 09: training a network, watching it learn, and breaking it on purpose.

The decision regions and loss curves themselves come from `classify` (shared with
notebook 05); the functions here arrange them into the pictures a training loop
redraws, and draw what notebook 09 adds: standardised inputs, predictions against
the truth, several training runs side by side, and a layer's weights.

Every function draws on `ax` (or `axes`) if given, or on a new figure, and returns the figure.
"""

import numpy as np

from . import style
from .classify import decision_boundary, loss_curves

__all__ = [
    "standardised_columns", "predicted_vs_true", "fit_progress", "classifier_progress", "training_runs",
    "hidden_weights", "hidden_weights_side_by_side",
]

_RUN_STYLES = [(style.DATA, "-"), (style.MODEL, "--"), (style.OPTIMUM, "-."), (style.SECOND, ":"),
               (style.line_colour(style.HIGHLIGHT), (0, (5, 1, 1, 1)))]


def standardised_columns(X_raw, X, names, axes=None):
    """Each column of the inputs before (left) and after (right) standardising, as strips of points.

    X_raw, X: [N×D] the same rows as recorded and as (x − mean) / std; names: D column names.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 0.5 + 0.55 * len(names))
    X_raw, X = np.asarray(X_raw, dtype=float), np.asarray(X, dtype=float)
    spread = np.linspace(-0.25, 0.25, len(X_raw))  # a fixed vertical spread, so points do not overlap
    for ax, values, title in [(axes[0], X_raw, "as recorded"), (axes[1], X, "standardised: (x − mean) / std")]:
        for j in range(values.shape[1]):
            ax.scatter(values[:, j], j + spread, s=8, color=style.DATA, edgecolors="white", linewidths=0.2)
        ax.set_yticks(range(len(names)), names)
        ax.set_ylim(len(names) - 0.5, -0.5)
        low, high = values.min(), values.max()
        style.style_axes(ax, f"{title}\nvalues from {_value(low)} to {_value(high)}", "value")
    return style.described(fig, f"each of the {len(names)} columns ({', '.join(names)}) as a strip of "
                                f"{len(X_raw)} points: as recorded, from {_value(X_raw.min())} to "
                                f"{_value(X_raw.max())}; standardised, from {_value(X.min())} to {_value(X.max())}")


def predicted_vs_true(y, y_hat, loss=None, ax=None, title=None, limits=(-3.5, 3.5)):
    """Each row's prediction ŷ against its target y; a perfect model puts every point on the diagonal.

    loss: their ℒ, for the title (unless a title is given).
    """
    ax = style.target_axes(ax, 4.4, 4)
    y, y_hat = np.ravel(y), np.ravel(y_hat)
    ax.plot(limits, limits, color=style.OPTIMUM, linestyle="--", linewidth=1.2, label="ŷ = y")
    ax.scatter(y, np.clip(y_hat, *limits), s=14, color=style.DATA, edgecolors="white", linewidths=0.3, label="rows")
    ax.set_xlim(*limits)
    ax.set_ylim(*limits)
    ax.set_aspect("equal")
    if title is None and loss is not None:
        title = f"{style.LOSS} = {style.number(loss, '.3f')}"
    style.style_axes(ax, title, "y (true)", "ŷ (predicted)")
    ax.legend(loc="upper left", fontsize=8)
    loss_text = "" if loss is None else f", {style.LOSS} = {style.number(loss, '.3f')}"
    return style.described(ax.figure, f"{len(y)} rows' predictions ŷ against their targets y, the diagonal ŷ = y "
                                      f"for a perfect model{loss_text}")


def fit_progress(y, y_hat, train_losses, test_losses=None, step=None, axes=None):
    """A regression while it trains: ℒ so far (left) and the held-out predictions ŷ against y (right).

    y, y_hat: [N×1] held-out targets and the network's current predictions;
    train_losses, test_losses: ℒ after each step so far (the last test loss is that of y_hat).
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 3.8)
    loss_curves(train_losses, test_losses, ax=axes[0], title=_step_title(step, "ℒ while training"))
    _readable_log_axis(axes[0])
    held_out = f": {style.LOSS} = {style.number(test_losses[-1], '.3f')}" if test_losses else ""
    predicted_vs_true(y, y_hat, ax=axes[1], title=f"held-out rows{held_out}")
    return style.described(fig, f"{_step_title(step, 'training')}: {style.LOSS} on the training rows "
                                f"{_losses(train_losses)}; held-out rows' predictions against their targets{held_out}")


def classifier_progress(regions, accuracy, X, y, train_losses, X_test=None, y_test=None, test_losses=None,
                        step=None, axes=None):
    """A classifier while it trains: its decision regions (left) and ℒ so far (right).

    regions: its output over the plane (a regions.Regions); accuracy: on the held-out points
    (or on the training points if there are none), for the title; X, y: training points [N×2]
    and labels [N×1]; X_test, y_test: optional held-out points, drawn hollow.
    """
    fig, axes = style.target_axes_grid(axes, 1, 2, style.PAGE_WIDTH, 4.2)
    which = "training" if X_test is None else "held-out"
    decision_boundary(regions, X, y, X_test, y_test, ax=axes[0],
                      title=f"{which} accuracy {style.number(accuracy, '.0%')}")
    axes[0].legend(loc="lower left", fontsize=8, ncol=2)
    loss_curves(train_losses, test_losses, ax=axes[1], title=_step_title(step, "ℒ while training"))
    _readable_log_axis(axes[1])
    return style.described(fig, f"{_step_title(step, 'a classifier while it trains')}: its decision regions over "
                                f"the plane with the points, {which} accuracy {style.number(accuracy, '.0%')}; "
                                f"{style.LOSS} on the training points {_losses(train_losses)}")


def training_runs(runs, ax=None, title="ℒ while training", log=True, ceiling=100.0):
    """Several training runs' ℒ against the step, told apart by colour and line style.

    runs: [(label, losses), ...]. The y axis ends at `ceiling` times the largest first
    loss. A run whose loss leaves the picture or becomes inf or NaN is drawn up to there,
    marked × at the edge, and labelled "diverged at step s" (the first step whose loss
    is no longer a number) or "beyond the picture at step s".
    """
    ax = style.target_axes(ax, 6, 3.6)
    runs = [(label, np.asarray(losses, dtype=float)) for label, losses in runs]
    firsts = [losses[0] for _, losses in runs if len(losses) and np.isfinite(losses[0])]
    top = ceiling * max(firsts) if firsts else None
    for i, (label, losses) in enumerate(runs):
        color, linestyle = _RUN_STYLES[i % len(_RUN_STYLES)]
        steps = np.arange(1, len(losses) + 1)
        inside = np.isfinite(losses) & (losses <= top if top is not None else True)
        if inside.all():
            ax.plot(steps, losses, color=color, linestyle=linestyle, linewidth=1.8, label=label)
            continue
        stop = int(np.argmin(inside))  # the first step outside the picture
        finite = np.isfinite(losses)
        if not finite.all():
            label = f"{label}: diverged at step {int(np.argmin(finite)) + 1}"
        else:
            label = f"{label}: beyond the picture at step {stop + 1}"
        ax.plot(np.append(steps[:stop], stop + 1), np.append(losses[:stop], top), color=color,
                linestyle=linestyle, linewidth=1.8, label=label)
        ax.plot(stop + 1, top, marker="X", markersize=11, color=color, linestyle="none")
    shown = np.concatenate([losses[np.isfinite(losses)] for _, losses in runs])
    if log and len(shown) and shown.min() > 0:
        ax.set_yscale("log")
        _readable_log_axis(ax)
    if top is not None and any(not np.all(np.isfinite(losses) & (losses <= top)) for _, losses in runs):
        ax.set_ylim(top=top * 1.5 if log else top * 1.05)
    style.style_axes(ax, title, "step", style.LOSS)
    ax.legend(fontsize=8)
    return style.described(ax.figure, f"{title}: " + "; ".join(
        f"{label} {_losses(losses)}" for label, losses in runs))


def hidden_weights(W1, ax=None, title=None, row_names=None):
    """The weights W₁ [D×M] as a heatmap: one row per input, one column per hidden unit.

    Columns that look alike are units that compute the same thing.
    """
    ax = style.target_axes(ax, 6, 2.6)
    W1 = np.asarray(W1, dtype=float)
    limit = max(float(np.max(np.abs(W1))), 1e-12)
    image = ax.imshow(W1, cmap=style.DIVERGING_CMAP, vmin=-limit, vmax=limit, aspect="auto",
                      interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, shrink=0.9, label="weight")
    D, M = W1.shape
    ax.set_yticks(range(D), row_names if row_names is not None else [f"x{i + 1}" for i in range(D)])
    ax.set_xticks(range(M), [str(j + 1) for j in range(M)], fontsize=8)
    title = title if title is not None else f"W₁ [{D}×{M}]"
    style.style_axes(ax, title, "hidden unit", None, grid=False)
    return style.described(ax.figure, _describe_weights(title, W1))


def hidden_weights_side_by_side(weights, row_names=None, axes=None):
    """Several W₁ heatmaps next to each other: weights is [(title, W1), ...]."""
    fig, axes = style.target_axes_grid(axes, 1, len(weights), style.page_width(5.5 * len(weights)), 2.6)
    for ax, (title, W1) in zip(axes, weights):
        hidden_weights(W1, ax=ax, title=title, row_names=row_names)
    return style.described(fig, "; ".join(_describe_weights(title, np.asarray(W1, dtype=float))
                                           for title, W1 in weights))


def _describe_weights(title, W1):
    D, M = W1.shape
    return (f"{title}: the weights of {D} inputs to {M} hidden units as a heatmap, from {_value(W1.min())} to "
            f"{_value(W1.max())}")


def _losses(losses):
    """ℒ of a run in words: from its first value to its last, over how many steps."""
    losses = np.asarray(losses, dtype=float)
    if not len(losses):
        return "not yet measured"
    return (f"from {style.number(losses[0], '.3g', large=1e7)} to {style.number(losses[-1], '.3g', large=1e7)} "
            f"over {len(losses)} steps")


def _value(value):
    """A value in a caption: 1,920 from 100 on, else 0.42."""
    return style.number(value, ",.0f" if abs(value) >= 100 else ".2f")


def _readable_log_axis(ax):
    if ax.get_yscale() == "log":
        style.plain_log_ticks(ax)


def _step_title(step, text):
    return text if step is None else f"{text} — step {step}"
