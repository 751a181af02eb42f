"""lecture_utils.graph (tracing, the backward replay, the naive recursion) and its pictures, plots.graph (07)."""

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from figures import changed_axes, layers_snapshot
from lecture_utils import Add, Mul, ReLU, Sigmoid, Sub, T, Tensor, graph, numerical_gradient, plots, widgets
from lecture_utils.plots import style
from lecture_utils.plots.style import Figure
from networks import N, network


def loss_of(t):
    """Recompute the loss from the current parameter values (for central differences)."""
    err = Sub(t["y"], Mul(ReLU(Add(Mul(t["X"], t["W1"]), t["b1"])), t["W2"]))
    return Mul(T(err), err) / N


# --- tracing and layout ---------------------------------------------------------------

def test_trace_makes_a_value_node_per_tensor_and_an_op_node_per_op():
    t = network()
    g = graph.trace(t["loss"])
    values = [n for n in g.nodes if not n.is_op]
    ops = [n for n in g.nodes if n.is_op]
    assert len(values) == 13 and len(ops) == 8
    assert {n.label for n in values if n.kind == "data"} == {"X", "y"}
    assert {n.label for n in values if n.kind == "parameter"} == {"W1", "b1", "W2"}
    assert sorted(n.label for n in ops) == sorted(["Mul", "Add", "ReLU", "Mul", "Sub", "T", "Mul", "/4"])
    assert g.value_node(t["W1"]).label == "W1" and g.op_node(t["H"]).label == "ReLU"
    with pytest.raises(KeyError):
        g.op_node(t["X"])  # data was made by no op


def test_every_edge_carries_the_shape_of_its_matrix():
    t = network()
    g = graph.trace(t["loss"])
    assert len(g.edges) == 8 + sum(len(x.parents) for x in g.order)  # inputs -> op, op -> result
    labels = {(g[e.source].label, g[e.target].label): e.label for e in g.edges}
    assert labels[("X", "Mul")] == "[4×2]" and labels[("W1", "Mul")] == "[2×3]"
    assert labels[("b1", "Add")] == "[1×3]" and labels[("T", "errᵀ")] == "[1×4]"
    assert labels[("/4", "ℒ")] == "[1×1]"
    for edge in g.edges:
        source, target = g[edge.source], g[edge.target]
        tensor = target.tensor if source.is_op else source.tensor  # the matrix flowing along the edge
        assert edge.shape == tensor.shape
    # err is used twice: two edges leave it
    assert sum(1 for e in g.edges if e.source == g.value_node(t["err"]).key) == 2


def test_layout_runs_left_to_right_without_overlapping_nodes():
    for root in [network()["loss"], graph.diamond_chain(3)]:
        g = plots.graph_layout(root)
        for edge in g.edges:
            assert g[edge.source].x < g[edge.target].x  # inputs left of the ops that use them
        nodes = list(g.nodes)
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                apart_x = abs(a.x - b.x) >= (a.width + b.width) / 2
                apart_y = abs(a.y - b.y) >= (a.height + b.height) / 2
                assert apart_x or apart_y, (a.label, b.label)
        x0, x1, y0, y1 = g.extent()
        assert all(x0 < n.x < x1 and y0 < n.y < y1 for n in nodes)


def test_op_labels():
    x = Tensor(np.ones((2, 2)), name="x", requires_grad=True)
    assert graph.op_label(x / 4) == "/4"
    assert graph.op_label(x * 0.5) == "/2"
    assert graph.op_label(x * 0.3) == "×0.3"
    assert graph.op_label(-x) == "×−1"
    assert graph.op_label(Sigmoid(x)) == "σ"
    assert graph.op_label(ReLU(x)) == "ReLU"


def test_trace_needs_a_tensor():
    with pytest.raises(TypeError, match="needs a Tensor"):
        graph.trace(np.ones((1, 1)))


