"""The data: the apartments table (its file, its checks) and the 2-D toy sets."""

import subprocess
import sys

import numpy as np
import pytest

from lecture_utils import data, set_seed
from paths import ROOT


def test_apartments_have_named_columns_as_columns():
    apartments = data.load_apartments()
    assert apartments.names == ("square_feet", "bedrooms", "age", "floor", "price")
    assert len(apartments) == 300
    assert apartments["price"].shape == (300, 1)
    assert apartments.matrix(["square_feet", "age"]).shape == (300, 2)
    assert np.corrcoef(apartments["square_feet"].ravel(), apartments["price"].ravel())[0, 1] > 0.8


def test_the_csv_is_what_the_script_makes(tmp_path):
    committed = (ROOT / "lecture_utils" / "data" / "apartments.csv").read_text()
    script = (ROOT / "data" / "make_apartments.py").read_text()
    out = 'OUT = Path(__file__).resolve().parents[1] / "lecture_utils" / "data" / "apartments.csv"'
    assert out in script
    script = script.replace(out, f'OUT = Path({str(tmp_path / "a.csv")!r})')
    (tmp_path / "make.py").write_text(script)
    subprocess.run([sys.executable, str(tmp_path / "make.py")], check=True, capture_output=True)
    assert (tmp_path / "a.csv").read_text() == committed


def test_an_unknown_column_names_the_columns():
    with pytest.raises(KeyError, match="no column 'size'; the columns are square_feet, bedrooms"):
        data.load_apartments()["size"]


def test_a_missing_file_or_column_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("LECTURE_UTILS_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="apartments.csv is missing"):
        data.load_apartments()
    (tmp_path / "apartments.csv").write_text("square_feet,price\n1000,300\n")
    with pytest.raises(ValueError, match="no column bedrooms, age, floor"):
        data.load_apartments()


def test_data_loads_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(data.load_apartments()) == 300


@pytest.mark.parametrize("name", sorted(data.TOY_SETS))
def test_toy_sets_have_two_balanced_classes_in_the_unit_square(name):
    set_seed(0)
    X, y = data.make_toy(name, n=400, noise=0.05)
    assert X.shape == (400, 2) and y.shape == (400, 1)
    assert set(np.unique(y)) == {0.0, 1.0} and 0.35 < y.mean() < 0.65
    assert np.abs(X).max() < 1.6


def test_toy_sets_repeat_with_the_seed_and_reject_unknown_names():
    set_seed(1)
    first = data.make_toy("spiral", 50)
    set_seed(1)
    assert all(np.array_equal(a, b) for a, b in zip(first, data.make_toy("spiral", 50)))
    with pytest.raises(ValueError, match="unknown toy set 'donut'"):
        data.make_toy("donut")


def test_the_regression_plane_is_the_mean_of_the_two_coordinates():
    X, y = data.make_toy_regression("plane", n=300, rng=np.random.default_rng(0))
    assert X.shape == (300, 2) and y.shape == (300, 1)
    assert np.abs(X).max() <= 1.0 and np.allclose(y.ravel(), (X[:, 0] + X[:, 1]) / 2)
    assert y.min() < -0.8 and y.max() > 0.8


def test_the_multigauss_set_has_bumps_up_and_down_side_by_side():
    X, y = data.make_toy_regression("multigauss", n=2000, rng=np.random.default_rng(0))
    assert np.abs(y).max() <= 1.0 and y.min() < -0.9 and y.max() > 0.9
    centres = np.array([[-0.67, 0.42], [0.0, 0.42], [0.0, -0.42]])
    near = [np.linalg.norm(X - c, axis=1) < 0.08 for c in centres]
    up, down, up_below = (y[rows].mean() for rows in near)
    assert up > 0.8 and down < -0.8 and up_below > 0.8  # neighbours alternate, rows alternate too


def test_regression_noise_jitters_the_points_not_the_targets():
    clean = data.make_toy_regression("plane", n=100, rng=np.random.default_rng(3))
    noisy = data.make_toy_regression("plane", n=100, noise=0.2, rng=np.random.default_rng(3))
    assert np.array_equal(clean[1], noisy[1]) and not np.allclose(clean[0], noisy[0])
    with pytest.raises(ValueError, match="unknown toy regression set 'circle'; choose one of plane, multigauss"):
        data.make_toy_regression("circle")


def test_train_test_split_keeps_every_row_once():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0).reshape(10, 1)
    X_train, y_train, X_test, y_test = data.train_test_split(X, y, 0.3, rng=np.random.default_rng(0))
    assert len(X_test) == 3 and len(X_train) == 7
    assert sorted(np.concatenate([y_train, y_test]).ravel()) == list(range(10))
    assert np.array_equal(X_train[:, 0] / 2, y_train.ravel())
