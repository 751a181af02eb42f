"""The computation behind notebook 05's playground: data, features, a network, training, pictures.

Numpy and the autograd core only; the panel (widgets/playground.py) and the tests
use the same functions, so they train exactly the same networks:

    settings = Settings(dataset="circle", features=("x1^2", "x2^2"), hidden=())
    state = Playground(settings)            # the data, the network, ℒ at step 0
    state.train(100)                        # 100 SGD steps, each on a random batch
    state.evaluation()                      # ℒ and accuracy on the training and the test points
    view = state.view()                     # everything the picture shows, as arrays
    settings.code()                         # 'widgets.playground(problem="classification", ...)'

The plane: the toy sets of `lecture_utils.data` (about [-1, 1]²) scaled by 3, shown
on [-4, 4]²; on this plane sin x⁽¹⁾ has more than one bump, as in TensorFlow Playground.
The network's inputs are the chosen features of a point x = (x⁽¹⁾, x⁽²⁾), its output ŷ one
number: for classification the labels are 0 and 1 (ŷ > 0.5 means class 1), for regression
the targets lie in [-1, 1]. Training minimises ℒ = mean squared error (+ λ·Σ‖W‖² with L2).
"""

import ast
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

import numpy as np

from .. import activations
from ..autograd import Add, Scale, Square, Sum
from ..data import make_toy, make_toy_regression, train_test_split
from ..nn import MLP, mse, train

__all__ = ["PROBLEMS", "DATASETS", "FEATURES", "ACTIVATION_NAMES", "LEARNING_RATES", "REGULARISATIONS",
           "RATES", "MAX_LAYERS", "MAX_NEURONS", "Settings", "settings_from_code", "Split", "Evaluation", "View",
           "Playground", "playground_data", "feature_matrix", "playground_network", "layer_outputs",
           "l2_penalty", "training_loss", "evaluate", "diverged"]

PROBLEMS = {"classification": ("circle", "xor", "gauss", "spiral"), "regression": ("plane", "multigauss")}
DATASETS = tuple(name for names in PROBLEMS.values() for name in names)
VALUE_RANGE = {"classification": (0.0, 1.0), "regression": (-1.0, 1.0)}  # labels 0 and 1; targets in [-1, 1]

# The features a point x = (x⁽¹⁾, x⁽²⁾) can give the network: name in code -> (label, function).
FEATURES = {
    "x1": ("x⁽¹⁾", lambda x1, x2: x1),
    "x2": ("x⁽²⁾", lambda x1, x2: x2),
    "x1^2": ("(x⁽¹⁾)²", lambda x1, x2: x1 * x1),
    "x2^2": ("(x⁽²⁾)²", lambda x1, x2: x2 * x2),
    "x1*x2": ("x⁽¹⁾x⁽²⁾", lambda x1, x2: x1 * x2),
    "sin(x1)": ("sin x⁽¹⁾", lambda x1, x2: np.sin(x1)),
    "sin(x2)": ("sin x⁽²⁾", lambda x1, x2: np.sin(x2)),
}
ACTIVATION_NAMES = activations.NAMES  # ("ReLU", "tanh", "sigmoid", "linear")
LEARNING_RATES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
REGULARISATIONS = ("none", "L2")
RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
MAX_LAYERS, MAX_NEURONS = 6, 8
NOISE_RANGE, TRAIN_FRACTION_RANGE, BATCH_SIZE_RANGE = (0.0, 0.5), (0.1, 0.9), (1, 50)

SCALE = 3.0          # the toy sets' [-1, 1]² becomes [-3, 3]² on the playground's plane ...
LIMIT = 4.0          # ... which is shown on [-4, 4]²
N_POINTS = 500       # points per data set, training and test together
DATA_SEED = 0        # the same data settings always give the same points
RESOLUTION = 50      # the pictures: every neuron's output on a 50 × 50 grid over the plane
DIVERGED = 1e6       # ℒ starts near 0.25 (classes) or 0.3 (regression); this far above, steps only overshoot


