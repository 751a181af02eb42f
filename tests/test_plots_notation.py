"""The pictures and panels write the lecture's indices: a predictor is x⁽ʲ⁾ (column j of X) and
one output of a layer h⁽ʲ⁾ (column j of H); a subscript counts samples (xᵢ) or layers (H₁, W₁, b₁).

Read from the source of every module in lecture_utils/plots and lecture_utils/widgets: every
string they hold (labels, titles, keys, docstrings), and every label they build from an index
(f"x{subscript(j)}"). None of them may write x or h with a subscript digit: those modules name
no single sample, so such a label would be a predictor or an output written the old way.
"""

import ast
import re

import pytest

from paths import ROOT

PACKAGE = ROOT / "lecture_utils"
MODULES = sorted((PACKAGE / "plots").glob("*.py")) + sorted((PACKAGE / "widgets").glob("*.py"))

SUBSCRIPTED = re.compile(r"(?<![A-Za-z])[xh][₁-₉]")  # x₁, h₂, ... (x₀ is the start of a chain, not a predictor)
ENDS_IN_X_OR_H = re.compile(r"(?<![A-Za-z])[xh]$")

# (module, function) allowed to count with a subscript, and why.
EXEMPT = {
    # the values x₀, x₁, ... of graph.diamond_chain: xᵢ = xᵢ₋₁ + ReLU(xᵢ₋₁), one after the other
    ("plots/graph.py", "diamond_chain_graph"),
    ("plots/graph.py", "describe_diamonds"),  # ... and the same chain in words
}


def _is_subscript_call(node):
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "subscript"


def _is_x_or_h(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and ENDS_IN_X_OR_H.search(node.value)


def old_indices(source):
    """[(function, text)]: every x or h with a subscript index that `source` writes or builds."""
    tree = ast.parse(source)
    found = []

    def visit(node, function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            function = node.name
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.extend((function, match) for match in SUBSCRIPTED.findall(node.value))
        elif isinstance(node, ast.JoinedStr):  # f"...x{subscript(j)}..."
            for before, after in zip(node.values, node.values[1:]):
                if _is_x_or_h(before) and isinstance(after, ast.FormattedValue) and _is_subscript_call(after.value):
                    found.append((function, ast.unparse(node)))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "x" + subscript(j)
            if _is_x_or_h(node.left) and _is_subscript_call(node.right):
                found.append((function, ast.unparse(node)))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


@pytest.mark.parametrize("path", MODULES, ids=[f"{p.parent.name}/{p.name}" for p in MODULES])
def test_no_picture_writes_a_predictor_or_an_output_with_a_subscript(path):
    module = f"{path.parent.name}/{path.name}"
    wrong = [(function, text) for function, text in old_indices(path.read_text())
             if (module, function) not in EXEMPT]
    assert wrong == [], f"{module} writes a predictor or an output as x₁/h₁ (the lecture writes x⁽¹⁾, h⁽¹⁾): {wrong}"


def test_the_scan_finds_every_way_of_writing_the_old_index():
    source = '''
def axes(ax):
    ax.set_xlabel("x₁")
    ax.set_ylabel(f"lines x₂ = c")
def inputs(D):
    return [f"x{subscript(j + 1)}" for j in range(D)] + ["h" + notation.subscript(2)]
def fine(i):
    return ["x⁽¹⁾", "h⁽²⁾", "xᵢ", "x₀", "H₁", "W₁", "b₁", "w₁₂", f"H{subscript(i)}", f"x{column_index(i)}"]
'''
    assert [function for function, _ in old_indices(source)] == ["axes", "axes", "inputs", "inputs"]


def test_every_exemption_is_still_needed():
    """An exemption nothing needs any more would let an old label come back there unnoticed."""
    for module, function in EXEMPT:
        assert function in {found for found, _ in old_indices((PACKAGE / module).read_text())}, (module, function)
