"""Pictures and panels of notebook 04, drawn with representative arguments and read back."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.patches import Polygon

from figures import changed_axes, layers_snapshot, texts
from lecture_utils import checks, nn, plots, widgets
from lecture_utils.checks import projections as checks_module
from lecture_utils.lessons.linear_regression import map_plane
from lecture_utils.nn import architecture
from lecture_utils.plots import projections as plots_module
from lecture_utils.plots import style
from lecture_utils.plots.style import Figure
from lecture_utils.widgets import projections as widgets_module

LECTURE_W = np.array([[0.8, 0.2], [0.6, 0.1], [-0.2, -1.2]])
LECTURE_B = np.array([[0.3, -0.7]])
POINTS = np.array([[1.0, 1.5], [1.9, -0.1], [1.1, -0.8], [-0.9, 0.5], [-1.2, 0.25]])


def edges(ax):
    (collection,) = [c for c in ax.collections if c.get_label() == "weights"]
    return collection


def node_layers(ax):
    return [c for c in ax.collections if isinstance(c, PatchCollection)]


def test_no_other_module_shadows_these_names():
    """The package star-imports every notebook's module: a name defined twice would silently win."""
    for package, module in [(plots, plots_module), (widgets, widgets_module), (checks, checks_module)]:
        for name in module.__all__:
            assert getattr(package, name) is getattr(module, name), name


# --- counting parameters -------------------------------------------------------------------

def test_parameter_counts_of_the_lecture_sequence():
    # by hand: weights D·M per layer, one bias per unit after the inputs
    expected = {(2, 1): 3, (2, 2): 6, (2, 3): 9, (2, 4): 12, (2, 4, 1): 17, (2, 4, 2): 22, (2, 4, 3): 27,
                (2, 4, 3, 1): 31}
    assert [tuple(s) for s in plots.LECTURE_NETWORKS] == list(expected)
    for sizes, total in expected.items():
        assert sum(nn.parameter_count(sizes)) == total
    assert nn.parameter_count([2, 4, 3, 1]) == (23, 8) and architecture([2, 4, 3, 1]) == ([2, 4, 3, 1], 23, 8)


@pytest.mark.parametrize("sizes", [[2, 1], [3, 2], [2, 4, 3, 1], [5, 8, 8, 6]])
def test_parameter_count_equals_the_parameters_of_an_mlp(sizes):
    n_weights, n_biases = nn.parameter_count(sizes)
    net = nn.MLP(sizes, rng=np.random.default_rng(0))
    assert n_weights == sum(layer.W.value.size for layer in net.layers)
    assert n_biases == sum(layer.b.value.size for layer in net.layers)


@pytest.mark.parametrize("sizes", [[3], [2, 0, 1], []])
def test_parameter_count_rejects_networks_that_are_not_networks(sizes):
    with pytest.raises(ValueError, match="at least two layers"):
        nn.parameter_count(sizes)
    with pytest.raises(ValueError, match="at least two layers"):
        architecture(sizes)


def test_layer_sizes_leave_out_empty_hidden_layers_and_names_use_arrows():
    assert nn.layer_sizes(2, [4, 3], 1) == [2, 4, 3, 1]
    assert nn.layer_sizes(2, [0, 3], 1) == [2, 3, 1]
    assert nn.layer_sizes(3, [0, 0], 2) == [3, 2]
    assert plots.network_name([2, 4, 1]) == "2 → 4 → 1"


# --- network diagrams -----------------------------------------------------------------------

