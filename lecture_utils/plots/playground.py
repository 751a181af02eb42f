"""The playground's picture (notebook 05): the network drawn neuron by neuron, ŷ over the plane, ℒ.

    view = Playground(settings).view()       # lecture_utils.lessons.playground: the numbers
    plots.playground_picture(view)           # the whole picture on a new figure

Left, the network as in TensorFlow Playground: the features, every hidden neuron and
the output, each as a small picture of its output over the plane, and every weight
as a link whose colour is its sign and whose width its size. Middle, ŷ over the plane
with the points; right, ℒ on the training and the test points so far.

The colours are the two classes' (plots.style: class 0 blue, class 1 orange, white
between): a picture is orange where a neuron's output is positive (ŷ near class 1),
blue where it is negative (near class 0); a link is orange for a positive weight,
blue for a negative one.

A panel that redraws this picture many times a second draws the still parts once
(`draw_still`, whose artists it keeps) and then only changes the moving artists
(`draw_moving`); `playground_picture` does both on a new figure. The points never move
but lie on top of ŷ: `on_top()` lists them. `still_key` says what the still parts depend
on (the network's features and layers, the activation): a panel draws them again when it
changes. A panel may leave out the two lines of text at the top (the step and the numbers:
`step_line`, `numbers_line`) and show them as text of its own; `describe_playground` is
the picture in words. Nothing here computes: every number comes from the View.
"""

from functools import lru_cache

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.ticker import NullLocator

from ..activations import LABELS as ACTIVATION_LABELS
from ..lessons.playground import FEATURES, LIMIT
from ..notation import subscript
from . import style
from .classify import class_points

__all__ = ["playground_picture", "draw_still", "draw_moving", "still_key", "value_colours", "step_line",
           "numbers_line", "describe_playground", "playground_size"]

_WIDTH, _HEIGHT = style.PAGE_WIDTH, 3.6  # inches: the picture is 828 × 324 pixels at style.PNG_DPI ...
_CAPTIONS_HEIGHT = 0.4         # ... and 36 more above it with the step and the numbers
LOSS_RANGE = (1e-3, 10.0)      # ℒ on a log axis
NODE = 0.78                    # a neuron's picture, in the network's units (rows are 1 apart)
OUTPUT_STRENGTH = 0.6          # ŷ over the plane: this much of the classes' colours, the rest white
_NAN_COLOUR = (160, 160, 160)  # a picture of a diverged network: grey where its outputs are not numbers

# Where the three parts sit in the figure (fractions of its width and height): fixed, so that
# every frame has the same layout and the still parts can be kept as pixels.
_NETWORK_BOX = (0.0, 0.0, 0.49, 0.92)     # (left, bottom, width, height) as fractions of the picture
_PLANE_BOX = (0.545, 0.24, 0.235, 0.6)    # square: 0.235 × 9.2 in = 0.6 × 3.6 in
_LOSS_BOX = (0.86, 0.24, 0.13, 0.6)
_KEY_BOX = (0.0, _NETWORK_BOX[3], 1.0, 1.0 - _NETWORK_BOX[3])  # above the network and the plane: the key line
_NETWORK_HEIGHT = 8.75                   # rows 1 apart: a heading and up to 8 neurons
_LABEL_ROOM = 1.8                        # left of the features: their names


@lru_cache(maxsize=1)
def _colour_table():
    """257 colours [257×3] from class 0's colour through white (the middle one) to class 1's colour."""
    low, high = (np.array(to_rgb(colour)) for colour in style.CLASS_COLORS)
    t = np.linspace(-1.0, 1.0, 257)[:, None]
    white = np.ones(3)
    table = np.where(t < 0, white + (low - white) * -t, white + (high - white) * t)
    return np.round(table * 255).astype(np.uint8)


