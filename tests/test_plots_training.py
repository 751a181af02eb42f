"""Pictures of notebook 09, and the live picture a training loop redraws."""

import numpy as np
import pytest

from figures import snapshot
from lecture_utils import plots, widgets
from lecture_utils.lessons.nonlinearity import output_regions
from lecture_utils.plots.style import Figure


def test_standardised_columns_one_strip_per_column_before_and_after():
    X_raw = np.array([[1000.0, 2.0], [1500.0, 3.0], [500.0, 4.0]])
    X = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)
    fig = plots.standardised_columns(X_raw, X, ["square_feet", "bedrooms"])
    before, after = fig.axes
    assert len(before.collections) == len(after.collections) == 2
    assert np.allclose(before.collections[0].get_offsets()[:, 0], X_raw[:, 0])
    assert np.allclose(after.collections[1].get_offsets()[:, 0], X[:, 1])
    assert [t.get_text() for t in before.get_yticklabels()] == ["square_feet", "bedrooms"]
    assert before.get_title() == "as recorded\nvalues from 2.00 to 1,500"
    assert after.get_title().startswith("standardised: (x − mean) / std\nvalues from −1.22 to 1.22")


def test_predicted_vs_true_draws_the_diagonal_and_the_loss():
    y = np.array([[0.0], [1.0], [-1.0]])
    y_hat = np.array([[0.5], [1.0], [-1.0]])
    fig = plots.predicted_vs_true(y, y_hat, loss=0.25 / 3)
    ax = fig.axes[0]
    (diagonal,) = ax.get_lines()
    assert np.allclose(diagonal.get_xdata(), diagonal.get_ydata())
    assert np.allclose(ax.collections[0].get_offsets(), np.column_stack([y, y_hat]))
    assert ax.get_title() == f"ℒ = {0.25 / 3:.3f}"
    assert ax.get_xlabel() == "y (true)" and ax.get_ylabel() == "ŷ (predicted)"
    assert plots.predicted_vs_true(y, y_hat, loss=0.1, title="mine").axes[0].get_title() == "mine"


def test_fit_progress_shows_the_losses_so_far_and_the_held_out_predictions():
    y = np.linspace(-1, 1, 10).reshape(-1, 1)
    fig = plots.fit_progress(y, 0.5 * y, [1.0, 0.5, 0.3], [1.1, 0.6, 0.4], step=3)
    curves, scatter = fig.axes
    assert [line.get_ydata().tolist() for line in curves.get_lines()] == [[1.0, 0.5, 0.3], [1.1, 0.6, 0.4]]
    assert curves.get_title() == "ℒ while training — step 3" and curves.get_yscale() == "log"
    assert all("$" not in t.get_text() for t in curves.get_yticklabels())  # plain labels, no mathtext
    assert scatter.get_title() == "held-out rows: ℒ = 0.400"  # the last held-out ℒ: that of these ŷ
    assert np.allclose(scatter.collections[0].get_offsets(), np.column_stack([y, 0.5 * y]))
    assert plots.fit_progress(y, y, [1.0]).axes[1].get_title() == "held-out rows"


def test_classifier_progress_shows_regions_accuracy_and_losses():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-0.5, 0.5], [0.5, -0.5]])
    y = np.array([[0.0], [1.0], [0.0], [1.0]])
    X_test, y_test = np.array([[0.8, 0.2], [-0.8, 0.1]]), np.array([[1.0], [1.0]])

    def predict(P):
        return (P[:, :1] > 0).astype(float)

    regions = output_regions(predict, resolution=50)
    fig = plots.classifier_progress(regions, 0.5, X, y, [0.5, 0.2], X_test, y_test, [0.6, 0.3], step=2)
    plane, curves = fig.axes[:2]
    (image,) = plane.get_images()
    assert np.array_equal(image.get_array(), regions.outputs)
    assert plane.get_title() == "held-out accuracy 50%"
    assert len([c for c in plane.collections if len(c.get_offsets())]) == 4  # train and test, both classes
    assert curves.get_title() == "ℒ while training — step 2" and len(curves.get_lines()) == 2
    train_only = plots.classifier_progress(regions, 1.0, X, y, [0.5])
    assert train_only.axes[0].get_title() == "training accuracy 100%"


