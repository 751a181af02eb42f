"""What the text of the notebooks says about their numbers, checked on the notebooks' own runs
(notebooks 02, 03 and 04 also in test_lessons_linear_regression.py and test_notebook_projections.py).

Each notebook's code cells run here, in order, in one namespace (as "Run All" would),
and the claims its markdown makes are asserted on the values it computed.
"""

import inspect
import re

import numpy as np
import pytest

from lecture_utils import check_gradients, graph, plots, widgets, zero_grad
from lecture_utils.autograd import topological_order
from lecture_utils.lessons import linear_regression
from lecture_utils.lessons.linear_regression import least_squares_line, plane
from lecture_utils.lessons.training import (
    dead_relu_fraction,
    deep_network,
    hidden_preactivations,
    layer_gradient_norms,
    one_sgd_step,
)
from notebook_runs import markdown, notebook_fixture

introduction = notebook_fixture("00_introduction")
line = notebook_fixture("01_linear_regression")
predictors = notebook_fixture("02_more_predictors")
matrix_form = notebook_fixture("03_matrix_form")
projections = notebook_fixture("04_linear_projections")
best_fit = notebook_fixture("06_finding_the_best_fit")
computational_graph = notebook_fixture("07_computational_graph")
live_coding = notebook_fixture("09_live_coding")


# --- 00 --------------------------------------------------------------------------------------------

def test_00_the_neuron_example(introduction):
    assert introduction["y_hat"].ravel().tolist() == [0.0, 0.0, 2.0]


def test_00_the_sigmoid_slope_is_at_most_a_quarter_at_zero(introduction):
    a, slopes = introduction["a"], introduction["slopes"]
    assert slopes.max() == pytest.approx(0.25) and a[np.argmax(slopes)] == pytest.approx(0.0)


def gradient_line(X, y, depth, activation, scale):
    """The vanishing-gradient panel's line: ‖∂ℒ/∂Wₗ‖ for l = 1..L of a fresh network."""
    panel = widgets.vanishing_gradient_panel(X, y, depth=depth, activation=activation, init_scale=scale)
    return panel.moving_axes.get_lines()[0].get_ydata()


def test_00_the_vanishing_gradient_panel_does_what_the_text_says(introduction):
    X, y = introduction["X"], introduction["y"]
    sigmoid = gradient_line(X, y, 10, "sigmoid", 0.5)
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    deeper = gradient_line(X, y, 20, "sigmoid", 0.5)
    assert deeper[0] / deeper[-1] < sigmoid[0] / sigmoid[-1]
    for activation, scale in [("tanh", 0.25), ("ReLU", 0.35)]:
        level = gradient_line(X, y, 10, activation, scale)
        assert level.max() / level.min() < 10
    assert gradient_line(X, y, 10, "tanh", 0.1).max() < 1e-4


def test_00_relu_with_sigma_1_is_huge_in_every_layer_but_does_not_grow(introduction):
    X, y = introduction["X"], introduction["y"]
    relu = gradient_line(X, y, 10, "ReLU", 1.0)
    assert relu.min() > 1e7 and relu.max() < 1e8      # "between 10⁷ and 10⁸"
    assert relu.max() / relu.min() < 10               # "the line is flat": no growth layer to layer
    net = deep_network(2, 10, "ReLU", 1.0)            # the panel's network
    sizes = [np.sqrt(np.mean(Z**2)) for Z in hidden_preactivations(net, X)]
    growth = (sizes[-1] / sizes[0]) ** (1 / (len(sizes) - 1))
    assert 2.2 < growth < 3.6                         # "about 2.8 times larger" per layer


def test_00_the_dead_relu_panel_does_what_the_text_says(introduction):
    X, y = introduction["X"], introduction["y"]

    def before_after(bias_init, lr):
        panel = widgets.dead_relu_panel(X, y, bias_init=bias_init, lr=lr)
        heights = [p.get_height() for p in panel.moving_axes[1].patches]
        return heights[:2], heights[2:]

    assert before_after(0.0, 0.01) == ([0, 0], [0, 0])
    before, after = before_after(0.0, 10.0)
    assert before == [0, 0] and min(after) >= 0.25
    before, _ = before_after(-1.0, 0.01)
    assert before[1] == 1.0 and np.mean(before) > 0.5