def value_colours(values, low, high):
    """Colours [..×3] (uint8) for values [..]: `low` in class 0's colour, `high` in class 1's, white halfway.

    Values beyond the range take the colour of its end; values that are not numbers are grey.
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    position = np.clip((np.where(finite, values, low) - low) / (high - low), 0.0, 1.0)
    colours = _colour_table()[np.round(position * 256).astype(int)]
    colours[~finite] = _NAN_COLOUR
    return colours


def _neuron_colours(picture):
    """A neuron's (or feature's) picture on its own scale: ±its largest |value| at the ends, 0 white."""
    finite = picture[np.isfinite(picture)]
    largest = float(np.max(np.abs(finite))) if finite.size else 0.0
    largest = largest if largest > 1e-12 else 1.0
    return value_colours(picture, -largest, largest)


def _output_colours(picture, value_range, discretise):
    """ŷ's picture on the labels' scale, paler than the points (OUTPUT_STRENGTH of the classes' colours at its
    ends), so that a point stays a point on a region of its own colour; discretised: only the two ends."""
    low, high = value_range
    if discretise:
        picture = np.where(picture > (low + high) / 2, high, low)
    colours = value_colours(picture, low, high).astype(np.float32)
    return np.round(255 - (255 - colours) * OUTPUT_STRENGTH).astype(np.uint8)


def _link_colours_and_widths(weights):
    """Each weight's link: orange if positive, blue if negative; 0.3 to 4 points wide as |w| goes 0 to 3."""
    w = np.concatenate([W.T.ravel() for W in weights])  # link order: target neuron by target neuron
    finite = np.where(np.isfinite(w), w, 0.0)
    colours = np.where(finite[:, None] >= 0, np.array(to_rgb(style.line_colour(style.CLASS_COLORS[1]))),
                       np.array(to_rgb(style.line_colour(style.CLASS_COLORS[0]))))
    return colours, 0.3 + np.minimum(np.abs(finite), 3.0) * (3.7 / 3.0)


def still_key(view):
    """What the still parts depend on: the network's features and layers, and the line that names the
    activation. New points are not a reason to draw them again: draw_moving draws them anew."""
    return _network_key(view.settings), _key_line(view.settings)


def _network_key(settings):
    return settings.features, settings.hidden


def _key_line(settings):
    activation = ACTIVATION_LABELS[settings.activation] if settings.hidden else "none: a linear model"
    return (f"activation: {activation} · links: orange w > 0, blue w < 0, wider: larger |w| · "
            "pictures: orange > 0, blue < 0")


def _points_key(view):
    return view.data_version, view.settings.show_test


class PlaygroundArtists:
    """The moving parts of the picture, made by draw_still and changed by draw_moving."""

    def __init__(self):
        self.network = None       # the network's axes
        self.network_key = None   # the features and layers it shows
        self.key_line = None      # the line above the network that names the activation
        self.captions = True      # whether the figure has the two lines of text at the top
        self.neuron_images = []   # one list of AxesImage per hidden layer
        self.output_node = None   # ŷ's small picture at the end of the network
        self.links = None         # a LineCollection, one segment per weight
        self.plane_image = None   # ŷ over the plane
        self.plane = None         # the plane's axes
        self.points = []          # the points, drawn over ŷ, and what they show
        self.points_key = None    # the data and whether the test points are shown
        self.is_animated = True   # whether a normal draw of the figure leaves them out
        self.lines = []           # ℒ train, ℒ test
        self.loss_key = None      # their legend, over them
        self.texts = {}           # the step counter and the numbers (unless a panel shows them)
        self.redrawn = None       # the still parts draw_still drew anew on its earlier picture: [(box, artists)]

    def animated(self):
        """Every moving artist, in the order they are drawn (links under the neurons' pictures)."""
        images = [image for layer in self.neuron_images for image in layer]
        return [self.links, *images, self.output_node, self.plane_image, *self.lines, *self.texts.values()]

    def on_top(self):
        """The artists that change only with the data but lie on top of moving ones: the points on ŷ, and the key
        to ℒ's lines."""
        return list(self.points) + [self.loss_key]


def _columns(hidden):
    """The x position of each column of the network: features, H₁ … H_L, ŷ (the features at 0)."""
    count = len(hidden) + 2
    room = _network_width() - _LABEL_ROOM - NODE  # from the features' centre to ŷ's centre
    spacing = min(3.2, room / (count - 1))
    return [i * spacing for i in range(count)]