@dataclass(frozen=True)
class Settings:
    """Everything a learner sets in the playground; the same settings always start from the same data and weights.

    problem: "classification" or "regression" (left out: the data set's problem)
    dataset: classification "circle", "xor", "gauss", "spiral"; regression "plane", "multigauss"
    noise (0–0.5), train_fraction (0.1–0.9: the share of the points used for training), batch_size (1–50)
    features: the network's inputs, names from FEATURES ("x1", "x2", "x1^2", ...)
    hidden: the sizes of the hidden layers, e.g. (4, 2); () is a linear model ŷ = FW + b
    activation: "ReLU", "tanh", "sigmoid" or "linear"; lr: η, one of LEARNING_RATES
    regularisation: "none" or "L2", with its rate λ (one of RATES)
    show_test, discretise: show the test points; colour the output by class only
    seed: the initial weights and the order of the random batches (↺ reset takes the next one)
    """

    problem: str = None
    dataset: str = "circle"
    noise: float = 0.0
    train_fraction: float = 0.5
    batch_size: int = 10
    features: tuple = ("x1", "x2")
    hidden: tuple = (4, 2)
    activation: str = "tanh"
    lr: float = 0.03
    regularisation: str = "none"
    rate: float = 0.0
    show_test: bool = False
    discretise: bool = False
    seed: int = 0

    def __post_init__(self):
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731  (frozen)
        _choose("dataset", self.dataset, DATASETS)
        problem_of_dataset = next(problem for problem, names in PROBLEMS.items() if self.dataset in names)
        if self.problem is None:
            set_("problem", problem_of_dataset)
        _choose("problem", self.problem, tuple(PROBLEMS))
        if self.problem != problem_of_dataset:
            raise ValueError(f"the data set {self.dataset!r} is a {problem_of_dataset} problem, not "
                             f"{self.problem}: its data sets are {', '.join(PROBLEMS[self.problem])}.")
        # rounded: a slider's 0.30000000000000004 is 0.3
        set_("noise", round(_number("noise", self.noise, *NOISE_RANGE), 4))
        set_("train_fraction", round(_number("train_fraction", self.train_fraction, *TRAIN_FRACTION_RANGE), 4))
        set_("batch_size", _whole("batch_size", self.batch_size, *BATCH_SIZE_RANGE))
        if isinstance(self.features, str):
            raise ValueError(f"features is a list of names, e.g. [{self.features!r}], not one name.")
        features = tuple(self.features)
        for name in features:
            _choose("feature", name, tuple(FEATURES))
        if not features:
            raise ValueError("choose at least one feature: the network needs an input.")
        if len(set(features)) < len(features):
            raise ValueError(f"each feature once, please: got {list(features)}.")
        set_("features", tuple(name for name in FEATURES if name in features))  # in the panel's order
        if isinstance(self.hidden, (int, np.integer)):
            raise ValueError(f"hidden is a list of layer sizes, e.g. [{self.hidden}], not one number.")
        hidden = tuple(_whole("a hidden layer's size", size, 1, MAX_NEURONS) for size in self.hidden)
        if len(hidden) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers; got {len(hidden)}.")
        set_("hidden", hidden)
        _choose("activation", self.activation, ACTIVATION_NAMES)
        set_("lr", _option("lr", self.lr, LEARNING_RATES))
        _choose("regularisation", self.regularisation, REGULARISATIONS)
        set_("rate", _option("rate", self.rate, RATES))
        for name in ("show_test", "discretise"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} is True or False; got {getattr(self, name)!r}.")
            set_(name, bool(getattr(self, name)))
        set_("seed", _whole("seed", self.seed, 0, 2**32 - 1))

    def code(self):
        """The line that makes a playground with these settings: 'widgets.playground(problem=..., ...)'."""
        arguments = ", ".join(f"{field.name}={_literal(getattr(self, field.name))}" for field in fields(self))
        return f"widgets.playground({arguments})"

    def replace(self, **changes):
        """These settings with some changed (checked again)."""
        return replace(self, **changes)