def test_edge_list_names_each_input_once():
    t = network()
    names, edges = graph.edge_list(t["loss"])
    assert len(names) == 13 and names[-1] == "ℒ"
    assert ("err", "errᵀ") in edges and ("err", "errᵀerr") in edges and ("errᵀ", "errᵀerr") in edges
    x = Tensor(np.ones((1, 1)), requires_grad=True)
    names, edges = graph.edge_list(Add(x, x))  # unnamed nodes, one input used twice
    assert names == ["#0", "#1"] and edges == [("#0", "#1")]


# --- drawing the graph ------------------------------------------------------------------

def test_draw_graph_boxes_circles_arrows_and_shapes():
    t = network()
    g = graph.trace(t["loss"])
    fig = plots.draw_graph(g, title="the network")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == 13 and len(circles) == 8 and len(arrows) == len(g.edges)
    texts = [text.get_text() for text in ax.texts]
    for node in g.nodes:
        assert node.label in texts
    assert texts.count("[4×3]") == sum(1 for e in g.edges if e.label == "[4×3]")
    assert ax.get_title() == "the network"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend[:4] == ["data", "parameter (requires_grad)", "intermediate value", "op"]
    # parameters are told apart from data by colour and by a thicker border
    edge_colors = {(round(b.get_linewidth(), 1), tuple(np.round(b.get_edgecolor()[:3], 3))) for b in boxes}
    parameter = (2.2, tuple(np.round(to_rgb(style.MODEL), 3)))
    data = (1.0, tuple(np.round(to_rgb(style.DATA), 3)))
    assert parameter in edge_colors and data in edge_colors
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_draw_graph_accepts_a_tensor_and_frames_highlighted_nodes():
    t = network()
    plain = plots.draw_graph(t["loss"], legend=False)
    assert plain.axes[0].get_legend() is None
    framed = plots.draw_graph(t["loss"], highlight=[t["err"]], legend=False)
    extra = [p for p in framed.axes[0].patches if p.get_edgecolor()[:3] == to_rgb(style.line_colour(style.HIGHLIGHT))]
    assert len(extra) == 1
    err_node = plots.graph_layout(t["loss"]).value_node(t["err"])
    assert extra[0].get_x() < err_node.x - err_node.width / 2  # around the err box
    assert len(framed.axes[0].patches) == len(plain.axes[0].patches) + 1


# --- the backward replay --------------------------------------------------------------------

def test_replay_gives_the_gradients_of_central_differences():
    t = network()
    steps = graph.backward_steps(t["loss"])
    replayed = graph.replayed_gradients(steps)
    for name in ["W1", "b1", "W2"]:
        numeric = numerical_gradient(lambda _: loss_of(t), t[name].value)
        assert np.allclose(replayed[t[name]], numeric, atol=1e-6)


def test_replay_equals_backward_and_changes_no_gradient():
    t = network()
    steps = graph.backward_steps(t["loss"])
    assert all(x.grad is None for x in graph.trace(t["loss"]).order)  # nothing was left behind
    replayed = graph.replayed_gradients(steps)
    earlier = {name: np.ones(t[name].shape) for name in ["W1", "b1", "W2"]}  # left by an earlier pass
    for name, grad in earlier.items():
        t[name].grad = grad
    graph.backward_steps(t["loss"])
    assert all(t[name].grad is earlier[name] and np.all(earlier[name] == 1) for name in earlier)  # as it was
    for name in earlier:
        t[name].zero_grad()
    t["loss"].backward()
    for name in ["W1", "b1", "W2", "H", "err"]:
        assert np.array_equal(replayed[t[name]], t[name].grad)