# --- 01 --------------------------------------------------------------------------------------------

def test_01_the_answers_to_fit_it_by_hand(line):
    x, y = line["x"], line["y"]
    k_origin = float((x * y).sum() / (x * x).sum())          # the best k with m = 0
    assert round(k_origin, 2) == 0.26 and round(linear_regression.line(x, y, k_origin, 0.0).loss, -1) == 2090
    k, m = line["k_best"], line["m_best"]
    assert (round(k, 2), round(m, -1)) == (0.24, 30) and round(linear_regression.line(x, y, k, m).loss, -1) == 1990
    # "(k + 0.01, m − 10) is almost the same line": it changes ℒ by little compared with k + 0.01 alone
    assert 900 < float(np.median(x)) < 1200                 # "most apartments have x around 1000"
    nudged = linear_regression.line(x, y, k + 0.01, m - 10).loss - linear_regression.line(x, y, k, m).loss
    assert nudged < 0.01 * linear_regression.line(x, y, k, m).loss
    assert nudged < 0.2 * (linear_regression.line(x, y, k + 0.01, m).loss - linear_regression.line(x, y, k, m).loss)


def test_01_the_grid_of_lines_finds_nearly_the_best_line(line):
    ks, ms, losses = line["ks"], line["ms"], line["losses"]
    assert losses.size == 51 * 51
    best = losses[line["row"], line["column"]]
    assert (round(ks[line["column"]], 2), round(ms[line["row"]])) == (0.24, 30)
    best_line = linear_regression.line(line["x"], line["y"], line["k_best"], line["m_best"])
    assert round(best) == 1993 and best - best_line.loss < 10


def test_01_the_four_fits_in_the_order_the_answer_gives(line):
    x, y, k, m = line["x"], line["y"], line["k_best"], line["m_best"]
    losses = {name: linear_regression.line(x, y, k_, m_).loss for name, k_, m_ in
              [("flat", 0.0, float(y.mean())), ("too steep", 0.40, -150.0), ("by eye", 0.25, 20.0),
               ("least squares", k, m)]}
    assert {name: round(value) for name, value in losses.items()} == \
        {"flat": 9983, "too steep": 5729, "by eye": 2015, "least squares": 1989}
    assert losses["flat"] == pytest.approx(float(np.var(y)))  # "the spread of the prices around their mean"


# --- 02 --------------------------------------------------------------------------------------------

def test_02_the_answers_about_the_plane(predictors):
    ns = predictors
    x1, x2, y = ns["x1"], ns["x2"], ns["y"]
    w2, b = ns["w2_plane"], ns["b_plane"]
    best = plane(x1, x2, y, ns["w1_plane"], w2, b).loss
    assert round(w2, 1) == -1.1 and round(b) == 57 and round(best, -1) == 1440
    best_line = linear_regression.line(x1, y, *least_squares_line(x1, y)).loss
    assert best < best_line                                          # "shorter sticks than the line's"


def test_02_predict_sample_on_apartment_0(predictors):
    ns = predictors
    assert ns["x_0"].shape == (1, 4)
    assert round(ns["predict_sample"](ns["x_0"], [0.22, 12.0, -1.1, 1.5], 40.0), 2) == 336.96


# --- 03 --------------------------------------------------------------------------------------------

def test_03_magnitude_and_direction(matrix_form):
    ns = matrix_form
    v, direction = ns["v"], ns["direction"]
    assert ns["magnitude"] == 5.0 and np.allclose(direction.ravel(), [0.6, 0.8])
    assert np.linalg.norm(direction) == pytest.approx(1.0)                # "length 1"
    assert np.linalg.norm(2 * v) == 2 * ns["magnitude"] and np.linalg.norm(-v) == ns["magnitude"]


def test_03_a_row_and_a_column_of_x(matrix_form):
    X = matrix_form["X"]
    assert X[0:1].shape == (1, 4) and X[:, [2]].shape == (300, 1)
    assert matrix_form["names"][2] == "age"                              # "X[:, [2]] is x⁽³⁾, the age"


# --- 04 --------------------------------------------------------------------------------------------

def test_04_linear_network_on_the_stacked_layers(projections):
    ns = projections
    H2 = ns["linear_network"](ns["X"], [ns["W1"], ns["W2"]], [ns["b1"], ns["b2"]])
    assert np.allclose(H2, ns["H2"]) and H2.shape == (300, 2)