def settings_from_code(line):
    """The Settings a line 'widgets.playground(...)' (from Settings.code) describes; a clear error otherwise."""
    try:
        call = ast.parse(line.strip(), mode="eval").body
    except SyntaxError as error:
        raise ValueError(f"not a line of Python: {error.msg}.") from None
    name = ast.unparse(call.func) if isinstance(call, ast.Call) else None
    if name is None or name.split(".")[-1] != "playground":
        raise ValueError("expected a call like widgets.playground(dataset=\"circle\", ...).")
    if call.args:
        raise ValueError("name every setting, e.g. dataset=\"circle\" (no values without names).")
    known = {field.name for field in fields(Settings)}
    arguments = {}
    for keyword in call.keywords:
        if keyword.arg not in known:
            raise ValueError(f"unknown setting {keyword.arg!r}; the settings are {', '.join(sorted(known))}.")
        try:
            arguments[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            raise ValueError(f"{keyword.arg}= must be a plain value (a number, a text, a list).") from None
    return Settings(**arguments)


def _literal(value):
    """A setting's value written as Python: texts in double quotes, tuples as lists."""
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    return repr(value)


def _choose(name, value, options):
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(map(str, options))}.")


def _number(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not low <= value <= high:
        raise ValueError(f"{name} is a number from {low:g} to {high:g}; got {value!r}.")
    return float(value)


def _whole(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} is a whole number from {low} to {high}; got {value!r}.")
    return int(value)


def _option(name, value, options):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or float(value) not in options:
        raise ValueError(f"{name} must be one of {', '.join(f'{option:g}' for option in options)}; got {value!r}.")
    return float(value)


# --- data and features -----------------------------------------------------------------------

class Split(NamedTuple):
    """Points on the plane split in two: training X_train [N×2], y_train [N×1]; test points likewise."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def playground_data(settings, n=N_POINTS):
    """n points of the settings' data set, with their noise, on the plane, split into training and test points.

    The same data settings (problem, dataset, noise, train_fraction) always give the same points.
    """
    rng = np.random.default_rng(DATA_SEED)
    make = make_toy if settings.problem == "classification" else make_toy_regression
    X, y = make(settings.dataset, n=n, noise=settings.noise, rng=rng)
    test_fraction = round(1.0 - settings.train_fraction, 4)
    return Split(*train_test_split(SCALE * X, y, test_fraction=test_fraction, rng=rng))


def feature_matrix(X, features):
    """The chosen features of every point: X [N×2] (columns x⁽¹⁾, x⁽²⁾) -> [N×F], one column per feature."""
    x1, x2 = X[:, :1], X[:, 1:2]
    return np.hstack([FEATURES[name][1](x1, x2) for name in features])


def plane_grid(resolution=RESOLUTION):
    """The grid the pictures are made on: coordinates [R] along each axis and its points [R²×2], row by row
    (the first R points have the lowest x⁽²⁾), so that values [R²] reshape to a picture [R×R]."""
    coordinates = np.linspace(-LIMIT, LIMIT, resolution)
    G1, G2 = np.meshgrid(coordinates, coordinates)
    return coordinates, np.column_stack([G1.ravel(), G2.ravel()])


# --- the network and its training ---------------------------------------------------------------

def playground_network(settings):
    """A fresh MLP: the features in, the hidden layers with the activation, one output ŷ (no activation)."""
    sizes = [len(settings.features), *settings.hidden, 1]
    return MLP(sizes, activation=settings.activation, rng=np.random.default_rng(settings.seed))


def layer_outputs(net, F):
    """Every layer's output for the inputs F [N×F], as net(F) computes them: [H₁ [N×M₁], …, ŷ [N×1]]
    (each hidden layer after its activation; the last layer without one)."""
    return [H.value for _, H in net.layer_by_layer(F)]


def l2_penalty(net):
    """Σₗ Σ (Wₗ)²: the sum of every squared weight (biases are not penalised), a [1×1] Tensor.

    Its gradient with respect to each W is 2W: a step with λ·Σ‖W‖² in ℒ pulls every weight towards 0.
    """
    total = None
    for layer in net.layers:
        term = Sum(Square(layer.W))
        total = term if total is None else Add(total, term)
    return total


def training_loss(net, regularisation, rate):
    """The loss the steps minimise, as a function (y, ŷ) -> [1×1]: ℒ = MSE, plus λ·Σ‖W‖² with L2."""
    if regularisation == "none" or rate == 0:
        return mse
    return lambda y, y_hat: Add(mse(y, y_hat), Scale(l2_penalty(net), rate))


class Evaluation(NamedTuple):
    """ℒ (mean squared error, without the L2 term) on the training and test points; accuracy for classes
    (the share of points on the right side of ŷ = 0.5), None for regression."""

    train_loss: float
    test_loss: float
    train_accuracy: float = None
    test_accuracy: float = None


def evaluate(net, F_train, y_train, F_test, y_test, problem):
    """ℒ and (for classification) accuracy of `net` on the training and the test features and labels."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged network outputs inf or NaN
        y_hat_train, y_hat_test = net(F_train).value, net(F_test).value
        losses = [float(np.mean((y_hat - y) ** 2)) for y_hat, y in ((y_hat_train, y_train), (y_hat_test, y_test))]
    if problem == "regression":
        return Evaluation(*losses)
    accuracies = [float(np.mean((y_hat > 0.5) == (y > 0.5))) for y_hat, y in ((y_hat_train, y_train),
                                                                                (y_hat_test, y_test))]
    return Evaluation(*losses, *accuracies)


def diverged(loss):
    """True if ℒ has blown up (inf, NaN, or above 10⁶): training cannot recover from there."""
    return not np.isfinite(loss) or loss > DIVERGED


# --- the state: settings, data, network, record --------------------------------------------------

class View(NamedTuple):
    """Everything the playground's picture shows at one moment, as numbers.

    settings:          the Settings
    data_version:      a number that changes whenever the points change
    step:              SGD steps taken so far
    coordinates:       [R] the grid's coordinates along x⁽¹⁾ and x⁽²⁾ (-LIMIT to LIMIT)
    feature_pictures:  [7×R×R] every feature of FEATURES over the plane (row i: x⁽²⁾ = coordinates[i])
    neuron_pictures:   one [Mₗ×R×R] per hidden layer: each neuron's output h⁽ʲ⁾ over the plane
    output_picture:    [R×R] ŷ over the plane
    weights:           one [nᵢₙ×nₒᵤₜ] per layer, the first from the chosen features
    split:             the points (Split)
    steps, train_losses, test_losses: [K] the record: ℒ on all training and all test points after each batch of steps
    evaluation:        Evaluation now; diverged: whether ℒ blew up
    """

    settings: Settings
    data_version: int
    step: int
    coordinates: np.ndarray
    feature_pictures: np.ndarray
    neuron_pictures: list
    output_picture: np.ndarray
    weights: list
    split: Split
    steps: np.ndarray
    train_losses: np.ndarray
    test_losses: np.ndarray
    evaluation: Evaluation
    diverged: bool

    @property
    def value_range(self):
        """The range of the labels: (0, 1) for classes, (-1, 1) for regression targets."""
        return VALUE_RANGE[self.settings.problem]


_DATA_SETTINGS = ("problem", "dataset", "noise", "train_fraction")
_NETWORK_SETTINGS = _DATA_SETTINGS + ("features", "hidden", "activation", "seed")


class Playground:
    """The playground's state: its Settings, the points, the network, the step count and the record of ℒ.

    `apply(settings)` makes new points when a data setting changed and a new network (step 0)
    when the data, the features, the layers, the activation or the seed changed; η, the batch
    size and the regularisation apply to the next steps, the display settings to the picture only.
    `train(steps)` takes SGD steps, each on a random batch, and records ℒ on all training and test points.
    """

    def __init__(self, settings=None, n=N_POINTS):
        self.n = n
        self.settings = None
        self.data_version = 0
        self.apply(settings if settings is not None else Settings())

    def apply(self, settings):
        """Use these settings; True if training started afresh (new data or a new network)."""
        old, self.settings = self.settings, settings
        if old is None or _parts(old, _DATA_SETTINGS) != _parts(settings, _DATA_SETTINGS):
            self.split = playground_data(settings, n=self.n)
            self.data_version += 1
        elif _parts(old, _NETWORK_SETTINGS) == _parts(settings, _NETWORK_SETTINGS):
            return False
        self._start()
        return True

    def _start(self):
        settings, split = self.settings, self.split
        self.net = playground_network(settings)
        self.batches = np.random.default_rng(settings.seed)
        self.F_train = feature_matrix(split.X_train, settings.features)
        self.F_test = feature_matrix(split.X_test, settings.features)
        self.step = 0
        self._rows = np.empty((256, 3))  # (step, ℒ train, ℒ test), the first `_count` rows used;
        self._count = 0                   # it doubles when full: a long play stays cheap
        self._record()

    def _record(self):
        split = self.split
        self._evaluation = evaluate(self.net, self.F_train, split.y_train, self.F_test, split.y_test,
                                    self.settings.problem)
        if self._count == len(self._rows):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
        self._rows[self._count] = self.step, self._evaluation.train_loss, self._evaluation.test_loss
        self._count += 1

    @property
    def record(self):
        """[K×3]: the step, ℒ on all training points and ℒ on all test points, at the start and after each
        call of train (rows already written never change, so a view handed out stays right)."""
        return self._rows[:self._count]

    @property
    def diverged(self):
        return diverged(self.record[-1, 1])

    def train(self, steps):
        """`steps` SGD steps with the current η, batch size and regularisation, then ℒ is recorded.

        A diverged network trains no further (only a reset or new settings help): returns the steps taken.
        """
        if self.diverged:
            return 0
        settings = self.settings
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by the record
            train(self.net, self.F_train, self.split.y_train, lr=settings.lr, steps=steps,
                  batch_size=settings.batch_size, rng=self.batches,
                  loss_fn=training_loss(self.net, settings.regularisation, settings.rate))
        self.step += steps
        self._record()
        return steps

    def reset(self):
        """Other initial weights (the next seed), on the same points; step 0."""
        self.apply(self.settings.replace(seed=self.settings.seed + 1))

    def evaluation(self):
        """ℒ and accuracy on the training and the test points now (the network changes only in `train`)."""
        return self._evaluation

    def view(self, resolution=RESOLUTION):
        """Everything the picture shows now (a View), with pictures on a resolution × resolution grid."""
        coordinates, points = plane_grid(resolution)
        pictures = lambda values: values.T.reshape(-1, resolution, resolution)  # noqa: E731  [R²×M] -> [M×R×R]
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = layer_outputs(self.net, feature_matrix(points, self.settings.features))
        steps, train_losses, test_losses = self.record.T
        return View(
            settings=self.settings, data_version=self.data_version, step=self.step, coordinates=coordinates,
            feature_pictures=pictures(feature_matrix(points, tuple(FEATURES))),
            neuron_pictures=[pictures(H) for H in outputs[:-1]], output_picture=pictures(outputs[-1])[0],
            weights=[layer.W.value.copy() for layer in self.net.layers], split=self.split,
            steps=steps, train_losses=train_losses, test_losses=test_losses,
            evaluation=self.evaluation(), diverged=self.diverged,
        )


def _parts(settings, names):
    return tuple(getattr(settings, name) for name in names)