def test_the_steps_the_notebook_describes():
    t = network()
    steps = graph.backward_steps(t["loss"])
    assert len(steps) == 9 and steps[0].is_start and steps[0].node is t["loss"]
    assert np.array_equal(steps[0].upstream, [[1.0]])
    # step 1: /4 turns UP = 1 into 1/4
    assert steps[1].node is t["loss"] and steps[1].node.op == "Scale"
    assert np.allclose(steps[1].parents[0].new_upstream, 0.25)
    # steps 2 and 3: err receives a piece from Mul, then T adds the second
    assert steps[2].node is t["errT_err"] and [r.parent for r in steps[2].parents] == [t["errT"], t["err"]]
    first = steps[2].parents[1]
    assert first.before is None and np.array_equal(first.after, first.new_upstream)
    assert steps[3].node is t["errT"] and steps[3].node.op == "T"
    second = steps[3].parents[0]
    assert second.parent is t["err"] and second.before is first.after
    assert np.allclose(second.after, 2 * t["err"].value / N)
    # step 4: Sub passes −UP to ŷ and nothing to the data y
    sub = steps[4]
    assert sub.node is t["err"]
    y_record, y_hat_record = sub.parents
    assert y_record.parent is t["y"] and not y_record.needs_gradient and y_record.after is None
    assert np.allclose(y_hat_record.new_upstream, -sub.upstream)
    # the last step: W1 gets Xᵀ · UP, the shape of W1
    last = steps[-1]
    assert last.node is t["XW1"] and last.parents[1].parent is t["W1"]
    assert last.parents[1].new_upstream.shape == (2, 3)
    assert np.allclose(last.parents[1].new_upstream, t["X"].value.T @ last.upstream)
    assert last.parents[1].rule == "∂ℒ/∂W1 = Xᵀ · UP"


def test_local_gradients_and_rules():
    t = network()
    steps = {step.node.name: step for step in graph.backward_steps(t["loss"])[1:]}
    mul = steps["ŷ"]
    assert mul.parents[0].rule == "∂ℒ/∂H = UP · W2ᵀ" and np.array_equal(mul.parents[0].local, t["W2"].value.T)
    assert mul.parents[1].rule == "∂ℒ/∂W2 = Hᵀ · UP" and mul.parents[1].local_label == "Hᵀ [3×4]"
    relu = steps["H"].parents[0]
    assert np.array_equal(relu.local, (t["Z1"].value > 0).astype(float))
    assert np.allclose(relu.new_upstream, steps["H"].upstream * relu.local)
    bias = steps["XW1+b1"].parents[1]
    assert "summed over the 4 rows" in bias.rule and np.allclose(bias.new_upstream,
                                                                  steps["XW1+b1"].upstream.sum(0, keepdims=True))
    transpose = steps["errᵀ"].parents[0]
    assert transpose.local is None and transpose.local_label == "transpose"
    assert steps["errᵀerr"].parents[1].local_label == "err [4×1]"  # the transpose of errᵀ is err
    assert steps["ℒ"].parents[0].local == pytest.approx(0.25) and steps["ℒ"].parents[0].local_label == "1/4"
    assert steps["err"].parents[1].rule == "∂ℒ/∂ŷ = −UP" and steps["err"].parents[1].local == -1.0


def test_gradient_contributions_of_err_sum_to_two_err_over_n():
    t = network()
    pieces = graph.gradient_contributions(t["loss"], t["err"])
    assert [consumer for consumer, _ in pieces] == [t["errT_err"], t["errT"]]
    for _, piece in pieces:
        assert np.allclose(piece, t["err"].value / N)
    assert np.allclose(sum(piece for _, piece in pieces), 2 * t["err"].value / N)


def test_complete_after_grows_from_the_loss_to_every_parameter():
    t = network()
    g = graph.trace(t["loss"])
    steps = graph.backward_steps(t["loss"])
    assert graph.complete_after(g, steps, 0) == [t["loss"]]
    after_two = graph.complete_after(g, steps, 2)
    assert t["errT"] in after_two and t["err"] not in after_two  # T has not passed its piece yet
    assert t["err"] in graph.complete_after(g, steps, 3)
    everything = graph.complete_after(g, steps, len(steps) - 1)
    assert {x.name for x in everything} == {x.name for x in g.order if x.requires_grad}


# --- drawing one backward step ----------------------------------------------------------------