# --- 06 --------------------------------------------------------------------------------------------

def test_06_sixty_steps_from_a_random_start_down_the_wall_then_slowly_along_the_floor(best_fit):
    ns = best_fit
    x, y, path = ns["x"], ns["y"], np.array(ns["path"])
    (k_low, k_high), (m_low, m_high) = ns["k_range"], ns["m_range"]
    assert k_low <= path[0, 0] <= k_high and m_low <= path[0, 1] <= m_high   # a random start in the picture
    assert tuple(path[0]) != (0.0, 0.0) and len(path) == 61
    losses = [linear_regression.line(x, y, k, m).loss for k, m in path]
    assert losses[0] - losses[10] > 10 * (losses[10] - losses[60])            # quickly, then slowly
    star = np.array(least_squares_line(x, y))
    assert np.linalg.norm(path[-1] - star) > 30 and losses[60] > 1.05 * linear_regression.line(x, y, *star).loss


def test_06_the_equal_compute_key_reads_as_the_text_quotes_it(best_fit):
    ns = best_fit
    sentence = re.search(r"""The panel's key names them "([^"]+)", "([^"]+)" and "([^"]+)"\.""",
                         markdown("06_finding_the_best_fit"))
    assert sentence, "the text no longer quotes the panel's key"
    quoted = sentence.groups()
    assert quoted == ("gradient descent: B = N = 300", "SGD with the slider's B", "SGD, B = 1")  # the lecture's words
    panel = widgets.equal_compute_panel(ns["x"], ns["y"], ns["k_range"], ns["m_range"], epochs=5, lr=0.05,
                                        batch_size=10)
    key = [text.get_text() for text in panel.still_axes[0].get_legend().get_texts()]
    assert key[1:] == list(quoted)  # after the least-squares star


# --- 07 --------------------------------------------------------------------------------------------

def test_07_the_network_has_both_biases_and_passes_the_gradient_check(computational_graph):
    ns = computational_graph
    assert ns["y_hat"].op == "Add" and ns["y_hat"].parents == (ns["HW2"], ns["b2"])   # ŷ = HW₂ + b₂
    assert {n.label for n in graph.trace(ns["loss"]).nodes if n.kind == "parameter"} == {"W1", "b1", "W2", "b2"}
    rows = check_gradients(ns["forward"], [ns[name] for name in ("W1", "b1", "W2", "b2")], show=False)
    assert [row.name for row in rows] == ["W1", "b1", "W2", "b2"] and all(row.ok for row in rows)
    pieces = graph.gradient_contributions(ns["loss"], ns["err"])
    assert len(pieces) == 2 and all(np.allclose(piece, ns["err"].value / ns["N"]) for _, piece in pieces)


def test_07_the_steps_the_text_points_to(computational_graph):
    ns = computational_graph
    steps = ns["steps"]
    assert len(steps) == 10 and np.allclose(steps[1].parents[0].new_upstream, 1 / 4)      # step 1: /4
    assert steps[2].node is ns["errT_err"] and steps[3].node.op == "T"                    # steps 2 and 3
    assert steps[3].parents[0].parent is ns["err"] and steps[3].parents[0].before is not None  # the sum
    assert steps[4].node.op == "Sub" and not steps[4].parents[0].needs_gradient           # step 4: nothing to y
    for index, bias, rows in [(5, "b2", 4), (8, "b1", 4)]:                               # the two bias sums
        record = steps[index].parents[1]
        assert record.parent is ns[bias] and f"summed over the {rows} rows" in record.rule
        assert np.allclose(record.new_upstream, steps[index].upstream.sum(axis=0, keepdims=True))
    assert steps[7].node.op == "ReLU"                                                     # "step 7 shows R"
    last = steps[-1].parents[1]
    assert last.parent is ns["W1"] and last.rule == "∂ℒ/∂W1 = Xᵀ · UP" and last.new_upstream.shape == (2, 3)


def test_07_every_gradient_has_the_shape_of_its_node(computational_graph):
    gradients = graph.replayed_gradients(computational_graph["steps"])
    assert len(gradients) == 13 and all(g.shape == tensor.shape for tensor, g in gradients.items())