def test_network_diagram_draws_every_unit_and_weight_and_counts_the_parameters():
    fig = plots.network_diagram(architecture([2, 4, 3, 1]))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "2 → 4 → 3 → 1: 31 parameters (23 weights + 8 biases)"
    assert [len(layer.get_paths()) for layer in node_layers(ax)] == [2, 4, 3, 1]
    assert [layer.get_label() for layer in node_layers(ax)] == [
        "layer 0: 2 inputs", "layer 1: 4 hidden", "layer 2: 3 hidden", "layer 3: 1 outputs"]
    segments = edges(ax).get_segments()
    assert len(segments) == 23
    starts = {round(float(s[0][0]), 6) for s in segments}
    assert len(starts) == 3 and all(s[1][0] > s[0][0] for s in segments)  # left to right, layer by layer
    labels = texts(ax)
    for caption in ["x⁽¹⁾", "x⁽²⁾", "ŷ", "X [N×2]", "H₁ [N×4]", "H₂ [N×3]", "ŷ [N×1]", "W₁ [2×4]", "W₂ [4×3]",
                    "W₃ [3×1]"]:
        assert caption in labels
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_network_diagram_of_the_lectures_projection_shows_weights_biases_and_names():
    names = ["square feet", "bedrooms", "age"]
    fig = plots.network_diagram(architecture([3, 2]), weights=[LECTURE_W], biases=[LECTURE_B], input_names=names,
                                output_names=["space and comfort", "property condition"], output_symbol="h")
    ax = fig.axes[0]
    assert ax.get_title() == "3 → 2: 8 parameters (6 weights + 2 biases)"
    labels = texts(ax)
    for text in names + ["space and comfort", "property condition", "h⁽¹⁾", "h⁽²⁾", "X [N×3]", "H [N×2]",
                         "W [3×2]", "b⁽¹⁾ = 0.3", "b⁽²⁾ = −0.7", "0.8", "0.6", "−0.2", "0.2", "0.1", "−1.2"]:
        assert text in labels, text
    collection = edges(ax)
    # one line per weight, in the order of W's rows (inputs) and columns (outputs)
    signs = np.sign(LECTURE_W).ravel()
    colors = [tuple(c) for c in collection.get_edgecolor()]
    widths = collection.get_linewidths()
    assert len(colors) == 6
    from matplotlib.colors import to_rgba
    for sign, color in zip(signs, colors):
        assert color == to_rgba(style.MODEL if sign > 0 else style.DATA)
    assert np.argmax(widths) == 5 and np.argmin(widths) == 3  # |−1.2| the thickest, |0.1| the thinnest
    dashes = [d[1] for d in collection.get_linestyles()]
    assert [d is not None for d in dashes] == list(signs < 0)  # negative weights are dashed


def test_network_gallery_draws_the_lecture_sequence_at_one_scale():
    fig = plots.network_gallery([architecture(sizes) for sizes in plots.LECTURE_NETWORKS])
    assert len(fig.axes) == 8
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "2 → 1\n3 parameters (2 + 1)" and titles[-1] == "2 → 4 → 3 → 1\n31 parameters (23 + 8)"
    spans = {(round(np.ptp(ax.get_xlim()), 6), round(np.ptp(ax.get_ylim()), 6)) for ax in fig.axes}
    assert len(spans) == 1  # the same scale in every panel
    assert [len(edges(ax).get_segments()) for ax in fig.axes] == [2, 4, 6, 8, 12, 16, 20, 23]
    # inputs are the predictors x⁽ʲ⁾, several outputs ŷ⁽ʲ⁾ (a subscript would count samples)
    assert texts(fig.axes[0]) == ["x⁽¹⁾", "x⁽²⁾", "ŷ"]
    assert texts(fig.axes[2]) == ["x⁽¹⁾", "x⁽²⁾", "ŷ⁽¹⁾", "ŷ⁽²⁾", "ŷ⁽³⁾"]


# --- XW + b ---------------------------------------------------------------------------------

def test_xw_plus_b_shows_b_repeated_and_the_sum():
    XW = np.array([[1.0, -2.0], [0.5, 0.25], [3.0, 1.0], [-1.0, 0.0], [2.0, 2.0], [9.0, 9.0]])
    fig = plots.xw_plus_b(XW, LECTURE_B, XW + LECTURE_B, rows=4)
    ax = fig.axes[0]
    assert ax.get_title() == "XW + b: b [1×2] is added to each of the N = 6 rows (broadcasting)"
    labels = texts(ax)
    for caption in ["XW [N×2]", "b [1×2], repeated\nover the N rows", "H = XW + b [N×2]"]:
        assert caption in labels
    numbers = [t for t in labels if t.replace("−", "").replace(".", "").isdigit()]
    assert numbers[:8] == ["1.00", "−2.00", "0.50", "0.25", "3.00", "1.00", "−1.00", "0.00"]  # XW, row by row
    assert numbers[8:16] == ["0.30", "−0.70"] * 4  # b and its three copies
    assert numbers[16:] == ["1.30", "−2.70", "0.80", "−0.45", "3.30", "0.30", "−0.70", "−0.70"]  # 1 − 0.7 etc.
    assert labels.count("⋮") == 3  # more rows than shown
    copies = [c for c in ax.collections if c.get_linestyle()[0][1] is not None]  # dashed cells
    assert len(copies) == 1 and len(copies[0].get_paths()) == 3 * 2