def _network_width():
    """The network's width in its units, for square pictures: its box's shape times its height."""
    return _NETWORK_HEIGHT * (_NETWORK_BOX[2] * _WIDTH) / (_NETWORK_BOX[3] * _HEIGHT)


def playground_size(captions=True):
    """The picture's (width, height) in inches, with or without the two lines of text at the top."""
    return _WIDTH, _HEIGHT + (_CAPTIONS_HEIGHT if captions else 0.0)


def _in_figure(box, captions):
    """A box given in fractions of the picture below the captions, in fractions of the whole figure."""
    share = _HEIGHT / playground_size(captions)[1]
    left, bottom, width, height = box
    return left, bottom * share, width, height * share


def _rows(count):
    """The y positions of a column's neurons, from the top."""
    return [-float(j) for j in range(count)]


def draw_still(fig, view, animated=True, captions=True, previous=None):
    """Draw the parts that stay on `fig` (cleared first); return the moving artists (PlaygroundArtists).

    With animated=True the moving artists and the points are left out of a normal draw of the
    figure: a panel draws them itself on top of the kept pixels of the still parts.
    captions=False leaves out the step and the numbers at the top. previous: the artists an earlier
    draw_still made on this figure, for other settings (see still_key): only the parts whose settings
    changed are drawn anew (the network for other features or layers, the key line above it for another
    activation), the plane and ℒ stay; the artists' `redrawn` then lists those parts as (box, artists), the
    box ((left, bottom, width, height), fractions of the figure) being where only they draw (None: the whole
    figure was drawn anew).
    """
    if previous is not None:
        return _redraw_changed(previous, view)
    fig.clear()
    network, plane, losses = (fig.add_axes(_in_figure(box, captions)) for box in (_NETWORK_BOX, _PLANE_BOX,
                                                                                   _LOSS_BOX))
    artists = PlaygroundArtists()
    artists.is_animated, artists.captions, artists.network = animated, captions, network
    _draw_network_still(network, view, artists)
    _draw_plane_still(plane, view, artists)
    _draw_losses_still(losses, view, artists)
    artists.key_line = fig.text(0.008, _in_figure((0, 0.955, 0, 0), captions)[1], _key_line(view.settings),
                                fontsize=8, color=style.INK)
    if captions:
        line = (_HEIGHT + 0.12) / playground_size()[1]
        artists.texts["step"] = fig.text(0.008, line, "", fontsize=13, fontweight="bold", color=style.INK)
        artists.texts["numbers"] = fig.text(0.16, line, "", fontsize=10, color=style.INK)
    for artist in artists.animated() + artists.on_top():
        artist.set_animated(animated)
    return artists


def _redraw_changed(artists, view):
    """The parts whose settings changed drawn anew on the figure draw_still drew: the network (its moving
    artists too, without their numbers: draw_moving gives them) for other features or layers, the key line
    for another activation."""
    artists.redrawn = []
    if artists.network_key != _network_key(view.settings):
        network = artists.network
        for artist in [*network.texts, *network.images, *network.collections]:
            artist.remove()
        artists.neuron_images = []
        _draw_network_still(network, view, artists)
        for artist in [artists.links, artists.output_node, *(image for layer in artists.neuron_images
                                                              for image in layer)]:
            artist.set_animated(artists.is_animated)
        artists.redrawn.append((_in_figure(_NETWORK_BOX, artists.captions), [network]))
    if artists.key_line.get_text() != _key_line(view.settings):
        artists.key_line.set_text(_key_line(view.settings))
        artists.redrawn.append((_in_figure(_KEY_BOX, artists.captions), [artists.key_line]))
    return artists


def _node_extent(x, y):
    return (x - NODE / 2, x + NODE / 2, y - NODE / 2, y + NODE / 2)