def test_07_the_complete_backward_pass_shows_what_the_text_points_to(computational_graph):
    ns = computational_graph
    g = graph.trace(ns["loss"])
    ax = ns["picture"].axes[0]
    texts = {text.get_gid(): text.get_text() for text in ax.texts if text.get_gid()}
    arrows = [p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("backward ")]

    def key(name):
        return g.value_node(ns[name]).key

    def sent(op_of, to):  # the label of the arrow from the op that made `op_of` back to `to`
        return texts[f"new upstream {g.op_node(ns[op_of]).key} {key(to)}"]

    def node_gradient(name):
        return texts[f"node gradient {key(name)}"]

    # the start
    assert node_gradient("loss").startswith("∂ℒ/∂ℒ = 1") and sent("loss", "errT_err") == "1/4 · UP"
    # err: two arrows arrive, and its node gradient is their sum
    assert len([gid for gid in arrows if gid.endswith(f" {key('err')}")]) == 2
    assert sent("errT_err", "err") == "err · UP" and sent("errT", "err") == "UPᵀ"
    assert node_gradient("err").endswith("sum of 2 upstreams")
    # the bias rows: UP summed over the 4 rows, a row again
    for bias, consumer, shape in [("b2", "y_hat", "[1×1]"), ("b1", "Z1", "[1×3]")]:
        assert sent(consumer, bias) == "UP, summed over\nthe 4 rows" and node_gradient(bias).endswith(shape)
    # W1 on the far left; and nothing goes to the data
    assert sent("XW1", "W1") == "Xᵀ · UP" and node_gradient("W1").endswith("[2×3]")
    assert not [gid for gid in arrows if gid.split()[2] in (key("X"), key("y"))]


def test_07_quotes_the_slide_and_calls_its_own_reading_its_own():
    text = markdown("07_computational_graph")
    assert '"Chain rule (sum): add upstream gradient to node gradient"' in text            # the slide, verbatim
    assert '"pass the new upstream to the inputs, repeat recursively"' in text
    assert "Taken literally, that means (our reading, not the slide's words)" in text
    assert '"To backpropagate from a node' not in text   # the old paraphrase, once shown in quotation marks


def test_07_joins_the_two_shape_rules():
    text = markdown("07_computational_graph")
    assert ("The chain rule above laid ∂y/∂**u** out as a row for a column **u**; backprop stores ∂ℒ/∂**u** in "
            "**u**'s own shape, the transpose of that row") in text
    assert "a gradient has the shape of its node" in markdown("08_backprop_by_hand")


# --- 09 --------------------------------------------------------------------------------------------

def test_09_raw_numbers_give_a_huge_loss_and_lopsided_gradients(live_coding):
    ns = live_coding  # the notebook's first try again, on fresh parameters drawn the same way
    params = ns["init_params"](4, 16)
    loss = ns["mse"](ns["y_train_raw"], ns["forward"](ns["X_train_raw"], *params))
    loss.backward()
    assert 1e4 <= loss.value.item() < 1e6  # "tens of thousands"
    rows = np.linalg.norm(params[0].grad, axis=1)
    assert rows[0] / rows[1] > 100  # square feet vs bedrooms: "hundreds of times larger"


def test_09_the_standardised_data(live_coding):
    assert np.allclose(live_coding["X_train"].mean(axis=0), 0) and np.allclose(live_coding["X_train"].std(axis=0), 1)
    assert live_coding["y_train"].std() == pytest.approx(1)


def test_09_sanity_checks(live_coding):
    ns = live_coding
    set_params = ns["init_params"](4, 16)
    first = ns["mse"](ns["y_train"], ns["forward"](ns["X_train"], *set_params)).value.item()
    assert abs(first - 1) < 0.05  # "within a few percent of 1"
    assert all(check.ok for check in ns["checks"])  # the gradient check before training
    assert ns["tiny_losses"][-1] < 1e-3 < ns["tiny_losses"][0]  # overfitting 8 rows