def _count(ax, kind):
    return sum(1 for artist in ax.get_children() if isinstance(artist, kind))


def test_draw_backward_step_marks_the_op_and_shows_its_numbers():
    t = network()
    g = graph.trace(t["loss"])
    steps = graph.backward_steps(t["loss"])
    fig = plots.draw_backward_step(g, steps, 2)
    top, bottom = fig.axes
    assert top.get_title().startswith("step 2 of 8: Mul passes UP = ∂ℒ/∂errᵀerr back to errᵀ, err")
    orange = to_rgb(style.line_colour(style.HIGHLIGHT))
    halos = [p for p in top.patches if p.get_edgecolor()[:3] == orange and not p.get_fill()]
    assert len(halos) == 2  # the op and its result
    backward_arrows = [p for p in top.patches if isinstance(p, FancyArrowPatch)
                       and p.get_edgecolor()[:3] == orange]
    assert len(backward_arrows) == 3  # to errᵀ, to err, and from the result to the op
    dots = top.collections[0].get_offsets()
    assert len(dots) == len(graph.complete_after(g, steps, 2))
    matrices = [c for c in bottom.collections if isinstance(c, PolyCollection)]
    assert len(matrices) == 1 + 3 * 2  # UP, and local, node and accumulated gradient for each input
    assert np.allclose(matrices[0].get_array().reshape(1, 1), steps[2].upstream)
    texts = " | ".join(text.get_text() for text in bottom.texts)
    assert "new upstream to errᵀ = UP · errᵀ" in texts and "new upstream to err = err · UP" in texts


def test_backward_step_values_for_the_start_a_number_and_data():
    t = network()
    steps = graph.backward_steps(t["loss"])
    start = plots.backward_step_values(steps[0])
    assert "The start" in " ".join(text.get_text() for text in start.axes[0].texts)
    scale = plots.backward_step_values(steps[1])
    assert "1/4" in [text.get_text() for text in scale.axes[0].texts]  # a number, not a heatmap
    sub = plots.backward_step_values(steps[4])
    texts = " ".join(text.get_text() for text in sub.axes[0].texts)
    assert "y is data (requires_grad=False)" in texts
    assert _count(sub.axes[0], PolyCollection) == 1 + 2  # UP; for ŷ its node and accumulated gradient
    assert "−1" in [text.get_text() for text in sub.axes[0].texts]  # ŷ's local gradient, a number


def test_the_numbers_of_a_step_are_written_in_their_cells_as_every_matrix_is():
    t = network()
    steps = graph.backward_steps(t["loss"])
    upstream = steps[5].upstream  # ∂ℒ/∂ŷ [4×1]: negative entries
    ax = plots.backward_step_values(steps[5]).axes[0]
    cells = next(c for c in ax.collections if isinstance(c, PolyCollection))
    assert np.allclose(cells.get_array(), upstream.ravel())
    (left, _), (right, _) = cells.get_paths()[0].vertices[:2]
    written = {(round(text.get_position()[0], 6), text.get_text()) for text in ax.texts}
    for value in upstream.ravel():  # each entry centred in its cell, as style.number writes it
        assert (round((left + right) / 2, 6), style.number(value)) in written
    assert style.number(upstream[0, 0]) == f"−{abs(upstream[0, 0]):.2f}"  # a true minus sign
    assert cells.get_alpha() == 0.55  # light cells: every number in ink, even on the darkest
    assert {to_rgb(text.get_color()) for text in ax.texts} == {to_rgb(style.INK)}


# --- why the order matters ----------------------------------------------------------------------

@pytest.mark.parametrize("length", [1, 2, 5, 8])
def test_naive_recursion_is_exponential_and_the_topological_order_linear(length):
    root = graph.diamond_chain(length, x=0.7)
    naive, naive_visits = graph.naive_backward(root)
    topological, topological_visits = graph.topological_backward(root)
    assert naive_visits == 3 * 2 ** length - 2
    assert topological_visits == 2 * length + 1
    (x0,) = naive
    assert x0.name == "s₀" and list(topological) == [x0]
    assert naive[x0].item() == topological[x0].item() == 2.0 ** length  # ∂sₙ/∂s₀ = 2ⁿ for s₀ > 0
    assert root.value.item() == pytest.approx(0.7 * 2 ** length)
    assert x0.grad is None  # neither method leaves a gradient behind


