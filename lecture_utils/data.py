"""The lecture's data: the apartments table and 2-D toy sets for classifiers.

Notebooks reach data only through this module, never through a path relative to
the notebook, so a notebook runs from any folder.

    apartments = load_apartments()
    x = apartments["square_feet"]                      # [300×1] column
    X = apartments.matrix(["square_feet", "age"])      # [300×2]
    y = apartments["price"]                            # [300×1]

    X, y = make_toy("circle", n=200, noise=0.1)        # X [200×2], labels y [200×1] in {0, 1}
    X, y = make_toy_regression("plane", n=200)         # X [200×2], targets y [200×1] in [-1, 1]
"""

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np

from .seed import get_rng

__all__ = ["Table", "load_apartments", "load_csv", "data_dir", "with_outlier", "make_toy", "TOY_SETS",
           "make_toy_regression", "TOY_REGRESSION_SETS", "train_test_split"]

APARTMENT_COLUMNS = ("square_feet", "bedrooms", "age", "floor", "price")


def data_dir():
    """The folder with the data files: $LECTURE_UTILS_DATA if set, else the package's own data/.

    The package's files are read through importlib.resources, so they are found wherever
    the package is installed (a wheel, a Colab runtime, a JupyterHub image).
    """
    override = os.environ.get("LECTURE_UTILS_DATA")
    return Path(override) if override else files(__package__) / "data"


@dataclass(frozen=True)
class Table:
    """Columns of numbers with names, read from a CSV file.

    table["price"]              one column as [N×1]
    table.matrix(["a", "b"])    several columns side by side, [N×D]
    """

    columns: dict

    @property
    def names(self):
        return tuple(self.columns)

    def __len__(self):
        return len(next(iter(self.columns.values())))

    def __getitem__(self, name):
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; the columns are {', '.join(self.names)}.")
        return self.columns[name].reshape(-1, 1)

    def matrix(self, names):
        """The named columns as one [N×D] matrix (rows are apartments, columns predictors)."""
        return np.hstack([self[name] for name in names])

    def __repr__(self):
        return f"Table({len(self)} rows: {', '.join(self.names)})"


def load_csv(filename, required_columns=()):
    """Read <filename> from data_dir() (a header line, then numbers) into a Table; check its columns."""
    path = data_dir() / filename
    if not path.is_file():
        raise FileNotFoundError(
            f"The data file {path} is missing. It ships inside the package (lecture_utils/data/); "
            "reinstall the package (pip install lecture-utils), or set LECTURE_UTILS_DATA to a "
            "folder that holds it."
        )
    with path.open() as f:
        header = f.readline().strip().split(",")
        values = np.loadtxt(f, delimiter=",", ndmin=2)
    missing = [name for name in required_columns if name not in header]
    if missing:
        raise ValueError(f"{path.name} has no column {', '.join(missing)}; it has {', '.join(header)}.")
    if values.shape[1] != len(header):
        raise ValueError(f"{path.name}: {values.shape[1]} values per row, but {len(header)} column names.")
    return Table({name: values[:, i] for i, name in enumerate(header)})


def load_apartments():
    """The (synthetic) apartments: square_feet, bedrooms, age, floor and price (k$), 300 rows."""
    return load_csv("apartments.csv", APARTMENT_COLUMNS)


# --- 2-D toy sets (as in TensorFlow Playground) ---------------------------------------

def with_outlier(x, y, outlier):
    """x, y [N] (or [N×1]) with one more sample (x₀, y₀) appended as the last one: [N+1] each."""
    x0, y0 = outlier
    return np.append(np.ravel(x), x0), np.append(np.ravel(y), y0)


def _circle(n, rng):
    """Label 1 inside a disc, 0 on a ring around it."""
    inside = rng.random(n) < 0.5
    radius = np.where(inside, rng.uniform(0, 0.5, n), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), inside


def _xor(n, rng):
    """Label 1 where x⁽¹⁾ and x⁽²⁾ have the same sign."""
    X = rng.uniform(-1, 1, (n, 2))
    X += np.sign(X) * 0.05  # a small gap along the axes
    return X, X[:, 0] * X[:, 1] > 0


