"""The playground's picture, drawn from a View and read back: every neuron's picture, every link,
ŷ over the plane in the classes' colours, the points, ℒ and the numbers."""

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from lecture_utils import plots
from lecture_utils.lessons.playground import FEATURES, Playground, Settings
from lecture_utils.plots import style
from lecture_utils.plots.playground import NODE, OUTPUT_STRENGTH, draw_moving, draw_still, still_key, value_colours

BLUE, ORANGE = (np.round(np.array(to_rgb(colour)) * 255) for colour in style.CLASS_COLORS)
ORANGE_LINK = np.round(np.array(to_rgb(style.line_colour(style.CLASS_COLORS[1]))) * 255)  # dark enough on white


def pale(colours):
    """ŷ's colours over the plane: OUTPUT_STRENGTH of the class colours, the rest white (points stand out)."""
    return np.round(255 - (255 - np.asarray(colours, dtype=np.float32)) * OUTPUT_STRENGTH).astype(np.uint8)
WHITE = np.array([255, 255, 255])


def view_after(steps, resolution=20, **settings):
    state = Playground(Settings(**settings))
    state.train(steps)
    return state.view(resolution=resolution)


@pytest.fixture(scope="module")
def view():
    return view_after(50, features=["x1", "x2", "x1^2"], hidden=[3, 2], show_test=True)


def network_images(fig):
    return fig.axes[0].images


def own_scale(picture):
    largest = np.abs(picture).max()
    return value_colours(picture, -largest, largest)


def test_values_are_painted_in_the_two_classes_colours():
    colours = value_colours(np.array([-1.0, 0.0, 1.0, 5.0, -3.0, np.nan, np.inf]), -1.0, 1.0)
    assert colours.dtype == np.uint8 and colours.shape == (7, 3)
    assert np.array_equal(colours[0], BLUE) and np.array_equal(colours[2], ORANGE)
    assert np.array_equal(colours[1], WHITE)
    assert np.array_equal(colours[3], ORANGE) and np.array_equal(colours[4], BLUE)  # beyond: the ends
    assert np.all(colours[5] == colours[5][0]) and np.array_equal(colours[5], colours[6])  # grey
    halfway = value_colours(np.array([0.5]), 0.0, 1.0)[0]
    assert np.array_equal(halfway, WHITE)
    quarter = value_colours(np.array([0.75]), 0.0, 1.0)[0].astype(float)
    assert np.allclose(quarter, (WHITE + ORANGE) / 2, atol=1.5)


def test_every_feature_and_neuron_is_a_picture_of_its_output(view):
    fig = plots.playground_picture(view)
    network, plane, losses = fig.axes
    images = network_images(fig)
    assert len(images) == 7 + 3 + 2 + 1  # the features, H₁, H₂, ŷ
    for image, name, picture in zip(images[:7], FEATURES, view.feature_pictures):
        assert np.array_equal(image.get_array(), own_scale(picture))
        assert image.get_alpha() == (1.0 if name in view.settings.features else 0.25)  # unused: faded
    neurons = [picture for layer in view.neuron_pictures for picture in layer]
    for image, picture in zip(images[7:12], neurons):
        assert np.array_equal(image.get_array(), own_scale(picture))
    assert np.array_equal(images[12].get_array(), pale(value_colours(view.output_picture, 0.0, 1.0)))
    labels = {text.get_text(): text.get_color() for text in network.texts}
    assert labels["x⁽¹⁾"] == style.INK and labels["(x⁽²⁾)²"] == style.RESIDUAL  # unused features in grey
    assert {"features", "H₁", "H₂", "ŷ"} <= set(labels)


def test_every_weight_is_a_link_coloured_by_its_sign_and_as_wide_as_its_size(view):
    fig = plots.playground_picture(view)
    links = fig.axes[0].collections[0]
    segments, colours, widths = links.get_segments(), links.get_colors(), np.asarray(links.get_linewidths())
    assert len(segments) == 3 * 3 + 3 * 2 + 2 * 1  # from the three features used, then layer to layer
    W1 = view.weights[0]
    feature_rows = {name: -float(row) for row, name in enumerate(FEATURES)}
    sizes_and_widths = []
    for i, feature in enumerate(view.settings.features):
        for j in range(3):  # the link from feature i (its picture's right edge) to H₁'s neuron j
            [k] = [k for k, (start, end) in enumerate(segments) if np.isclose(start[0], NODE / 2)
                   and np.isclose(start[1], feature_rows[feature]) and np.isclose(end[1], -j)]
            expected = ORANGE_LINK if W1[i, j] > 0 else BLUE
            assert np.allclose(np.array(colours[k][:3]) * 255, expected, atol=0.5)
            sizes_and_widths.append((abs(W1[i, j]), widths[k]))
    sizes_and_widths.sort()
    assert all(a[1] <= b[1] for a, b in zip(sizes_and_widths, sizes_and_widths[1:]))
    assert sizes_and_widths[-1][1] > sizes_and_widths[0][1]


