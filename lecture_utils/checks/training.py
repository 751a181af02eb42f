"""Checks for notebook 09: one training step of the lecture's network, and a full training run.

The network is ŷ = ReLU(XW₁ + b₁)W₂ + b₂ with the mean squared error ℒ, its
parameters given as the list [W1, b1, W2, b2] of Tensors.
"""

import random

import numpy as np

from ..autograd import Add, Mul, ReLU, Tensor, shape_str, zero_grad
from ..nn import mse
from ..seed import get_rng
from .backprop import network_gradients, network_scales
from .engine import ALLOWED_WHILE_GRADING  # noqa: F401  notebook 09's, declared once
from .engine import reference_backward
from .exercise import Exercise, NUMERICAL_DERIVATIVES, grading
from .verdicts import Failed

__all__ = ["check_training_step", "check_train_network"]

PARAMETER_NAMES = ("W1", "b1", "W2", "b2")
TARGET_TEST_LOSS = 0.2    # the held-out ℒ a full training run must get below
MAX_STEPS = 3000          # training_step calls allowed per run: keeps the check short


def reference_forward(X, W1, b1, W2, b2):
    """ŷ = ReLU(XW₁ + b₁)W₂ + b₂ with numpy arrays: X [N×D] -> ŷ [N×1]."""
    return np.maximum(0.0, X @ W1 + b1) @ W2 + b2


def reference_training_step(params, X, y, lr):
    """One step of gradient descent on ℒ = MSE; params = [W1, b1, W2, b2] (Tensors). Returns ℒ before it."""
    W1, b1, W2, b2 = params
    loss = mse(Tensor(y), Add(Mul(ReLU(Add(Mul(Tensor(X), W1), b1)), W2), b2))
    zero_grad(params)
    loss.backward()
    for p in params:
        p.value -= lr * p.grad
    return loss.value.item()


# --- Exercise 1: one training step ----------------------------------------------------------

@grading(off_limits=["lecture_utils.nn.train", *NUMERICAL_DERIVATIVES], uses=["lecture_utils.autograd.Tensor.backward"])
def check_training_step(training_step, thorough=False):
    """training_step(params, X, y, lr): forward, loss, zero the gradients, backward, update; returns ℒ.

    Accepts one step of gradient descent with the gradients of a backward pass: every updated
    parameter must equal θ − η·∂ℒ/∂θ to round-off (gradients from a numerical derivative do not).
    The parameters arrive with gradients left over from an earlier backward pass, as
    they would after a gradient check: a step that does not zero them uses wrong gradients.
    The learner's `backward` (notebook 09's engine), if the step uses it, is replaced by the
    reference engine while this runs; `loss.backward()` works as well.
    """
    __tracebackhide__ = True
    with Exercise("training_step", training_step, thorough, stand_in=reference_training_step) as ex:
        sizes = ex.sizes([6, 40, 1])  # one row last: the mean and the sum then agree
        for N in sizes:
            D, M = int(ex.rng.integers(1, 5)), int(ex.rng.integers(2, 9))
            X, y = ex.rng.normal(size=(N, D)), ex.rng.normal(size=(N, 1))
            lr = float(ex.rng.uniform(0.01, 0.3))
            start = {"W1": ex.rng.normal(0, 1, (D, M)), "b1": ex.rng.normal(0, 0.5, (1, M)),
                     "W2": ex.rng.normal(0, 1, (M, 1)), "b2": ex.rng.normal(0, 0.5, (1, 1))}
            loss_before = np.mean((reference_forward(X, *start.values()) - y) ** 2)
            gradients, sizes_of = network_gradients(X, y, **start), network_scales(X, y, **start)
            params = [Tensor(value, name=name, requires_grad=True) for name, value in start.items()]
            stale = {name: ex.rng.normal(0, 1, value.shape) for name, value in start.items()}
            for p in params:
                p.grad = stale[p.name].copy()  # left over from an earlier pass
            originals = list(params)  # the learner's code may replace entries of its list
            inputs = {"X": X, "y": y, "lr": lr, "W1": start["W1"]}
            got = _call_step(ex, params, X, y, lr)
            for p in originals:
                name, old, g = p.name, start[p.name], gradients[p.name]
                mistakes = {
                    "step downhill: θ ← θ − η·∂ℒ/∂θ (minus, not plus).": old + lr * g,
                    "multiply the gradient by the learning rate η.": old - g,
                    f"zero the gradients before backward(): {name} arrived with a gradient left over "
                    "from an earlier pass, and backward() adds to it.": old - lr * (g + stale[name]),
                    f"{name} did not change: update it in place, {name}.value -= lr * {name}.grad "
                    "(a new Tensor would leave the network's own parameter as it was).": old,
                    "call backward() once per step: a second call adds the same gradients again.": old - 2 * lr * g,
                }
                if N > 1:
                    mistakes["ℒ is the MEAN of the squared errors: divide the sum by N."] = old - lr * N * g
                ex.expect_exact(p.value, old - lr * g, np.abs(old) + lr * sizes_of[name], inputs,
                                what=f"left {name}.value as", terms=N + D + M, mistakes=mistakes,
                                hint="forward, ℒ = errᵀerr / N, zero the gradients, backward, then "
                                     "p.value -= lr * p.grad for every parameter p.",
                                numerical_hint="take the gradients from backward(): a numerical derivative comes "
                                               "close, but never to the last digits.")
            if isinstance(got, Tensor):
                raise Failed("It returned the loss as a Tensor; return ℒ as a number.",
                             "return loss.value.item().")
            loss_after = np.mean((reference_forward(X, *(p.value for p in originals)) - y) ** 2)
            ex.expect_number(got, loss_before, inputs, mistakes={
                "return the loss of this step's forward pass, computed before the update.": loss_after},
                hint="return ℒ of the forward pass as a number: loss.value.item().")
        ex.passed(f"the updated W1, b1, W2, b2 are θ − η·∂ℒ/∂θ to round-off and the returned ℒ is right, for "
                  f"N = {', '.join(map(str, sizes))}")


