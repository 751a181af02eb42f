"""plots.draw_backward_pass (07): the complete backward pass drawn on the graph, read back as data."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from lecture_utils import Add, Mul, ReLU, Sub, T, Tensor, graph, plots
from lecture_utils.plots import style
from lecture_utils.plots.style import Figure
from networks import network


def backward_picture(root, **options):
    """(the traced graph, the steps, the figure) of the backward pass of `root`."""
    g = graph.trace(root)
    steps = graph.backward_steps(root)
    return g, steps, plots.draw_backward_pass(g, steps, **options)


def drawn(ax, kind):
    """{gid: artist} of the artists whose gid starts with `kind` ("backward", "new upstream", "node gradient")."""
    return {artist.get_gid(): artist for artist in ax.get_children() if (artist.get_gid() or "").startswith(kind)}


def laid_out(g):
    """The graph as draw_backward_pass lays it out."""
    return plots.graph_layout(g, **plots.BACKWARD_SPACING)


def distance(point, node):
    """How far a point is from a node's outline (a circle for an op, a box for a value); 0 inside it."""
    dx, dy = point[0] - node.x, point[1] - node.y
    if node.is_op:
        return max(0.0, float(np.hypot(dx, dy)) - node.width / 2)
    return float(np.hypot(max(0.0, abs(dx) - node.width / 2), max(0.0, abs(dy) - node.height / 2)))


def exercise_graph():
    """Notebook 07's exercise: u = ab, v = u + c, h = ReLU(v), e = h − a, ℒ = eᵀe (a and e used twice)."""
    a, b, c = (Tensor(value, name=name, requires_grad=True) for value, name in [(1.5, "a"), (-0.5, "b"), (2.0, "c")])
    e = Sub(ReLU(Add(Mul(a, b).named("u"), c).named("v")).named("h"), a).named("e")
    return Mul(T(e).named("eᵀ"), e).named("ℒ")


def test_one_orange_arrow_back_along_every_edge_that_carries_a_gradient_and_none_to_data():
    t = network(output_bias=True)
    g, steps, fig = backward_picture(t["loss"])
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    arrows = drawn(ax, "backward")
    # an edge source -> target carries a gradient back when its source needs one (an op node: its result)
    expected = {f"backward {e.target} {e.source}" for e in g.edges if g[e.source].tensor.requires_grad}
    assert set(arrows) == expected and len(expected) == 24 - 2  # 24 edges, 2 of them out of X and y
    data = {g.value_node(t[name]).key for name in ("X", "y")}
    assert not [gid for gid in arrows if gid.split()[2] in data]
    orange = [p for p in ax.patches
              if isinstance(p, FancyArrowPatch) and p.get_edgecolor()[:3] == to_rgb(style.line_colour(style.HIGHLIGHT))]
    assert len(orange) == len(expected)
    layout = laid_out(g)
    for gid, arrow in arrows.items():  # from the source's outline to the target's
        source, target = (layout[key] for key in gid.split()[1:])
        tail, tip = arrow.get_path().vertices[0], arrow.get_path().vertices[2]
        assert distance(tail, source) < distance(tail, target) and distance(tip, target) < distance(tip, source)


def test_each_arrow_to_an_input_is_labelled_with_the_new_upstream_of_its_rule():
    t = network(output_bias=True)
    g, steps, fig = backward_picture(t["loss"])
    labels = {gid: text.get_text() for gid, text in drawn(fig.axes[0], "new upstream").items()}
    inputs = 0
    for step in steps[1:]:
        op = g.op_node(step.node)
        for record in step.parents:
            gid = f"new upstream {op.key} {g.value_node(record.parent).key}"
            if not record.needs_gradient:
                assert gid not in labels  # data: nothing is sent
                continue
            inputs += 1
            assert f"∂ℒ/∂{record.parent.name} = {labels[gid].replace(chr(10), ' ')}" == record.rule
    assert len(labels) == inputs == 13  # the arrows from a result back to its op carry no label

    def label(op_of, to):
        return labels[f"new upstream {g.op_node(t[op_of]).key} {g.value_node(t[to]).key}"]

    assert label("HW2", "H") == "UP · W2ᵀ" and label("XW1", "W1") == "Xᵀ · UP"
    assert label("err", "y_hat") == "−UP"
    assert label("y_hat", "b2") == label("Z1", "b1") == "UP, summed over\nthe 4 rows"
    assert label("loss", "errT_err") == "1/4 · UP"


