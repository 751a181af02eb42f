"""Checks of notebook 09: one training step and a full training run.

Correct answers pass; typical mistakes fail with the right hint; a run is judged on
fresh data, alone (with the reference training step), in bounded time.
"""

import random

import numpy as np
import pytest

from hostile_submissions import NO_TRAINING_09, OWN_LOOP_09
from lecture_utils import Add, Mul, ReLU, Sub, T, Tensor, set_seed, zero_grad
from lecture_utils.checks import check_train_network, check_training_step
from lecture_utils.checks import training as training_checks
from lecture_utils.nn import SGD, mse
from lecture_utils.seed import get_rng
from verdicts import defined, outcome

# The notebook's helpers, as a learner's namespace has them.

def init_params(D, M):
    W1 = Tensor(np.random.randn(D, M) * np.sqrt(2 / D), name="W1", requires_grad=True)
    b1 = Tensor(np.zeros((1, M)), name="b1", requires_grad=True)
    W2 = Tensor(np.random.randn(M, 1) * 0.01 / np.sqrt(M), name="W2", requires_grad=True)
    b2 = Tensor(np.zeros((1, 1)), name="b2", requires_grad=True)
    return [W1, b1, W2, b2]


def forward(X, W1, b1, W2, b2):
    return Add(Mul(ReLU(Add(Mul(X, W1), b1)), W2), b2)


# --- Exercise 1: training_step ---------------------------------------------------------------------

def training_step(params, X, y, lr):
    loss = mse(y, forward(X, *params))
    zero_grad(params)
    loss.backward()
    for p in params:
        p.value -= lr * p.grad
    return loss.value.item()


def lecture_loss_step(params, X, y, lr):
    """The lecture's loss errᵀerr / N, the optimiser from nn, operators instead of op names."""
    W1, b1, W2, b2 = params
    err = Sub(y, ReLU(X @ W1 + b1) @ W2 + b2)
    loss = Mul(T(err), err) / len(X)
    optimizer = SGD(params, lr)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss.value[0, 0])


@pytest.mark.parametrize("thorough", [False, True])
@pytest.mark.parametrize("solution", [training_step, lecture_loss_step])
def test_training_step_passes_correct_solutions(capsys, solution, thorough):
    passed, out = outcome(capsys, check_training_step, solution, thorough)
    assert passed, out
    assert "to round-off" in out


def test_training_step_with_the_learners_engine_is_tested_alone(capsys):
    """A step built on notebook 09's own backward keeps its mark when that backward is wrong."""
    namespace = defined("def backward(loss):\n    pass\n"                                    # wrong: no-op
                        "def training_step(params, X, y, lr):\n"
                        "    err = Sub(y, forward(X, *params))\n"
                        "    loss = Mul(Mul(T(err), err), Tensor(np.array([[1 / len(X)]])))\n"   # errᵀerr · 1/N
                        "    zero_grad(params)\n"
                        "    backward(loss)\n"
                        "    for p in params:\n"
                        "        p.value -= lr * p.grad\n"
                        "    return loss.value.item()\n",
                        np=np, zero_grad=zero_grad, forward=forward, Sub=Sub, Mul=Mul, T=T, Tensor=Tensor)
    passed, out = outcome(capsys, check_training_step, namespace["training_step"])
    assert passed, out
    assert namespace["backward"](None) is None  # the learner's own is back afterwards


def step_variant(forget_zero=False, sign=-1, use_lr=True, return_after=False, backward_twice=False,
                 sum_loss=False, new_tensors=False, zero_after_backward=False, returns="float", skip=None):
    def step(params, X, y, lr):
        y_hat = forward(X, *params)
        loss = mse(y, y_hat) * (len(X) if sum_loss else 1)
        if not forget_zero and not zero_after_backward:
            zero_grad(params)
        loss.backward()
        if backward_twice:
            loss.backward()
        if zero_after_backward:
            zero_grad(params)
        for i, p in enumerate(params):
            if p.name == skip:
                continue
            change = (lr if use_lr else 1.0) * p.grad
            if new_tensors:
                params[i] = Tensor(p.value + sign * change, name=p.name, requires_grad=True)
            else:
                p.value += sign * change
        if return_after:
            return mse(y, forward(X, *params)).value.item()
        return {"float": loss.value.item(), "tensor": loss, "none": None, "array": loss.value}[returns]
    return step


