"""A picture's two layers: the still axes, and on top of each a moving twin.

    layers = Layers(picture, grid=(1, 2))
    alt = layers.draw(still=frame, moving=parts)     # frame(axes=...), parts(axes=...) -> the text alternative
    alt = layers.draw(moving=parts)                  # the still pixels kept, the moving parts drawn again
    alt = layers.draw(parts, still=frame, key=(30, -75))   # the still pixels for this key kept, to copy
    alt = layers.draw(parts, moving_key=(0.5,))      # the whole picture for this key kept, to copy

`layers.still` are the picture's axes, laid out as a grid; `layers.moving` holds one twin
of each, in the same place, drawn after it: transparent, without a frame of its own, with
the still axes' limits, scales, aspect and (3-D) view. What a moving function draws is on
the twins, so the moving parts are exactly those: the twins are set animated, the still
pixels are drawn without them, and each change empties them and draws them again on the
kept pixels (Picture.draw_moving). A moving part's title, legend and texts move with it.

frames=True: the moving functions also draw their axes' frames (limits, ticks, labels, grid,
as a live plot redrawn from scratch does): the twins have frames, and each change empties them
and sets their data limits from what is drawn next; the still axes show nothing.

Drawn again, a layer's axes are emptied, not cleared (making an axes' ticks anew costs more than
the rest of a redraw): what it drew, its legend, titles and axis labels go, and its limits follow
the data drawn next; a drawing sets anything else it needs (limits, view, aspect) every time.

A still drawing with a `key` (what it depends on, e.g. its controls' values) keeps its pixels
for that key: drawn again for a key it had before (a slider moved back and forth), its artists
are made anew but not rasterised, its pixels copied (the last PICTURES_KEPT keys). So is a
moving drawing with a `moving_key`, one that depends on nothing else (no state a button
changes): the whole picture is kept for that key and the still pixels it lies on.

A function gets its axes as the plot functions take them: `ax=` for a (1, 1) grid, else
`axes=` (a list, row by row).
"""

from collections import OrderedDict

from matplotlib import rc_context

__all__ = ["Layers"]

# A twin has nothing above it for a title to clear (no plot puts ticks on top): its titles sit where the
# still axes' would, and matplotlib need not measure the axes' decorations on every draw to place them.
_TITLES_PLACED = {"axes.titley": 1.0}
PICTURES_KEPT = 8  # still pictures, and whole ones, kept as pixels by key for one figure (about 1.5 MB each)


class Layers:
    """The still axes of `picture` as a `grid` of (rows, columns) and their moving twins.

    subplot_kw e.g. {"projection": "3d"}; more keywords (gridspec_kw, ...) go to Figure.subplots.
    """

    def __init__(self, picture, grid=(1, 1), frames=False, subplot_kw=None, **subplots_kw):
        self.picture, self.frames = picture, frames
        self._still_pictures = _Kept()  # key -> the still pixels drawn for it
        self._pictures = _Kept()  # (still key, moving key) -> the whole picture drawn for them
        self._still_key = None  # the key of the still pixels kept now
        figure = picture.figure
        self.still = list(figure.subplots(*grid, squeeze=False, subplot_kw=subplot_kw, **subplots_kw).ravel())
        with rc_context(_TITLES_PLACED):  # read once, when an axes is made
            self.moving = [figure.add_subplot(ax.get_subplotspec(), label=f"moving {i}", **(subplot_kw or {}))
                           for i, ax in enumerate(self.still)]
        for still, moving in zip(self.still, self.moving):
            moving.set_animated(True)  # drawn only by draw_moving, on the kept still pixels
            moving.patch.set_visible(False)
            (still if frames else moving).set_axis_off()

    def draw(self, moving, still=None, key=None, moving_key=None):
        """Draw the still layer with still(...) if given (its pixels copied if kept for `key`), then the moving
        layer with moving(...) (the whole picture copied if kept for `moving_key` on these still pixels); show
        neither. Returns what moving(...) returned: the picture's text alternative."""
        if still is not None:
            for ax in self.picture.figure.axes:
                if ax not in self.still and ax not in self.moving:
                    ax.remove()  # what a still drawing added (e.g. a colorbar) goes with it
            for ax in self.still:
                _empty(ax)
            still(**_target(self.still))
        for ax, twin in zip(self.still, self.moving):
            _empty(twin)
            if not self.frames:
                _follow(twin, ax)
        alt = moving(**_target(self.moving))
        if still is not None or not self.picture.kept:
            self._still_key = key
            self.picture.still = self._still_pictures.get(key)
            if self.picture.still is None:
                self.picture.draw_still()  # the first time also lays out both layers (the twins' titles too)
                self._still_pictures.put(key, self.picture.still)
        whole = None if moving_key is None or self._still_key is None else (self._still_key, moving_key)
        picture = self._pictures.get(whole)
        if picture is None:
            self.picture.draw_moving(self.moving)
            self._pictures.put(whole, self.picture.canvas.copy_from_bbox(self.picture.figure.bbox))
        else:
            self.picture.canvas.restore_region(picture)
        return alt


class _Kept(OrderedDict):
    """Pictures kept as pixels by key: the last PICTURES_KEPT (the key None is never kept)."""

    def get(self, key):
        if key is None or key not in self:
            return None
        self.move_to_end(key)
        return self[key]

    def put(self, key, pixels):
        if key is not None:
            self[key] = pixels
            if len(self) > PICTURES_KEPT:
                self.popitem(last=False)


def _target(axes):
    return {"ax": axes[0]} if len(axes) == 1 else {"axes": axes}


def _empty(ax):
    """Take away what a drawing drew on `ax`: its artists, legend, titles and axis labels; its limits follow
    the data drawn next unless the drawing sets them. Not Axes.cla: that makes the axes' ticks anew, which
    costs more than the rest of a redraw. A drawing sets what else it needs (limits, view, aspect) each time."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists, *ax.tables]:
        artist.remove()
    ax.containers.clear()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    for loc in ("left", "center", "right"):
        if ax.get_title(loc):
            ax.set_title("", loc=loc)
    for name in ("x", "y", "z") if ax.name == "3d" else ("x", "y"):
        if getattr(ax, f"get_{name}label")():
            getattr(ax, f"set_{name}label")("")
    ax.relim()
    ax.set_autoscale_on(True)


def _follow(twin, ax):
    """Give the moving twin the still axes' coordinates: scales, limits, aspect (and a 3-D view)."""
    for axis in "xy":
        if getattr(twin, f"get_{axis}scale")() != getattr(ax, f"get_{axis}scale")():
            getattr(twin, f"set_{axis}scale")(getattr(ax, f"get_{axis}scale")())
    twin.set_xlim(ax.get_xlim())
    twin.set_ylim(ax.get_ylim())
    if ax.name == "3d":
        twin.set_zlim(ax.get_zlim())
        twin.view_init(elev=ax.elev, azim=ax.azim, roll=ax.roll)
        twin.set_box_aspect(ax.get_box_aspect())
    else:
        twin.set_aspect(ax.get_aspect(), adjustable=ax.get_adjustable(), anchor=ax.get_anchor())