def test_every_value_that_needs_a_gradient_shows_its_node_gradient_with_its_shape():
    t = network(output_bias=True)
    g, steps, fig = backward_picture(t["loss"])
    gradients = {gid.split()[2]: text for gid, text in drawn(fig.axes[0], "node gradient").items()}
    assert set(gradients) == {g.value_node(tensor).key for tensor in g.order if tensor.requires_grad}
    assert len(gradients) == 13 and not {g.value_node(t[name]).key for name in ("X", "y")} & set(gradients)

    def text(name):
        return gradients[g.value_node(t[name]).key].get_text()

    assert [text(name) for name in ("W1", "b1", "W2", "b2")] == \
        ["∂ℒ/∂W1  [2×3]", "∂ℒ/∂b1  [1×3]", "∂ℒ/∂W2  [3×1]", "∂ℒ/∂b2  [1×1]"]
    assert text("loss") == "∂ℒ/∂ℒ = 1  [1×1]"                   # the start
    assert text("err") == "∂ℒ/∂err  [4×1]\nsum of 2 upstreams"   # used by T and by Mul
    assert text("y_hat") == "∂ℒ/∂ŷ  [4×1]" and text("errT") == "∂ℒ/∂errᵀ  [1×4]"
    for label in gradients.values():
        assert label.get_bbox_patch().get_edgecolor()[:3] == to_rgb(style.line_colour(style.HIGHLIGHT))


def test_the_forward_graph_is_drawn_as_draw_graph_draws_it():
    t = network(output_bias=True)
    g, steps, fig = backward_picture(t["loss"])
    forward = plots.draw_graph(laid_out(g), legend=False).axes[0]
    ax = fig.axes[0]
    assert sorted(x.get_text() for x in ax.texts if x.get_gid() is None) == sorted(x.get_text() for x in forward.texts)
    for kind in (FancyBboxPatch, Circle):
        assert sum(isinstance(p, kind) for p in ax.patches) == sum(isinstance(p, kind) for p in forward.patches)
    grey = [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_gid() is None]
    assert len(grey) == len(g.edges)
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend[-2:] == ["backward: the new upstream UP × local",
                           "∂ℒ/∂(value): the sum of the upstreams it receives"]


def _overlap(a, b):
    """The area (in pixels²) two display boxes share."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


@pytest.mark.parametrize("make", [lambda: network(output_bias=True)["loss"], lambda: network()["loss"],
                                  exercise_graph, lambda: graph.diamond_chain(3)],
                         ids=["the lecture's network", "without b2", "the exercise", "three diamonds"])
def test_no_label_covers_another_label_a_node_or_a_shape(make):
    _, _, fig = backward_picture(make(), title="the backward pass")
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [x.get_bbox_patch().get_window_extent(renderer) for x in ax.texts if x.get_gid()]
    shapes = [x.get_window_extent(renderer) for x in ax.texts if x.get_gid() is None and x.get_text().startswith("[")]
    nodes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, (Circle, FancyBboxPatch))]
    assert labels and shapes and nodes
    for i, label in enumerate(labels):
        assert all(_overlap(label, other) < 1 for other in labels[i + 1:] + shapes + nodes)
    # drawn at its natural size (an inch of the layout is an inch of the figure), inside the figure
    x0, x1 = ax.get_xlim()
    assert ax.get_window_extent(renderer).width / fig.dpi == pytest.approx(x1 - x0, rel=0.03)
    assert all(fig.bbox.x0 <= label.x0 and label.x1 <= fig.bbox.x1 for label in labels)


def test_the_steps_must_be_those_of_the_graphs_own_loss():
    g = graph.trace(network()["loss"])
    with pytest.raises(ValueError, match="the steps of the graph's own loss"):
        plots.draw_backward_pass(g, graph.backward_steps(network(seed=1)["loss"]))
    with pytest.raises(ValueError, match="the steps of the graph's own loss"):
        plots.draw_backward_pass(g, [])