def test_projection_scatter_places_every_row_and_colours_by_price():
    rng = np.random.default_rng(1)
    H, y = rng.normal(size=(30, 2)), rng.uniform(100, 600, size=(30, 1))
    fig = plots.projection_scatter(H, y, names=("h⁽¹⁾: space and comfort", "h⁽²⁾: property condition"))
    ax = fig.axes[0]
    points = ax.collections[0]
    assert np.allclose(points.get_offsets(), H) and np.allclose(points.get_array(), y.ravel())
    assert ax.get_xlabel() == "h⁽¹⁾: space and comfort" and ax.get_ylabel() == "h⁽²⁾: property condition"
    assert ax.get_title() == "The apartments, projected: H = XW + b [30×2]"
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "y: price (k$)"  # the colour bar
    plain = plots.projection_scatter(H, y).axes[0]
    assert (plain.get_xlabel(), plain.get_ylabel()) == ("h⁽¹⁾", "h⁽²⁾")
    with pytest.raises(ValueError, match=r"\[30×3\]"):
        plots.projection_scatter(rng.normal(size=(30, 3)), y)


# --- a 2×2 W on the plane ----------------------------------------------------------------------

def grid_families(ax):
    solid, dashed = [c for c in ax.collections if isinstance(c, LineCollection)][:2]
    return solid.get_segments(), dashed.get_segments()


def direction(line):
    d = line[-1] - line[0]
    return d / np.linalg.norm(d)


@pytest.mark.parametrize("W, b", [([[1.0, 0.5], [-0.5, 1.0]], [0.5, -0.3]), ([[0.3, -1.7], [1.2, 0.4]], [-1, 2])])
def test_linear_map_after_keeps_grid_lines_straight_and_parallel(W, b):
    fig = plots.linear_map_after(map_plane(POINTS, W, b))
    ax = fig.axes[0]
    W, b = np.array(W), np.array(b)
    x1_constant, x2_constant = grid_families(ax)
    assert len(x1_constant) == len(x2_constant) == 5
    for family in (x1_constant, x2_constant):
        for line in family:
            centred = line - line.mean(axis=0)
            assert np.linalg.svd(centred, compute_uv=False)[1] < 1e-9  # every mapped line is straight
        first = direction(family[0])
        assert all(abs(abs(first @ direction(line)) - 1) < 1e-9 for line in family)  # and parallel
    assert np.allclose(direction(x1_constant[0]), W[1] / np.linalg.norm(W[1]))  # x⁽¹⁾ = c runs along row 2 of W
    # the point (c, −2) on the first line x⁽¹⁾ = c of the grid, c = −2
    assert np.allclose(x1_constant[0][0], np.array([-2.0, -2.0]) @ W + b)
    (square,) = [p for p in ax.patches if isinstance(p, Polygon)]
    assert np.allclose(square.get_xy()[:4], [b, W[0] + b, W[0] + W[1] + b, W[1] + b])
    assert np.allclose(ax.collections[2].get_offsets(), POINTS @ W + b)
    assert ax.get_title() == f"after: H = XW + b\ndet W = {np.linalg.det(W):.2f}: areas ×{np.linalg.det(W):.2f}"


def test_linear_map_after_names_a_flattening_and_a_flip():
    flat = plots.linear_map_after(map_plane(POINTS, [[1.0, 0.5], [2.0, 1.0]])).axes[0]
    assert flat.get_title().endswith("det W = 0: the plane is flattened onto a line")
    flipped = plots.linear_map_after(map_plane(POINTS, [[-1.0, 0.0], [0.0, 2.0]])).axes[0]
    assert flipped.get_title().endswith("det W = −2.00: areas ×2.00, flipped")


def test_linear_map_draws_before_and_after():
    fig = plots.linear_map(map_plane(POINTS), map_plane(POINTS, [[2.0, 0.0], [0.0, 1.0]], [1.0, 0.0]))
    before, after = fig.axes
    assert before.get_title() == "before: the rows of X"
    assert (before.get_xlabel(), before.get_ylabel()) == ("x⁽¹⁾", "x⁽²⁾")
    assert [c.get_label() for c in before.collections[:2]] == ["lines x⁽¹⁾ = c", "lines x⁽²⁾ = c"]
    assert np.allclose(before.collections[2].get_offsets(), POINTS)
    assert np.allclose(after.collections[2].get_offsets(), POINTS * [2.0, 1.0] + [1.0, 0.0])
    assert (after.get_xlabel(), after.get_ylabel()) == ("h⁽¹⁾", "h⁽²⁾") and after.get_xlim() == before.get_xlim()
    assert [t.strip() for t in texts(after)] == [str(i) for i in range(1, 6)]  # beside each point, left near the edge