def _draw_network_still(ax, view, artists):
    settings = view.settings
    artists.network_key = _network_key(settings)
    hidden = settings.hidden
    columns = _columns(hidden)
    ax.set_xlim(-_LABEL_ROOM, _network_width() - _LABEL_ROOM)
    ax.set_ylim(1.15 - _NETWORK_HEIGHT, 1.15)
    ax.set_axis_off()
    heading = {"fontsize": 10, "ha": "center", "va": "bottom", "color": style.INK}
    ax.text(columns[0], 0.55, "features", **heading)
    for name, picture, y in zip(FEATURES, view.feature_pictures, _rows(len(FEATURES))):
        active = name in settings.features
        ax.imshow(_neuron_colours(picture), origin="lower", extent=_node_extent(columns[0], y),
                  alpha=1.0 if active else 0.25, interpolation="antialiased", zorder=2)
        ax.text(columns[0] - NODE / 2 - 0.12, y, FEATURES[name][0], fontsize=9, ha="right", va="center",
                color=style.INK if active else style.RESIDUAL)
    for layer, (size, x) in enumerate(zip(hidden, columns[1:-1]), start=1):
        ax.text(x, 0.55, f"H{subscript(layer)}", **heading)
        blank = np.zeros((2, 2, 3), dtype=np.uint8)
        artists.neuron_images.append([ax.imshow(blank, origin="lower", extent=_node_extent(x, y),
                                                interpolation="antialiased", zorder=2) for y in _rows(size)])
    ax.text(columns[-1], 0.55, "ŷ", **heading)
    artists.output_node = ax.imshow(np.zeros((2, 2, 3), dtype=np.uint8), origin="lower",
                                    extent=_node_extent(columns[-1], 0.0), interpolation="antialiased", zorder=2)
    # one segment per weight, from the right edge of its input to the left edge of its neuron
    sources = [(columns[0], y) for name, y in zip(FEATURES, _rows(len(FEATURES))) if name in settings.features]
    segments = []
    for x, size in zip(columns[1:], [*hidden, 1]):
        targets = [(x, y) for y in _rows(size)]
        segments += [[(sx + NODE / 2, sy), (tx - NODE / 2, ty)] for tx, ty in targets for sx, sy in sources]
        sources = targets
    artists.links = LineCollection(segments, zorder=1, capstyle="round")
    ax.add_collection(artists.links)


def _draw_plane_still(ax, view, artists):
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ticks = np.arange(-LIMIT, LIMIT + 1e-9, 2.0)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    style.style_axes(ax, None, "x⁽¹⁾", "x⁽²⁾", grid=False)
    ax.tick_params(labelsize=8)
    artists.plane_image = ax.imshow(np.zeros((2, 2, 3), dtype=np.uint8), origin="lower",
                                    extent=(-LIMIT, LIMIT, -LIMIT, LIMIT), interpolation="bilinear", zorder=1)
    artists.plane = ax
    _draw_points(artists, view)
    ax.set_title("ŷ over the plane", fontsize=10)


def _draw_points(artists, view):
    """The training (and test) points on the plane and what they show, replacing those drawn before."""
    settings, split, ax = view.settings, view.split, artists.plane
    for artist in artists.points:
        artist.remove()
    before = set(ax.collections)
    if settings.problem == "classification":
        class_points(split.X_train, split.y_train, ax, label_prefix="train: ")
        if settings.show_test:
            class_points(split.X_test, split.y_test, ax, hollow=True, label_prefix="test: ")
        key = "● class 0 (blue) · ■ class 1 (orange)"
    else:
        low, high = view.value_range
        ax.scatter(split.X_train[:, 0], split.X_train[:, 1], s=20, c=value_colours(split.y_train[:, 0], low,
                   high) / 255, edgecolors=style.EDGE, linewidths=0.5, zorder=3)
        if settings.show_test:
            ax.scatter(split.X_test[:, 0], split.X_test[:, 1], s=24, marker="D", linewidths=0.5,
                       c=value_colours(split.y_test[:, 0], low, high) / 255, edgecolors=style.EDGE, zorder=3)
        key = "colour: the target y (blue −1, white 0, orange 1)"
    if settings.problem == "classification":
        shown = "filled: training points · hollow: test points" if settings.show_test else "filled: training points"
    else:
        shown = "● training points · ◆ test points" if settings.show_test else "● training points"
    legend = ax.text(0.0, -0.19, f"{key}\n{shown}", transform=ax.transAxes, fontsize=8, ha="left", va="top",
                     color=style.INK)
    artists.points = [c for c in ax.collections if c not in before] + [legend]
    for artist in artists.points:
        artist.set_animated(artists.is_animated)
    artists.points_key = _points_key(view)