@pytest.mark.parametrize("wrong, hint", [
    (step_variant(forget_zero=True), "zero the gradients before backward()"),
    (step_variant(sign=+1), "step downhill"),
    (step_variant(use_lr=False), "multiply the gradient by the learning rate η"),
    (step_variant(backward_twice=True), "call backward() once per step"),
    (step_variant(sum_loss=True), "divide the sum by N"),
    (step_variant(new_tensors=True), "W1 did not change: update it in place"),
    (step_variant(skip="b2"), "b2 did not change"),
    (step_variant(zero_after_backward=True), "zero the gradients BEFORE backward()"),
    (step_variant(return_after=True), "computed before the update"),
    (step_variant(returns="tensor"), "loss.value.item()"),
    (step_variant(returns="none"), "return"),
    (lambda params, X, y, lr: 0.5, "left W1.value as"),  # does nothing, returns a made-up number
    (lambda params, X, y, lr: undefined(params), "raised NameError"),  # noqa: F821
])
def test_training_step_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_training_step, wrong)
    assert not passed and hint in out, out


def test_training_step_accepts_a_one_by_one_array_as_the_loss(capsys):
    passed, out = outcome(capsys, check_training_step, step_variant(returns="array"))
    assert passed, out


def test_training_step_not_attempted(capsys):
    def stub(params, X, y, lr):
        raise NotImplementedError()

    passed, out = outcome(capsys, check_training_step, stub)
    assert not passed and "not attempted yet" in out


# --- Exercise 2: train_network ---------------------------------------------------------------------

def train_network(X, y):
    params = init_params(X.shape[1], 16)
    for _ in range(300):
        training_step(params, X, y, lr=0.1)
    return params


def trainer(steps=300, lr=0.1, M=16, returns=None):
    def train(X, y):
        params = init_params(X.shape[1], M)
        for _ in range(steps):
            training_step(params, X, y, lr)
        return params if returns is None else returns(params)
    return train


@pytest.mark.parametrize("thorough", [False, True])
def test_train_network_passes_a_sensible_run(capsys, thorough):
    passed, out = outcome(capsys, check_train_network, train_network, thorough)
    assert passed, out
    assert "below 0.2" in out and "fresh data set" in out


def test_train_network_passes_with_training_step_and_arrays(capsys):
    def returns_arrays(X, y):
        params = init_params(X.shape[1], 32)
        for _ in range(400):
            training_step(params, X, y, 0.05)
        return tuple(p.value for p in params)

    passed, out = outcome(capsys, check_train_network, returns_arrays)
    assert passed, out


@pytest.mark.parametrize("wrong, hint", [
    (trainer(steps=0), "train them with training_step(params, X, y, lr) in a loop"),
    (trainer(steps=2, lr=0.01), "only 2 training steps"),
    (trainer(steps=150, lr=1e-5), "hardly learned"),
    (trainer(lr=5.0), "diverged: use a smaller learning rate"),
    (trainer(steps=3001, lr=0.01), "more than 3000 training steps"),
    (trainer(returns=lambda p: None), "return the trained parameters"),
    (trainer(returns=lambda p: p[:2]), "in the order W1, b1, W2, b2"),
    (trainer(returns=lambda p: [p[2], p[3], p[0], p[1]]), "needs W1 ["),
    (trainer(returns=lambda p: [p[0], p[1], p[2], "b2"]), "expected a Tensor"),
    (trainer(returns=lambda p: p[0]), "expected the list [W1, b1, W2, b2]"),
])
def test_train_network_catches_typical_mistakes(capsys, wrong, hint):
    with np.errstate(all="ignore"):
        passed, out = outcome(capsys, check_train_network, wrong)
    assert not passed and hint in out, out


def test_a_wrong_training_step_does_not_cost_the_training_run(capsys):
    namespace = {"np": np, "init_params": init_params}
    exec("def training_step(params, X, y, lr):\n    return 0.0  # wrong: changes nothing\n\n"
         "def train_network(X, y):\n    params = init_params(X.shape[1], 16)\n"
         "    for _ in range(300):\n        training_step(params, X, y, 0.1)\n    return params\n", namespace)
    passed, out = outcome(capsys, check_train_network, namespace["train_network"])
    assert passed, out
    assert namespace["training_step"](None, None, None, None) == 0.0  # the learner's own is back


