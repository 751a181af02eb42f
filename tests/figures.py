"""Read back what a matplotlib figure shows, so tests can compare pictures as data."""

import io

import numpy as np
from PIL import Image


def snapshot(fig):
    """Everything drawn on a figure, as plain comparable values (axes by axes)."""
    return [axes_snapshot(ax) for ax in fig.axes]


def axes_snapshot(ax):
    lines = [np.round(np.asarray(line.get_xydata(), dtype=float), 9).tolist() for line in ax.get_lines()]
    collections = []
    for collection in ax.collections:
        entry = {}
        offsets = collection.get_offsets()
        if len(offsets):
            entry["offsets"] = np.round(np.asarray(offsets, dtype=float), 9).tolist()
        if hasattr(collection, "get_segments"):
            entry["segments"] = [np.round(np.asarray(s, dtype=float), 9).tolist() for s in collection.get_segments()]
        array = collection.get_array()
        if array is not None:
            entry["array"] = np.round(np.asarray(array, dtype=float), 9).tolist()
        collections.append(entry)
    images = [np.round(np.asarray(image.get_array(), dtype=float), 9).tolist() for image in ax.get_images()]
    texts = [t.get_text() for t in ax.texts]
    patches = [np.round(p.get_path().vertices, 9).tolist() for p in ax.patches]
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "lines": lines,
        "collections": collections,
        "images": images,
        "texts": texts,
        "patches": patches,
    }


def layers_snapshot(panel):
    """What a panel's picture shows, axes by axes: each still axes' snapshot with its moving twin's added
    (the twin's title if it has one), as snapshot(fig) would give for the same picture drawn on one set of axes."""
    merged = []
    for still, moving in zip(panel.layers.still, panel.layers.moving):
        a, b = axes_snapshot(still), axes_snapshot(moving)
        merged.append({key: (b[key] or a[key]) if isinstance(a[key], str) else a[key] + b[key] for key in a})
    return merged


def titles(fig):
    return [ax.get_title() for ax in fig.axes]


def changed_axes(before, after):
    """Indices of the axes whose drawing differs between two snapshots."""
    return [i for i, (a, b) in enumerate(zip(before, after)) if a != b]


def texts(ax):
    """The texts written on one axes, in drawing order."""
    return [t.get_text() for t in ax.texts]


def all_texts(fig):
    """The texts written on every axes of a figure, axes by axes."""
    return [text for ax in fig.axes for text in texts(ax)]


def pixels(png):
    """A PNG's pixels as an [H×W×3] array of ints (RGB), to compare pictures."""
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGB")).astype(int)

