"""A model's output over a square of the plane: what a classifier's decision regions are drawn from.

    regions = output_regions(lambda P: net(P).value, limit=1.5, resolution=80)
    regions.outputs                      # [80×80]: the output at every point of the grid

Row r, column c of `outputs` is the output at (x⁽¹⁾, x⁽²⁾) = (grid[c], grid[r]): rows follow x⁽²⁾,
as an image of the plane with x⁽²⁾ upwards. numpy only.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["Regions", "output_regions", "RegionsCompared", "compare_regions"]


class Regions(NamedTuple):
    """The output of a model at every point of a resolution × resolution grid over [−limit, limit]²."""

    limit: float
    grid: np.ndarray
    outputs: np.ndarray


def output_regions(predict, limit=1.5, resolution=80):
    """predict: points [M×2] -> outputs [M×1] (e.g. lambda P: net(P).value), on the grid of the plane."""
    grid = np.linspace(-limit, limit, resolution)
    G1, G2 = np.meshgrid(grid, grid)
    outputs = np.asarray(predict(np.column_stack([G1.ravel(), G2.ravel()])), dtype=float).reshape(G1.shape)
    return Regions(limit, grid, outputs)


class RegionsCompared(NamedTuple):
    """Two models on the same grid, and the largest difference of their outputs anywhere on it."""

    first: Regions
    second: Regions
    difference: float


def compare_regions(first, second, limit=1.5, resolution=80):
    """The outputs of two models (functions as for output_regions) over the same square, side by side."""
    a, b = (output_regions(predict, limit, resolution) for predict in (first, second))
    return RegionsCompared(a, b, float(np.max(np.abs(a.outputs - b.outputs))))