def test_09_your_engine_gives_the_packages_gradients_up_to_rounding(live_coding):
    ns = live_coding
    assert [g.shape for g in ns["yours"]] == [(4, 16), (1, 16), (16, 1), (1, 1)]   # the comparison cell ran
    params = ns["init_params"](4, 16)
    y_hat = ns["forward"](ns["X_train"], *params)
    loss = ns["lecture_loss"](ns["y_train"], y_hat)
    assert {n.op for n in topological_order(loss) if n.op} == {"Add", "Sub", "Mul", "T", "ReLU"}  # five ops only
    assert loss.value.item() == pytest.approx(ns["mse"](ns["y_train"], y_hat).value.item())      # = mse
    ns["backward"](loss)
    yours = [p.grad for p in params]
    zero_grad(params)
    loss.backward()
    assert max(np.abs(g - p.grad).max() for g, p in zip(yours, params)) < 1e-12       # "up to rounding"


def test_09_the_training_loop_and_the_full_run(live_coding):
    ns = live_coding
    assert ns["test_losses"][-1] < 0.2 and ns["train_losses"][-1] < ns["train_losses"][0] / 5
    assert len(ns["train_losses"]) == 300 and ns["live_fit"].frames == 5  # redrawn at 1, 75, ..., 300
    assert ns["test_loss"] < 0.2  # "a held-out ℒ below 0.2 on the apartments"
    typical_error = np.sqrt(ns["test_loss"]) * ns["y_std"]
    assert 28 < typical_error < 40  # the data's noise is 35 k$


def test_09_the_break_it_baseline_is_healthy_for_every_seed(live_coding):
    ns = live_coding
    defaults = inspect.signature(ns["run"]).parameters
    assert (defaults["lr"].default, defaults["steps"].default) == (0.05, 300)  # "300 steps with η = 0.05"
    assert "300 steps with η = 0.05" in markdown("09_live_coding")
    assert np.all(np.diff(ns["healthy"]) < 0)                                  # the notebook's own run
    for seed in range(10):                          # "ℒ falls at every step from the first, for every seed from 0 to 9"
        assert np.all(np.diff(ns["run"](ns["fresh_params"](seed))) < 0), seed


def test_09_break_it(live_coding):
    ns = live_coding
    text = markdown("09_live_coding")
    healthy = ns["healthy"]
    too_high = np.asarray(ns["too_high"])
    step = int(re.search(r"at η = 0\.6 it is inf by step (\d+)", text).group(1))
    assert np.isinf(too_high[step - 1]) and np.all(np.isfinite(too_high[:step - 1]))
    assert ns["stuck"][0] == pytest.approx(ns["stuck"][-1], abs=1e-12) and not ns["zeros"][0].value.any()
    same = ns["same"][0].value
    assert np.allclose(same, same[:, :1])  # sixteen identical hidden units
    assert ns["same_losses"][-1] < 0.5 * ns["same_losses"][0]  # "ℒ still falls"
    dead = int(re.search(r"so (\d+) of the 16 hidden units get a negative input", text).group(1))
    assert np.all(ns["Z"] <= 0, axis=0).sum() == dead
    assert ns["dead_losses"][-1] > 3 * healthy[-1]  # "stalls far above the healthy run"


def test_09_gradients_never_zeroed_diverge_where_the_text_says(live_coding):
    ns = live_coding
    text = markdown("09_live_coding")
    above, overflow = map(int, re.search(r"from step (\d+) ℒ is above where it started, and at step (\d+) it "
                                         r"overflows to inf", text).groups())
    losses = np.asarray(ns["never_zeroed"])
    assert min(losses[:10]) < losses[0]                                    # "falls at first"
    assert int(np.argmax(losses > losses[0])) + 1 == above
    assert np.isinf(losses[overflow - 1]) and np.all(np.isfinite(losses[:overflow - 1]))
    key = plots.training_runs([("zeroing the gradients", ns["healthy"]), ("never zeroing them", losses)])
    labels = [t.get_text() for t in key.axes[0].get_legend().get_texts()]
    assert f'the key says "diverged at step {overflow}"' in text and labels[1].endswith(f"diverged at step {overflow}")