def test_y_hat_over_the_plane_with_the_training_and_test_points(view):
    fig = plots.playground_picture(view)
    plane = fig.axes[1]
    assert np.array_equal(plane.images[0].get_array(), pale(value_colours(view.output_picture, 0.0, 1.0)))
    assert plane.images[0].get_extent() == [-4.0, 4.0, -4.0, 4.0]
    points = [c for c in plane.collections if len(c.get_offsets())]
    filled = [c for c in points if not np.allclose(c.get_facecolors()[:, :3], 1)]  # hollow: white inside
    assert sum(len(c.get_offsets()) for c in points) == len(view.split.X_train) + len(view.split.X_test)
    assert sum(len(c.get_offsets()) for c in filled) == len(view.split.X_train)
    hidden_test = plots.playground_picture(view._replace(settings=view.settings.replace(show_test=False)))
    shown = [c for c in hidden_test.axes[1].collections if len(c.get_offsets())]
    assert sum(len(c.get_offsets()) for c in shown) == len(view.split.X_train)
    assert plane.get_xlabel() == "x⁽¹⁾" and plane.get_ylabel() == "x⁽²⁾"


def test_discretised_the_plane_has_only_the_two_classes_colours(view):
    discrete = view._replace(settings=view.settings.replace(discretise=True))
    image = plots.playground_picture(discrete).axes[1].images[0]
    colours = image.get_array().reshape(-1, 3)
    assert {tuple(c) for c in colours} <= {tuple(pale(BLUE)), tuple(pale(ORANGE))}
    orange = np.all(colours == pale(ORANGE), axis=1)
    assert np.array_equal(orange, view.output_picture.ravel() > 0.5)
    assert image.get_interpolation() == "nearest"


def test_regression_paints_y_hat_and_the_targets_from_minus_one_to_one():
    view = view_after(20, dataset="plane", hidden=[2])
    fig = plots.playground_picture(view)
    plane = fig.axes[1]
    assert np.array_equal(plane.images[0].get_array(), pale(value_colours(view.output_picture, -1.0, 1.0)))
    points = plane.collections[0]
    assert np.allclose(points.get_facecolors()[:, :3] * 255, value_colours(view.split.y_train[:, 0], -1, 1),
                       atol=0.5)
    texts = [text.get_text() for text in fig.texts]
    assert any(text.startswith("ℒ: train") for text in texts) and not any("accuracy" in text for text in texts)


def test_the_losses_and_the_numbers(view):
    fig = plots.playground_picture(view)
    train_line, test_line = fig.axes[2].get_lines()
    assert np.array_equal(train_line.get_xdata(), view.steps)
    assert np.allclose(train_line.get_ydata(), view.train_losses)
    assert np.allclose(test_line.get_ydata(), view.test_losses)
    assert fig.axes[2].get_xlim() == (0, 50) and fig.axes[2].get_yscale() == "log"
    texts = [text.get_text() for text in fig.texts]
    evaluation = view.evaluation
    assert "step 50" in texts
    assert (f"ℒ: train {evaluation.train_loss:.3f} · test {evaluation.test_loss:.3f}      accuracy: "
            f"train {evaluation.train_accuracy:.0%} · test {evaluation.test_accuracy:.0%}") in texts
    assert any(text.startswith("activation: tanh") for text in texts)


def test_a_diverged_network_is_drawn_and_says_what_to_do():
    state = Playground(Settings(lr=3.0))
    while not state.diverged:
        state.train(1)
    state.train(0)
    fig = plots.playground_picture(state.view(resolution=10))
    assert "ℒ diverged: lower η, then ↺ reset" in [text.get_text() for text in fig.texts]


def test_the_still_parts_change_with_the_architecture_only(view):
    key = still_key(view)
    same = [dict(lr=0.1), dict(discretise=True), dict(batch_size=1), dict(rate=0.01), dict(show_test=False),
            dict(noise=0.3), dict(dataset="spiral"), dict(problem="regression", dataset="plane")]
    for changes in same:
        assert still_key(view._replace(settings=view.settings.replace(**changes))) == key
    for changes in [dict(hidden=[3]), dict(features=["x1"]), dict(activation="ReLU"), dict(hidden=[])]:
        assert still_key(view._replace(settings=view.settings.replace(**changes))) != key
    assert still_key(view._replace(step=5000)) == key  # ℒ's axis: the steps so far fill its width


def point_count(artists):
    return sum(len(artist.get_offsets()) for artist in artists.on_top() if hasattr(artist, "get_offsets"))


def test_new_points_are_drawn_with_the_moving_parts():
    state = Playground(Settings(show_test=True))
    fig = style.Figure(figsize=plots.playground_size())
    artists = draw_still(fig, state.view())
    first = artists.on_top()
    assert point_count(artists) == 500
    draw_moving(artists, state.view())
    assert artists.on_top() == first  # the same data: the same points
    state.apply(state.settings.replace(train_fraction=0.2, show_test=False))
    draw_moving(artists, state.view())
    assert point_count(artists) == 100 and all(artist.figure is None for artist in first[:-1])  # the old ones removed
    assert all(artist.get_animated() for artist in artists.on_top())
    assert artists.points[-1].get_text().endswith("\nfilled: training points")


def test_for_a_panel_the_moving_parts_are_left_out_of_a_normal_draw(view):
    fig = style.Figure(figsize=plots.playground_size())
    artists = draw_still(fig, view)
    moving = artists.animated()
    assert len(moving) == 1 + 5 + 1 + 1 + 2 + 2  # links, neurons, ŷ twice, ℒ twice, texts
    assert len(artists.on_top()) == 4 + 1 + 1  # the points (training and test, both classes), their key, ℒ's key
    assert all(artist.get_animated() for artist in moving + artists.on_top())
    without = draw_still(style.Figure(figsize=plots.playground_size(captions=False)), view, captions=False)
    assert len(without.animated()) == len(moving) - 2 and not without.texts
    still = [image for image in fig.axes[0].images if not image.get_animated()]
    assert len(still) == 7  # the features: they never change while training