def _gauss(n, rng):
    """Two Gaussian blobs."""
    label = rng.random(n) < 0.5
    centre = np.where(label[:, None], 0.5, -0.5)
    return centre + rng.normal(0, 0.25, (n, 2)), label


def _spiral(n, rng):
    """Two interleaved spirals."""
    label = rng.random(n) < 0.5
    t = rng.uniform(0.1, 1.0, n)
    angle = 3.5 * np.pi * t + np.where(label, np.pi, 0.0)
    return np.column_stack([t * np.cos(angle), t * np.sin(angle)]), label


def _moons(n, rng):
    """Two interleaving half circles."""
    label = rng.random(n) < 0.5
    angle = rng.uniform(0, np.pi, n)
    upper = np.column_stack([np.cos(angle) - 0.5, np.sin(angle) - 0.25])
    lower = np.column_stack([0.5 - np.cos(angle), 0.25 - np.sin(angle)])
    return np.where(label[:, None], lower, upper) * 0.8, label


TOY_SETS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral, "moons": _moons}


def make_toy(name, n=200, noise=0.0, rng=None):
    """A 2-D classification set: X [n×2] within about [-1, 1]², labels y [n×1] in {0., 1.}.

    name: "circle", "xor", "gauss", "spiral" or "moons"; noise: std of Gaussian jitter.
    Uses the generator from set_seed unless `rng` is given.
    """
    if name not in TOY_SETS:
        raise ValueError(f"unknown toy set {name!r}; choose one of {', '.join(TOY_SETS)}.")
    rng = get_rng(rng)
    X, label = TOY_SETS[name](n, rng)
    X = X + rng.normal(0, noise, X.shape) if noise else X
    return X.astype(np.float64), label.astype(np.float64).reshape(-1, 1)


# --- 2-D toy sets for regression (as in TensorFlow Playground): a number for every point -----

def _plane(X):
    """A tilted plane: y = (x⁽¹⁾ + x⁽²⁾) / 2."""
    return (X[:, 0] + X[:, 1]) / 2


# Six bumps, alternately up and down: (centre x⁽¹⁾, centre x⁽²⁾, height).
_BUMPS = ((-0.67, 0.42, 1.0), (0.0, 0.42, -1.0), (0.67, 0.42, 1.0),
          (-0.67, -0.42, -1.0), (0.0, -0.42, 1.0), (0.67, -0.42, -1.0))
_BUMP_WIDTH = 0.25


def _multigauss(X):
    """Six Gaussian bumps, up and down, side by side: y = Σ height · exp(−|x − centre|² / (2·0.25²))."""
    y = np.zeros(len(X))
    for c1, c2, height in _BUMPS:
        y += height * np.exp(-((X[:, 0] - c1) ** 2 + (X[:, 1] - c2) ** 2) / (2 * _BUMP_WIDTH**2))
    return y  # within [-1, 1]: near the top of one bump, its neighbours pull it down a little


TOY_REGRESSION_SETS = {"plane": _plane, "multigauss": _multigauss}


def make_toy_regression(name, n=200, noise=0.0, rng=None):
    """A 2-D regression set: X [n×2] uniform in [-1, 1]², targets y [n×1] in [-1, 1].

    name: "plane" or "multigauss"; noise: std of Gaussian jitter of the points (the
    targets belong to where the points were before the jitter).
    Uses the generator from set_seed unless `rng` is given.
    """
    if name not in TOY_REGRESSION_SETS:
        raise ValueError(f"unknown toy regression set {name!r}; choose one of {', '.join(TOY_REGRESSION_SETS)}.")
    rng = get_rng(rng)
    X = rng.uniform(-1, 1, (n, 2))
    y = TOY_REGRESSION_SETS[name](X)
    X = X + rng.normal(0, noise, X.shape) if noise else X
    return X, y.reshape(-1, 1)


def train_test_split(X, y, test_fraction=0.5, rng=None):
    """Shuffle the rows and split them: (X_train, y_train, X_test, y_test)."""
    rng = get_rng(rng)
    order = rng.permutation(len(X))
    n_test = int(round(len(X) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]
