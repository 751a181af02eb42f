"""Animation: the still parts are drawn once per key, the moving artists on top of their pixels,
and a moving RGB picture is resized and copied into the canvas where matplotlib would have drawn it."""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from lecture_utils.plots.style import PNG_DPI, Figure
from lecture_utils.widgets.engine import Animation


class Moving:
    def __init__(self, artists, on_top=()):
        self.artists, self.points = list(artists), list(on_top)

    def animated(self):
        return self.artists

    def on_top(self):
        return self.points


def gradient(rows=12, columns=16):
    """An RGB picture [rows×columns×3] whose colour changes smoothly."""
    r, c = np.meshgrid(np.linspace(0, 1, rows), np.linspace(0, 1, columns), indexing="ij")
    return np.stack([200 * r + 30, 220 * c + 20, 120 + 60 * r * c], axis=2).astype(np.uint8)


def build_picture(figure, picture, animated=True, points=((3, 7), (4, 7), (6, 7))):
    ax = figure.add_axes([0.1, 0.1, 0.6, 0.8])
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_title("still")
    image = ax.imshow(picture, origin="lower", extent=(2, 8, 1, 9), interpolation="bilinear")
    line, = ax.plot([0, 10], [5, 5], color="black", linewidth=3)  # after the image: on top of it
    x, y = zip(*points) if points else ((), ())
    points = ax.scatter(x, y, s=120, color="#D55E00", edgecolors="white", alpha=0.7, zorder=3)
    for artist in (image, line, points):
        artist.set_animated(animated)
    return Moving([image, line], on_top=[points])


def pixels(png_or_jpeg):
    return np.asarray(Image.open(io.BytesIO(bytes(png_or_jpeg))).convert("RGB")).astype(int)


def test_the_still_parts_are_drawn_again_only_when_the_key_changes():
    picture = Animation(4, 3)
    builds = []

    def build(figure, previous):
        builds.append(1)
        figure.clear()
        return build_picture(figure, gradient())

    for key in ["a", "a", "a", "b", "b"]:
        picture.show(key, build, lambda artists: None, "a gradient")
    assert len(builds) == 2 and picture.frames == 5
    assert bytes(picture.picture.data).startswith(b"\x89PNG") and picture.picture.format == "png"
    picture.show("b", build, lambda artists: None, "a gradient", moving=True)
    assert bytes(picture.picture.data).startswith(b"\xff\xd8") and picture.picture.format == "jpeg"
    assert picture.picture.alt == "a gradient" and 'alt="a gradient"' in picture.view.value


def test_a_pasted_picture_looks_as_matplotlib_draws_it_and_what_comes_after_it_covers_it():
    data = gradient()
    animated = Animation(4, 3)
    animated.show("one", lambda figure, previous: build_picture(figure, data), lambda artists: None, "a gradient")
    fast = pixels(animated.picture.data)

    reference = Figure(figsize=(4, 3), dpi=PNG_DPI)
    canvas = FigureCanvasAgg(reference)
    build_picture(reference, data, animated=False)
    canvas.draw()
    slow = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)

    assert fast.shape == slow.shape
    ax = reference.axes[0]
    (left, bottom), (right, top) = ax.transData.transform([(2, 1), (8, 9)])
    height = slow.shape[0]
    rows = slice(int(height - top) + 2, int(height - bottom) - 2)
    columns = slice(int(left) + 2, int(right) - 2)
    inside = np.abs(fast[rows, columns] - slow[rows, columns])
    assert inside.mean() < 3 and np.percentile(inside, 99) < 20  # the same picture, resampled alike
    outside = (slice(None), slice(0, int(left) - 2))
    assert np.array_equal(fast[outside], slow[outside])  # nothing pasted beyond the picture's extent
    _, y_line = ax.transData.transform((5, 5))
    middle = fast[int(height - y_line), (int(left) + int(right)) // 2]
    assert middle.max() < 60  # the black line drawn after the picture lies on top of it
    for x in (3, 4, 6):  # the points, drawn once with their transparency, lie on top of the picture
        column, row = ax.transData.transform((x, 7))
        centre = (int(height - row), int(column))
        assert np.abs(fast[centre] - slow[centre]).max() <= 2
        assert np.abs(fast[centre] - slow[centre[0] + 15, centre[1]]).max() > 30  # not the picture


def test_the_on_top_layer_is_drawn_again_when_its_artists_change():
    picture, without_points = Animation(4, 3), Animation(4, 3)
    builds = []

    def build(figure, previous):
        builds.append(1)
        figure.clear()
        return build_picture(figure, gradient())

    picture.show("one", build, lambda artists: None, "points")
    without_points.show("one", lambda figure, previous: build_picture(figure, gradient(), points=()),
                        lambda artists: None, "no points")
    ax, height = picture.figure.axes[0], picture.picture.size[1]

    def spot(x, y):
        column, row = ax.transData.transform((x, y))
        return int(height - row), int(column)

    def move_the_points(artists):
        for artist in artists.points:
            artist.remove()
        artists.points = [ax.scatter([7], [3], s=200, color="black", animated=True)]

    assert np.abs(pixels(picture.picture.data)[spot(3, 7)] - pixels(without_points.picture.data)[spot(3, 7)]).max() > 30
    picture.show("one", build, move_the_points, "points moved")
    assert len(builds) == 1  # the still parts stayed ...
    moved = pixels(picture.picture.data)
    assert moved[spot(7, 3)].max() < 40  # ... the new point is on the picture ...
    assert np.array_equal(moved[spot(3, 7)], pixels(without_points.picture.data)[spot(3, 7)])  # ... the old ones gone
