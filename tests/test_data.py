"""The data: the apartments table (its file, its checks) and the 2-D toy sets."""

import subprocess
import sys

import numpy as np
import pytest

from paths import ROOT
from lecture_utils import data, set_seed


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


def test_train_test_split_keeps_every_row_once():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0).reshape(10, 1)
    X_train, y_train, X_test, y_test = data.train_test_split(X, y, 0.3, rng=np.random.default_rng(0))
    assert len(X_test) == 3 and len(X_train) == 7
    assert sorted(np.concatenate([y_train, y_test]).ravel()) == list(range(10))
    assert np.array_equal(X_train[:, 0] / 2, y_train.ravel())