def test_a_blocking_relu_leaves_one_path():
    root = graph.diamond_chain(4, x=-0.3)
    naive, _ = graph.naive_backward(root)
    (x0,) = naive
    assert naive[x0].item() == 1.0 and graph.topological_backward(root)[0][x0].item() == 1.0


def test_naive_recursion_gets_the_network_right_too():
    t = network()
    naive, visits = graph.naive_backward(t["loss"])
    assert visits > 13  # err's ancestors are visited twice
    numeric = numerical_gradient(lambda _: loss_of(t), t["W1"].value)
    assert np.allclose(naive[t["W1"]], numeric, atol=1e-6)
    assert t["X"] not in naive  # data needs no gradient


def test_visit_counts_table_as_in_the_notebook():
    rows = graph.visit_counts(range(1, 11))
    assert [r[0] for r in rows] == list(range(1, 11))
    assert all(naive == 3 * 2 ** n - 2 and topological == 2 * n + 1 and difference == 0.0
               for n, naive, topological, difference in rows)


def test_thirty_diamonds_as_the_notebook_says():
    """"With 30 diamonds that is about 3.2 billion visits against 61": the topological order is counted on a
    chain of 30 diamonds; the naive recursion, too slow to run there, makes 3·2ⁿ − 2 visits on every chain
    it is run on (above)."""
    gradients, visits = graph.topological_backward(graph.diamond_chain(30, x=0.7))
    assert visits == 61
    assert list(gradients.values())[0].item() == 2.0 ** 30  # every one of the 2³⁰ paths counted once


def test_visit_counts_plot_and_marker():
    rows = graph.visit_counts(range(1, 6))
    fig = plots.visit_counts_plot(rows, current=3)
    ax = fig.axes[0]
    naive, topological, marker = ax.get_lines()
    assert naive.get_ydata().tolist() == [4, 10, 22, 46, 94]
    assert topological.get_ydata().tolist() == [3, 5, 7, 9, 11]
    assert marker.get_xydata().tolist() == [[3, 7], [3, 22]]
    assert ax.get_yscale() == "log"
    assert "3 diamonds: 22 vs 7 visits" in [text.get_text() for text in ax.get_legend().get_texts()]
    assert len(plots.visit_counts_plot(rows).axes[0].get_lines()) == 2


def test_diamond_chain_figure():
    rows = graph.visit_counts(range(1, 5))
    fig = plots.diamond_chain_figure(3, rows)
    top, bottom = fig.axes
    assert top.get_title() == "3 diamonds: 2³ = 8 paths from s₀ to s₃"
    assert sum(isinstance(p, Circle) for p in top.patches) == 6  # a ReLU and an Add per diamond
    assert len(bottom.get_lines()) == 3
    framed = plots.diamond_chain_graph(1, frame_length=3)
    assert framed.axes[0].get_xlim() == top.get_xlim()  # drawn in the frame of 3 diamonds


# --- panels ----------------------------------------------------------------------------------

def test_backward_step_panel_walks_the_steps():
    t = network()
    panel = widgets.backward_step_panel(t["loss"])
    assert panel.controls["step"].max == len(panel.steps) - 1 == 8
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["step"].value = 3
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [0, 1] and panel.picture.data != png
    assert panel.moving_axes[0].get_title().startswith("step 3 of 8: T passes")
    again = layers_snapshot(panel)
    panel.controls["step"].value = 3  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again
    assert all(x.grad is None for x in t.values())  # the panel replays; it changes no gradient