def test_09_gradients_never_zeroed_over_seeds_0_to_9(live_coding):
    ns = live_coding
    text = markdown("09_live_coding")
    assert "Over seeds 0 to 9 it is the only one of ten to diverge within 300 steps" in text
    with np.errstate(over="ignore", invalid="ignore"):
        for seed in range(10):
            healthy = ns["run"](ns["fresh_params"](seed))
            never = np.asarray(ns["run"](ns["fresh_params"](seed), zero_the_gradients=False))
            finite = never[np.isfinite(never)]
            assert (len(finite) < len(never)) == (seed == 0), seed  # only the notebook's run, seed 0, diverges
            assert finite.min() > healthy[-1], seed                # "never as low as where their healthy twins end"
            if seed:
                swings = np.sum(np.diff(np.sign(np.diff(finite[-100:]))) != 0)
                assert swings > 20, seed                           # "the other nine swing to the end"


def test_09_the_classifier(live_coding):
    ns = live_coding
    y = ns["y_toy_train"]
    assert ns["test_accuracy"] >= 0.95
    assert ns["live_boundary"].frames == 5  # redrawn at 1, 100, ..., 400
    assert abs(ns["toy_train_losses"][0] - np.mean(y**2)) < 0.05  # after shrinking W3: ℒ ≈ mean(y²)


def test_09_back_to_the_introduction(live_coding):
    ns = live_coding
    net, X, y = ns["net"], ns["X_toy_train"], ns["y_toy_train"]
    norms = layer_gradient_norms(net, X, y)
    assert norms.max() / norms.min() < 100  # "within a factor of 100 of each other"
    before = sum(np.all(Z <= 0, axis=0).sum() for Z in hidden_preactivations(net, X))
    after_step = one_sgd_step(net, X, y, 50.0)
    after = sum(np.all(Z <= 0, axis=0).sum() for Z in hidden_preactivations(after_step, X))
    assert after - before >= 2  # "several units ... die at once"
    assert dead_relu_fraction(net, X).max() < 0.5  # the trained network keeps most of its units


def trained_on_the_circle(ns, net, lr, steps=400):
    """The notebook's classifier loop (without the pictures), on its training points."""
    X, y = ns["X_toy_train"], ns["y_toy_train"]
    params = net.parameters()
    with np.errstate(all="ignore"):
        for _ in range(steps):
            loss = ns["mse"](y, net(X))
            zero_grad(params)
            loss.backward()
            for p in params:
                p.value -= lr * p.grad
    return float(np.mean((net(ns["X_toy_test"]).value > 0.5) == (ns["y_toy_test"] > 0.5)))


def test_09_the_answers_to_try_it_yourself(live_coding):
    ns = live_coding
    text = markdown("09_live_coding")
    X, y = ns["X_toy_train"], ns["y_toy_train"]
    class_0 = 1 - ns["y_toy_test"]
    assert round(float(np.mean(1 - y)), 2) == 0.56 and round(float(np.mean(class_0)), 2) == 0.57
    assert "the class of 56% of the *training* points, here also the more common held-out class: 57%" in text
    assert "Seeds 0 to 9 of its `rng` all end answering class 0" in text
    ratios, dead_units = [], []
    for seed in range(10):
        sigmoid = ns["MLP"]([2, 16, 16, 16, 16, 1], activation="sigmoid", rng=np.random.default_rng(seed))
        norms = layer_gradient_norms(sigmoid, X, y)
        ratios.append(norms[0] / norms[-1])
        answered = trained_on_the_circle(ns, sigmoid, 0.2)
        assert answered == pytest.approx(np.mean(class_0)), seed  # "all end answering class 0"
        classifier = ns["MLP"]([2, 16, 16, 1], rng=np.random.default_rng(seed))
        classifier.layers[-1].W.value *= 0.1
        accuracy = trained_on_the_circle(ns, classifier, 1.0)
        assert accuracy in (pytest.approx(np.mean(class_0)), pytest.approx(1 - np.mean(class_0))), seed  # one class
        dead_units.append([int(np.all(Z <= 0, axis=0).sum()) for Z in hidden_preactivations(classifier, X)])
        if seed == 0:
            assert accuracy == pytest.approx(np.mean(class_0))        # "answers class 0 everywhere: 57%"
    assert f"starts with {ratios[0] * 1e5:.1f} · 10⁻⁵ of the last layer's gradient" in text
    assert dead_units[0] == [5, 14] and "19 of the 32 hidden units die (5 in the first layer, 14 in the second)" in text
    totals = [sum(dead) for dead in dead_units]
    assert (min(totals), max(totals)) == (6, 32) and "between 6 and 32 units die" in text