def _draw_losses_still(ax, view, artists):
    ax.set_yscale("log")
    ax.set_ylim(*LOSS_RANGE)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_locator(NullLocator())  # the steps so far fill the width: the step is written above
    style.plain_log_ticks(ax)
    style.style_axes(ax, None, "steps so far →", None)
    ax.tick_params(labelsize=8)
    train_line, = ax.plot([], [], color=style.DATA, linewidth=1.6, label="train")
    test_line, = ax.plot([], [], color=style.MODEL, linewidth=1.6, linestyle="--", label="test")
    artists.loss_key = ax.legend(handles=[train_line, test_line], fontsize=8, loc="upper right")
    artists.lines = [train_line, test_line]
    ax.set_title("ℒ", fontsize=10)


def draw_moving(artists, view):
    """Give the moving artists (from draw_still) the View's numbers: pictures, links, ℒ, texts; new points
    if the data (or whether the test points are shown) changed."""
    settings = view.settings
    if _points_key(view) != artists.points_key:
        _draw_points(artists, view)
    for images, pictures in zip(artists.neuron_images, view.neuron_pictures):
        for image, picture in zip(images, pictures):
            image.set_data(_neuron_colours(picture))
    output = _output_colours(view.output_picture, view.value_range, settings.discretise)
    artists.output_node.set_data(output)
    artists.plane_image.set_data(output)
    artists.plane_image.set_interpolation("nearest" if settings.discretise else "bilinear")
    colours, widths = _link_colours_and_widths(view.weights)
    artists.links.set_color(colours)
    artists.links.set_linewidth(widths)
    keep = np.isfinite(view.train_losses) & np.isfinite(view.test_losses)
    artists.lines[0].set_data(view.steps[keep], view.train_losses[keep])
    artists.lines[1].set_data(view.steps[keep], view.test_losses[keep])
    artists.lines[0].axes.set_xlim(0, max(view.step, 1))
    if artists.texts:
        artists.texts["step"].set_text(step_line(view))
        artists.texts["numbers"].set_text(numbers_line(view))


def step_line(view):
    """The step counter: 'step 1,230'."""
    return f"step {style.number(view.step, ',')}"


def describe_playground(view):
    """The picture in words: the data, the network, the step and its numbers."""
    settings = view.settings
    features = ", ".join(FEATURES[name][0] for name in settings.features)
    layers = (f"hidden layers of {', '.join(map(str, settings.hidden))} {ACTIVATION_LABELS[settings.activation]} "
              f"neurons" if settings.hidden else "no hidden layer")
    return (f"the {settings.dataset} data ({settings.problem}), features {features}, {layers}: {step_line(view)}, "
            f"{numbers_line(view)}")


def numbers_line(view):
    """ℒ and (for classes) the accuracy now, on the training and the test points; or what to do after divergence."""
    if view.diverged:
        return "ℒ diverged: lower η, then ↺ reset"
    evaluation = view.evaluation
    line = (f"ℒ: train {style.number(evaluation.train_loss, '.3f')} · "
            f"test {style.number(evaluation.test_loss, '.3f')}")
    if evaluation.train_accuracy is not None:
        line += (f"      accuracy: train {style.number(evaluation.train_accuracy, '.0%')} · "
                 f"test {style.number(evaluation.test_accuracy, '.0%')}")
    return line


def playground_picture(view):
    """The whole picture of the playground at one moment, on a new figure."""
    fig = style.Figure(figsize=playground_size(), dpi=style.PNG_DPI)
    artists = draw_still(fig, view, animated=False)
    draw_moving(artists, view)
    return style.described(fig, describe_playground(view))