def _call_step(ex, params, X, y, lr):
    __tracebackhide__ = True
    try:
        return ex.call(params, X, y, lr, references={"backward": reference_backward})
    except Failed as failure:
        if "NoneType" in failure.message:
            failure.hint = ("a .grad was None: zero the gradients BEFORE backward(), "
                            "not between backward() and the update.")
        elif "used up the graph" in failure.message:
            failure.hint = "call backward() once per step: it uses up the graph of this step's loss."
        raise


# --- Exercise 2: a full training run -----------------------------------------------------------

class TooManySteps(Exception):
    """Raised by the counting training step when a run takes more than MAX_STEPS steps."""


class _RememberingStep:
    """The reference training step in place of the learner's, keeping a record of the run.

    It counts its calls (and stops a run after `limit`), refuses rows that are not the training data, and
    remembers, for the parameters each step leaves, the training ℒ of the parameters their run started
    from: so the check can tell whether parameters came out of these steps, and from what start.
    """

    def __init__(self, X, y, limit=MAX_STEPS):
        self.X, self.y, self.limit, self.calls = X, y, limit, 0
        self.rows = {row.tobytes() for row in np.hstack([X, y])}
        self.started_at = {}  # fingerprint of the parameters a step left -> the training ℒ its run started from
        self.__name__ = "training_step"

    def __call__(self, params, X, y, lr):
        self.calls += 1
        if self.calls > self.limit:
            raise TooManySteps(f"more than {self.limit} training steps")
        try:
            rows = np.hstack([np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)])
        except ValueError:
            rows = np.empty((0, 0))
        if rows.ndim != 2 or not all(row.tobytes() in self.rows for row in rows):
            raise ValueError("training_step: X and y must be rows of the training data train_network was given")
        start = self.started_at.get(_fingerprint(params))
        if start is None:  # a new run: how well did its parameters fit before it?
            start = self.training_loss(params)
        loss = reference_training_step(params, X, y, lr)
        self.started_at[_fingerprint(params)] = start
        return loss

    def training_loss(self, params):
        """ℒ of the parameters on all the training rows (inf if they do not make the network)."""
        try:
            with np.errstate(all="ignore"):
                return float(np.mean((reference_forward(self.X, *(p.value for p in params)) - self.y) ** 2))
        except (AttributeError, TypeError, ValueError):
            return float("inf")


def _fingerprint(params):
    """Bytes that differ whenever the parameters' values (Tensors or arrays) differ in any bit; None if they are
    not a list of them."""
    if not isinstance(params, (list, tuple)):
        return None
    values = [p.value if isinstance(p, Tensor) else p for p in params]
    if not all(isinstance(value, np.ndarray) and value.dtype == np.float64 for value in values):
        return None
    return b"|".join(repr(value.shape).encode() + np.ascontiguousarray(value).tobytes() for value in values)