def test_linear_map_examples_one_panel_per_layer():
    examples = [("stretch", map_plane(POINTS, [[1.5, 0], [0, 0.5]])), ("shear", map_plane(POINTS, [[1, 0], [1, 1]]))]
    fig = plots.linear_map_examples(examples)
    assert [ax.get_title() for ax in fig.axes] == ["stretch\nW = [1.5 0; 0 0.5]", "shear\nW = [1 0; 1 1]"]
    assert np.allclose(fig.axes[1].collections[2].get_offsets(), POINTS @ np.array([[1, 0], [1, 1]]))


# --- stacked layers -------------------------------------------------------------------------------

def test_stacked_shapes_names_every_matrix_with_its_shape():
    fig = plots.stacked_shapes(300, architecture([3, 4, 2]))
    ax = fig.axes[0]
    assert ax.get_title() == "Stacked layers: H₁ = XW₁ + b₁, H₂ = H₁W₂ + b₂"
    labels = texts(ax)
    for caption in ["X [300×3]", "W₁ [3×4]", "b₁ [1×4]", "H₁ [300×4]", "W₂ [4×2]", "b₂ [1×2]", "H₂ [300×2]"]:
        assert caption in labels
    assert "[300×3] · [3×4] → [300×4]\ninner sizes 3 and 3 match" in labels
    blocks = {round(p.get_width(), 6): p for p in ax.patches}
    heights = sorted((round(p.get_width()), round(p.get_height())) for p in ax.patches)
    assert (4, 3) in heights and (2, 4) in heights  # W₁ drawn 4 wide, 3 high; W₂ 2 wide, 4 high
    assert blocks


# --- panels -------------------------------------------------------------------------------------------

def test_network_panel_sliders_change_the_network():
    panel = widgets.network_panel()
    assert panel.moving_axes.get_title() == "2 → 4 → 3 → 1: 31 parameters (23 weights + 8 biases)"
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["M1"].value = 6
    assert panel.moving_axes.get_title() == "2 → 6 → 3 → 1: 43 parameters (33 weights + 10 biases)"
    assert len(edges(panel.moving_axes).get_segments()) == 33
    assert changed_axes(before, layers_snapshot(panel)) == [0] and panel.picture.data != png
    panel.controls["M2"].value = 0  # no second hidden layer
    assert panel.moving_axes.get_title().startswith("2 → 6 → 1: 25 parameters")
    again, png = layers_snapshot(panel), panel.picture.data
    panel.controls["M2"].value = 0  # the same value: nothing changes
    assert layers_snapshot(panel) == again and panel.picture.data == png
    panel.controls["K"].value = 3
    assert [len(layer.get_paths()) for layer in node_layers(panel.moving_axes)] == [2, 6, 3]


def test_linear_map_panel_sliders_move_only_the_after_picture():
    panel = widgets.linear_map_panel(POINTS)
    before, png = layers_snapshot(panel), panel.picture.data
    panel.controls["w11"].value = 1.5
    after = layers_snapshot(panel)
    assert changed_axes(before, after) == [1] and panel.picture.data != png
    assert np.allclose(panel.moving_axes[1].collections[2].get_offsets(), POINTS * [1.5, 1.0])
    assert "det W = 1.50" in panel.moving_axes[1].get_title()
    panel.controls["b2"].value = -1.0
    assert np.allclose(panel.moving_axes[1].collections[2].get_offsets(), POINTS * [1.5, 1.0] + [0.0, -1.0])
    again, png = layers_snapshot(panel), panel.picture.data
    panel.controls["b2"].value = -1.0  # the same value: nothing changes
    assert layers_snapshot(panel) == again
    panel.controls["w21"].value = 3.0  # beyond the slider's range: clipped to 2
    assert np.allclose(panel.moving_axes[1].collections[2].get_offsets(),
                       POINTS @ np.array([[1.5, 0.0], [2.0, 1.0]]) + [0.0, -1.0])


def test_linear_map_panel_first_picture_already_shows_the_layer():
    panel = widgets.linear_map_panel(POINTS, W=((1.0, 0.5), (-0.5, 1.0)))
    first = np.asarray(panel.picture.canvas.buffer_rgba()).astype(int)
    panel.update()  # the same values again: the moving parts drawn over the kept background
    again = np.asarray(panel.picture.canvas.buffer_rgba()).astype(int)
    assert np.mean(np.abs(first - again) > 8) < 0.001  # the same picture, up to antialiasing