def test_the_step_panel_owns_its_steps_its_graph_and_its_play_button_from_construction():
    t = network()
    panel = widgets.backward_step_panel(t["loss"], step=2)
    assert isinstance(panel, widgets.BackwardStepPanel) and panel.graph.root is t["loss"]
    play, step = panel.buttons["play"], panel.controls["step"]
    assert (step.min, step.max, step.value) == (0, len(panel.steps) - 1, 2) and play.description == "▶ play the steps"
    assert panel.widget.children[0].children == (step, step.slider, play)  # beside the slider, from the start
    assert panel.moving_axes[0].get_title().startswith("step 2 of 8")


def test_the_step_panel_plays_its_steps_to_the_last_and_stops(monkeypatch):
    import asyncio
    import threading

    import lecture_utils.widgets.graph as graph_widgets

    monkeypatch.setattr(graph_widgets, "STEP_SECONDS", 0.01)
    panel = widgets.backward_step_panel(network()["loss"], step=5)
    shown = []
    panel.controls["step"].observe(lambda change: shown.append(change["new"]), names="value")

    async def play():
        panel.buttons["play"].value = True
        while panel.buttons["play"].value:
            await asyncio.sleep(0.01)

    thread = threading.Thread(target=lambda: asyncio.run(play()))  # a loop of its own, as a kernel has
    thread.start()
    thread.join(timeout=30)
    assert shown == [6, 7, 8] and panel.moving_axes[0].get_title().startswith("step 8 of 8")


def test_diamond_chain_panel_adds_diamonds():
    panel = widgets.diamond_chain_panel(max_length=4)
    circles = sum(isinstance(p, Circle) for p in panel.moving_axes[0].patches)
    assert circles == 4  # two diamonds to start with
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["length"].value = 4
    assert sum(isinstance(p, Circle) for p in panel.moving_axes[0].patches) == 8
    assert changed_axes(before, layers_snapshot(panel)) == [0, 1] and panel.picture.data != png
    assert panel.moving_axes[1].get_lines()[-1].get_xydata().tolist() == [[4, 9], [4, 46]]
    again = layers_snapshot(panel)
    panel.controls["length"].value = 4  # the same value: nothing to redraw
    assert layers_snapshot(panel) == again


def test_the_diamond_chain_panel_keeps_its_bottom_title_in_the_kept_pixels():
    panel = widgets.diamond_chain_panel(max_length=4)
    panel.controls["length"].value = 3
    assert panel.moving_axes[0].get_title().startswith("3 diamonds")  # only the chain's title moves
    assert panel.moving_axes[1].get_title() == "" and panel.still_axes[1].get_title().startswith("Nodes visited")


def test_the_notebooks_network_passes_the_gradient_check():
    """The notebook's claims about its own network: backprop agrees with central differences, step 6 is ReLU."""
    from lecture_utils import check_gradients, set_seed
    from lecture_utils.data import load_apartments

    set_seed(0)
    apartments = load_apartments()
    t = {"X": Tensor(apartments.matrix(["square_feet", "bedrooms"])[:N] / [1000, 1], name="X"),
         "y": Tensor(apartments["price"][:N] / 100, name="y"),
         "W1": Tensor(np.random.randn(2, 3), name="W1", requires_grad=True),
         "b1": Tensor(np.zeros((1, 3)), name="b1", requires_grad=True),
         "W2": Tensor(np.random.randn(3, 1), name="W2", requires_grad=True)}
    rows = check_gradients(lambda: loss_of(t), [t["W1"], t["b1"], t["W2"]], show=False)
    assert all(row.ok for row in rows)
    assert graph.backward_steps(loss_of(t))[6].node.op == "ReLU"


def test_a_graph_used_up_by_backward_cannot_be_traced_or_replayed_and_says_why():
    t = network()
    t["loss"].backward()
    for call in (graph.trace, graph.backward_steps, graph.edge_list):
        with pytest.raises(RuntimeError, match="backward\\(\\) has already used up the graph that made ℒ"):
            call(t["loss"])