def apartment_like_data(rng, n_train=300, n_test=100):
    """A fresh regression task in the shape of the standardised apartments.

    D in 3..6 input columns with different scales, a target made from a random rule
    (a linear part plus a bend) and noise with a quarter of the rule's standard deviation;
    everything standardised with the training rows' mean and std. Returns
    X_train [n_train×D], y_train [n_train×1], X_test [n_test×D], y_test [n_test×1].
    """
    D = int(rng.integers(3, 7))
    n = n_train + n_test
    scales = 10.0 ** rng.uniform(0, 3, D)
    X_raw = rng.normal(0, 1, (n, D)) * scales + rng.uniform(0, 5, D) * scales
    Z = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)
    beta = rng.normal(0, 1, D)
    bend = rng.normal(0, 1, D) / np.sqrt(D)
    signal = Z @ beta + rng.uniform(0.5, 1.0) * np.abs(Z @ bend) * np.linalg.norm(beta)
    y_raw = (signal + rng.normal(0, 0.25 * signal.std(), n)).reshape(-1, 1)
    X_train_raw, y_train_raw = X_raw[:n_train], y_raw[:n_train]
    X_test_raw, y_test_raw = X_raw[n_train:], y_raw[n_train:]
    x_mean, x_std = X_train_raw.mean(axis=0), X_train_raw.std(axis=0)
    y_mean, y_std = y_train_raw.mean(), y_train_raw.std()
    return ((X_train_raw - x_mean) / x_std, (y_train_raw - y_mean) / y_std,
            (X_test_raw - x_mean) / x_std, (y_test_raw - y_mean) / y_std)


@grading(off_limits=["lecture_utils.nn.train", *NUMERICAL_DERIVATIVES], uses=["lecture_utils.autograd.Tensor.backward"],
         time_factor=4)  # a whole training run, each step answered by the grader's reference
def check_train_network(train_network, thorough=False):
    """train_network(X, y) -> [W1, b1, W2, b2], trained with training_step so that the held-out ℒ is below
    TARGET_TEST_LOSS.

    Accepts a training run of your `training_step`: the parameters it returns must be exactly those one
    of its calls left, in a run that started from parameters that did not fit yet (their training ℒ at
    least UNFITTED times that of predicting the mean, as fresh ones from init_params do), on the rows it
    was given; and their held-out ℒ must be below TARGET_TEST_LOSS. Runs on fresh data sets each time
    (see apartment_like_data), so no fixed set of weights can pass. Your `training_step` is replaced by a
    correct one while this runs (a mistake there does not cost this mark), which keeps the record of the
    run and stops it after MAX_STEPS steps. The notebook's random generators are left as they were.
    """
    __tracebackhide__ = True
    with Exercise("train_network", train_network, thorough, stand_in=reference_train_network) as ex:
        results = []
        for _ in range(3 if thorough else 1):
            X_train, y_train, X_test, y_test = apartment_like_data(ex.rng)
            step = _RememberingStep(X_train, y_train)
            try:
                with _random_state_kept():
                    params = ex.call(X_train, y_train, references={"training_step": step})
            except Failed as failure:
                if "TooManySteps" in failure.message:
                    failure.message = f"The run took more than {MAX_STEPS} training steps."
                    failure.hint = "a few hundred steps with a good η are enough; keep the run short."
                raise
            W1, b1, W2, b2 = _parameters(params, X_train.shape[1])
            _expect_trained_by_the_steps(step, params)
            with np.errstate(all="ignore"):
                y_hat = reference_forward(X_test, W1, b1, W2, b2)
                test_loss = float(np.mean((y_hat - y_test) ** 2))
            if not np.isfinite(test_loss):
                raise Failed(f"On held-out rows the network predicts inf or NaN (after {step.calls} steps).",
                             "the training diverged: use a smaller learning rate η.")
            if test_loss >= TARGET_TEST_LOSS:
                raise Failed(
                    f"For {_data(X_train)}: the held-out ℒ is {test_loss:.3f} after {step.calls} training "
                    f"steps; it must get below {TARGET_TEST_LOSS}.",
                    _hint_for_loss(test_loss, step.calls, mean_only_loss=float(np.mean(y_test ** 2))))
            results.append((test_loss, X_train.shape, step.calls))
        losses = ", ".join(f"{loss:.3f}" for loss, _, _ in results)
        ex.passed(f"trained by training_step from fresh parameters: held-out ℒ = {losses} (below "
                  f"{TARGET_TEST_LOSS}) on {len(results)} fresh data set{'s' if len(results) > 1 else ''} of shape "
                  f"{', '.join(shape_str(shape) for _, shape, _ in results)}")


training_step = reference_training_step  # what a train_network calls; its check swaps in its own recorder