def test_training_runs_tells_runs_apart_and_marks_divergence():
    healthy = [1.0, 0.5, 0.25, 0.2]
    exploding = [1.0, 30.0, 5000.0, np.inf]
    fig = plots.training_runs([("η = 0.1", healthy), ("η = 0.6", exploding)], title="η too high")
    ax = fig.axes[0]
    good, bad, mark = ax.get_lines()
    assert good.get_ydata().tolist() == healthy
    assert good.get_linestyle() != bad.get_linestyle() and good.get_color() != bad.get_color()
    assert bad.get_ydata().tolist() == [1.0, 30.0, 100.0]  # up to the edge of the picture (100 × the first ℒ)
    assert mark.get_xdata().tolist() == [3] and mark.get_marker() == "X"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["η = 0.1", "η = 0.6: diverged at step 4"]
    assert ax.get_yscale() == "log" and ax.get_ylim()[1] == pytest.approx(150.0)
    assert ax.get_title() == "η too high"


def test_training_runs_a_run_that_only_grows_and_a_nan():
    fig = plots.training_runs([("a", [1.0, 2.0, 500.0]), ("b", [1.0, np.nan])], log=False)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["a: beyond the picture at step 3", "b: diverged at step 2"]
    assert fig.axes[0].get_yscale() == "linear"


def test_hidden_weights_one_column_per_unit():
    W1 = np.array([[1.0, 1.0, -2.0], [0.5, 0.5, 0.0]])
    fig = plots.hidden_weights(W1, row_names=["size", "age"])
    ax = fig.axes[0]
    (image,) = ax.get_images()
    assert np.array_equal(image.get_array(), W1) and image.get_clim() == (-2.0, 2.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["size", "age"]
    assert ax.get_title() == "W₁ [2×3]" and ax.get_xlabel() == "hidden unit"
    assert len(fig.axes) == 2  # and its colorbar


def test_hidden_weights_side_by_side():
    fig = plots.hidden_weights_side_by_side([("random", np.eye(2)), ("same", np.ones((2, 2)))])
    titles = [ax.get_title() for ax in fig.axes if ax.get_images()]
    assert titles == ["random", "same"]


def test_plain_log_ticks_label_in_unicode():
    assert plots.style.power_of_ten(1e-5) == "10⁻⁵" and plots.style.power_of_ten(10.0) == "10"
    fig = plots.training_runs([("run", [1.0, 0.5, 0.2, 0.1])])
    ax = fig.axes[0]
    fig._repr_png_()  # tick labels are made when the figure is drawn
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "0.5" in labels and "0.2" in labels and not any("$" in label for label in labels)


# --- the live picture ------------------------------------------------------------------------------------

def test_live_plot_shows_what_the_loop_hands_it():
    live = widgets.LivePlot(plots.fit_progress, grid=(1, 2))
    assert live.picture.data == b"" and live.frames == 0
    y = np.linspace(-1, 1, 8).reshape(-1, 1)
    live.show(y=y, y_hat=0 * y, train_losses=[1.0], test_losses=[1.1], step=1)
    first, png = snapshot(live.figure), live.picture.data
    assert bytes(png).startswith(b"\x89PNG") and live.frames == 1
    live.show(y=y, y_hat=0.9 * y, train_losses=[1.0, 0.4], test_losses=[1.1, 0.5], step=2)
    second = snapshot(live.figure)
    assert second != first and live.picture.data != png and live.frames == 2
    curves = live.layers.moving[0].get_lines()
    assert len(curves) == 2 and curves[0].get_ydata().tolist() == [1.0, 0.4]  # cleared, not piled up
    assert live.layers.moving[1].get_title() == "held-out rows: ℒ = 0.500"
    assert live.layers.moving[0].get_title() == "ℒ while training — step 2"


def test_live_plot_with_one_axes_hands_it_over_as_ax():
    live = widgets.LivePlot(plots.predicted_vs_true, width=4, height=3.6)
    y = np.linspace(-1, 1, 5)
    live.show(y=y, y_hat=y, loss=0.0)
    live.show(y=y, y_hat=2 * y, loss=0.8)
    (points,) = live.layers.moving[0].collections
    assert np.allclose(points.get_offsets()[:, 1], 2 * y) and "ℒ = 0.800" in live.picture.alt


def test_live_plot_displays_as_its_image():
    live = widgets.LivePlot(plots.hidden_weights)
    assert "application/vnd.jupyter.widget-view+json" in live._repr_mimebundle_()
    assert isinstance(plots.hidden_weights(np.eye(2)), Figure)