@pytest.fixture
def seeded_checks(monkeypatch):
    """Make the checks' fresh random inputs repeatable, one seed per call."""
    real = np.random.default_rng
    seeds = iter(range(1000, 2000))
    monkeypatch.setattr(np.random, "default_rng", lambda seed=None: real(next(seeds) if seed is None else seed))


def test_hard_coded_weights_fail_on_fresh_data(capsys, seeded_checks):
    """Weights trained once (here on a data set like the check's, with D = 4) are no use on the next."""
    set_seed(0)
    data_sets = (training_checks.apartment_like_data(np.random.default_rng(seed)) for seed in range(100))
    X, y, _, _ = next(data for data in data_sets if data[0].shape[1] == 4)
    remembered = [p.value.copy() for p in train_network(X, y)]
    failures = 0
    for _ in range(10):
        passed, _ = outcome(capsys, check_train_network, lambda X, y: [Tensor(v) for v in remembered])
        failures += not passed
    assert failures == 10


def test_the_training_run_leaves_the_notebooks_random_numbers_alone(capsys):
    set_seed(3)
    expected = (np.random.rand(), random.random(), get_rng().random())
    set_seed(3)
    passed, _ = outcome(capsys, check_train_network, train_network)
    assert passed and (np.random.rand(), random.random(), get_rng().random()) == expected


def test_apartment_like_data_is_standardised_and_has_a_learnable_rule():
    rng = np.random.default_rng(0)
    for _ in range(5):
        X_train, y_train, X_test, y_test = training_checks.apartment_like_data(rng)
        D = X_train.shape[1]
        assert 3 <= D <= 6 and X_train.shape == (300, D) and X_test.shape == (100, D)
        assert y_train.shape == (300, 1) and y_test.shape == (100, 1)
        assert np.allclose(X_train.mean(axis=0), 0) and np.allclose(X_train.std(axis=0), 1)
        assert y_train.mean() == pytest.approx(0) and y_train.std() == pytest.approx(1)
        # predicting the mean gives about 1; a straight line leaves the bend unexplained
        A = np.column_stack([X_train, np.ones(300)])
        coefficients, *_ = np.linalg.lstsq(A, y_train, rcond=None)
        linear = np.mean((np.column_stack([X_test, np.ones(100)]) @ coefficients - y_test) ** 2)
        assert 0.5 < np.mean(y_test**2) < 2 and linear > 0.02


# --- train_network: trained by training_step, from a start that did not fit ------------------------------------------

@pytest.mark.parametrize("source", [NO_TRAINING_09["train_network"], OWN_LOOP_09["train_network"]])
def test_train_network_without_its_training_step_does_not_pass(capsys, source):
    learner = defined(source, np=np, Tensor=Tensor, init_params=init_params, forward=forward, zero_grad=zero_grad,
                      lecture_loss=lambda y, y_hat: mse(y, y_hat))
    passed, out = outcome(capsys, check_train_network, learner["train_network"])
    assert not passed and "are not the ones a call of training_step left" in out, out


def test_train_network_from_fitted_parameters_does_not_pass(capsys):
    def warm_start(X, y):
        params = init_params(X.shape[1], 16)
        H = np.hstack([np.maximum(X @ params[0].value + params[1].value, 0), np.ones((len(X), 1))])
        w = np.linalg.lstsq(H, y, rcond=None)[0]
        params[2].value[...], params[3].value[...] = w[:-1], w[-1:]
        training_step(params, X, y, 0.01)
        return params

    passed, out = outcome(capsys, check_train_network, warm_start)
    assert not passed and "started from parameters that already fit" in out, out


def test_train_network_passes_minibatches_and_the_best_of_several_runs_on_fresh_data(capsys):
    def minibatches(X, y):
        params, rng = init_params(X.shape[1], 16), np.random.default_rng()
        for _ in range(600):
            rows = rng.choice(len(X), 32, replace=False)
            training_step(params, X[rows], y[rows], 0.1)
        return params

    def best_of_two(X, y):
        runs = []
        for _ in range(2):
            params = init_params(X.shape[1], 16)
            losses = [training_step(params, X, y, 0.1) for _ in range(300)]
            runs.append((losses[-1], params))
        return min(runs, key=lambda run: run[0])[1]

    for solution in (train_network, minibatches, best_of_two):
        for _ in range(3):
            passed, out = outcome(capsys, check_train_network, solution, thorough=True)
            assert passed, out