def reference_train_network(X, y, M=16, lr=0.1, steps=300):
    """[W1, b1, W2, b2] for ŷ = ReLU(XW₁ + b₁)W₂ + b₂, trained by training_step from a fresh start on X [N×D],
    y [N×1] (W₁ with standard deviation √(2/D), W₂ small, biases 0, as notebook 09 draws them)."""
    D = X.shape[1]
    params = [Tensor(np.random.randn(D, M) * np.sqrt(2 / D), name="W1", requires_grad=True),
              Tensor(np.zeros((1, M)), name="b1", requires_grad=True),
              Tensor(np.random.randn(M, 1) * 0.01 / np.sqrt(M), name="W2", requires_grad=True),
              Tensor(np.zeros((1, 1)), name="b2", requires_grad=True)]
    for _ in range(steps):
        training_step(params, X, y, lr)
    return params


UNFITTED = 0.5  # a run starts from parameters whose training ℒ is at least this times that of predicting the mean


def _expect_trained_by_the_steps(step, params):
    """The returned parameters must be ones a training_step call left, in a run from unfitted parameters."""
    __tracebackhide__ = True
    start = step.started_at.get(_fingerprint(params))
    if start is None:
        did = f"after {step.calls} training steps" if step.calls else "without calling training_step"
        raise Failed(f"The parameters it returned ({did}) are not the ones a call of training_step left.",
                     "make the parameters with init_params(X.shape[1], M), train them with training_step(params, "
                     "X, y, lr) in a loop, and return that same list, unchanged after its last step.")
    mean_only = float(np.mean((step.y - step.y.mean()) ** 2))
    if start < UNFITTED * mean_only:
        raise Failed(f"The run started from parameters that already fit the data (ℒ = {start:.3f} on the training "
                     f"rows, where predicting the mean gives {mean_only:.3f}): training_step did not do the work.",
                     "start from fresh parameters, init_params(X.shape[1], M), and let training_step fit them.")


class _random_state_kept:
    """Put the notebook's random generators back as they were, whatever the learner's run drew.

    The data sets differ in size on every run, so the random numbers a run draws (its
    initial weights) would otherwise shift every later random draw of the notebook.
    """

    def __enter__(self):
        self.numpy = np.random.get_state()
        self.python = random.getstate()
        self.package = get_rng().bit_generator.state

    def __exit__(self, *exc):
        np.random.set_state(self.numpy)
        random.setstate(self.python)
        get_rng().bit_generator.state = self.package
        return False


def _data(X):
    return f"X = {shape_str(X.shape)}"


def _parameters(params, D):
    """The learner's [W1, b1, W2, b2] as arrays of compatible shapes, or a Failed saying what is off."""
    if params is None:
        raise Failed("It returned None.", "return the trained parameters: return [W1, b1, W2, b2].")
    if not isinstance(params, (list, tuple)) or len(params) != 4:
        raise Failed(f"It returned {type(params).__name__}; expected the list [W1, b1, W2, b2].",
                     "return the list of the four trained parameters, in the order W1, b1, W2, b2.")
    arrays = []
    for name, p in zip(PARAMETER_NAMES, params):
        value = p.value if isinstance(p, Tensor) else p
        if not isinstance(value, np.ndarray):
            raise Failed(f"{name} is {type(p).__name__}; expected a Tensor (or a numpy array).",
                         "return the Tensors you trained: [W1, b1, W2, b2].")
        arrays.append(value.astype(np.float64))
    W1, b1, W2, b2 = arrays
    M = W1.shape[1] if W1.ndim == 2 else None
    expected = {"W1": (D, M), "b1": (1, M), "W2": (M, 1), "b2": (1, 1)}
    for name, value in zip(PARAMETER_NAMES, arrays):
        if M is None or (value.shape != expected[name] and not (name == "b1" and value.shape == (M,))):
            raise Failed(f"{name} has shape {shape_str(value.shape)}; for X = [N×{D}] the network "
                         f"ŷ = ReLU(XW₁ + b₁)W₂ + b₂ needs W1 [{D}×M], b1 [1×M], W2 [M×1], b2 [1×1].",
                         "build the parameters from X.shape[1], e.g. init_params(X.shape[1], M), "
                         "and return them in the order W1, b1, W2, b2.")
    return arrays


def _hint_for_loss(loss, steps, mean_only_loss):
    """mean_only_loss: the held-out ℒ of always predicting the training mean (0, standardised)."""
    if steps == 0:
        return "call training_step(params, X, y, lr) in a loop to train the parameters."
    if steps < 100:
        return f"only {steps} training steps: train longer — a few hundred steps."
    if loss > 0.8 * mean_only_loss:
        return ("the network has hardly learned (it does little better than predicting the mean): "
                "more steps, or a larger η.")
    return "train a little longer or with a slightly larger η — watch the training loss fall."
