"""Submissions that earn marks without the work, or spend what is not theirs: the grading tests grade them.

Each `Hostile` is one learner: some of the instructor's solutions with some cells replaced
(a solution cell, by its grade_id) and some cells added (after the notebook's first code cell).
`attacked` names the exercises whose work the attack does not do: they must score 0, and every
other exercise of its notebooks full marks.
"""

from dataclasses import dataclass, field

import nbformat

from grading_helpers import cell, solved

NOTEBOOK_00, NOTEBOOK_01, NOTEBOOK_06 = "00_introduction", "01_linear_regression", "06_finding_the_best_fit"
NOTEBOOK_07, NOTEBOOK_08, NOTEBOOK_09 = "07_computational_graph", "08_backprop_by_hand", "09_live_coding"


@dataclass(frozen=True)
class Hostile:
    """replaced: {notebook: {grade_id: new source}}; added: {notebook: [sources of code cells added
    after the first code cell]}; attacked: {notebook: exercises it earns no marks for}."""

    replaced: dict = field(default_factory=dict)
    added: dict = field(default_factory=dict)
    attacked: dict = field(default_factory=dict)

    def notebooks(self, course):
        """{notebook: the submitted notebook}."""
        made = {}
        for name in sorted(set(self.replaced) | set(self.added)):
            notebook = solved(course, name)
            for grade_id, source in self.replaced.get(name, {}).items():
                cell(notebook, grade_id).source = source
            first = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
            for offset, source in enumerate(self.added.get(name, []), start=1):
                notebook.cells.insert(first + offset, nbformat.v4.new_code_cell(source))
            made[name] = notebook
        return made


# --- helpers of the package that compute an answer -------------------------------------------------

HELPERS_06 = {
    "mse_gradient": '''
from lecture_utils.lessons.descent import _quadratic
def mse_gradient(x, y, k, m):
    H, b = _quadratic(x, y)
    gradient = H @ np.array([k, m]) - b
    return gradient[0], gradient[1]
''',
    "gd_step": '''
def gd_step(x, y, k, m, lr):
    from lecture_utils.lessons.descent import _quadratic
    H, b = _quadratic(x, y)
    gradient = H @ np.array([k, m]) - b
    return k - lr * gradient[0], m - lr * gradient[1]
'''}

HELPERS_08 = {
    "add_backward": '''
from lecture_utils.autograd import _sum_to_shape
def add_backward(UP, A_shape, b_shape):
    return _sum_to_shape(UP, tuple(A_shape)), _sum_to_shape(UP, tuple(b_shape))
''',
    "mul_backward": '''
from lecture_utils.lessons.backprop import mul_jacobians
def mul_backward(UP, A, B):
    J_A, J_B = mul_jacobians(A, B)
    return (UP.reshape(-1) @ J_A).reshape(A.shape), (UP.reshape(-1) @ J_B).reshape(B.shape)
''',
    "relu_backward": '''
from lecture_utils.ops import OPS
def relu_backward(UP, A):
    return UP * OPS["ReLU"].gradients[0].local(None, Tensor(A))
'''}

HELPERS_09 = {"training_step": '''
from lecture_utils.lessons.training import one_sgd_step
class Network:
    def __init__(self, params):
        self.params = params
    def parameters(self):
        return self.params
    def __call__(self, X):
        return forward(X, *self.params)
def training_step(params, X, y, lr):
    loss = lecture_loss(y, forward(X, *params)).value.item()
    for p, stepped in zip(params, one_sgd_step(Network(params), X, y, lr).parameters()):
        p.value[...] = stepped.value
    return loss
'''}

# --- numerical derivatives where the exercise asks for the rule ------------------------------------------

CENTRAL_DIFFERENCES = '''
def slope(f, X, h=1e-5):
    """Central differences of the number f() for every entry of the array X (changed in place)."""
    G = np.zeros(X.shape)
    for i in np.ndindex(X.shape):
        old = X[i]
        X[i] = old + h
        up = f()
        X[i] = old - h
        down = f()
        X[i] = old
        G[i] = (up - down) / (2 * h)
    return G
'''

NUMERICAL_00 = {"sigmoid_derivative": '''
def sigmoid_derivative(a):
    h = 1e-5
    return (sigmoid(a + h) - sigmoid(a - h)) / (2 * h)
'''}

NUMERICAL_06 = {"mse_gradient": CENTRAL_DIFFERENCES + '''
def mse_gradient(x, y, k, m):
    theta = np.array([k, m], dtype=float)
    loss = lambda: np.mean((y - (x * theta[0] + theta[1])) ** 2)
    dk, dm = slope(loss, theta)
    return dk, dm
'''}

NUMERICAL_07 = {"gradients_by_hand": CENTRAL_DIFFERENCES + '''
def gradients_by_hand(a, b, c):
    p = np.array([a, b, c], dtype=float)
    def loss():
        e = max(p[0] * p[1] + p[2], 0.0) - p[0]
        return e * e
    return tuple(slope(loss, p))
'''}

NUMERICAL_08 = {
    "add_backward": CENTRAL_DIFFERENCES + '''
def add_backward(UP, A_shape, b_shape):
    A, b = np.random.randn(*A_shape), np.random.randn(*b_shape)
    loss = lambda: np.sum(UP * (A + b))
    return slope(loss, A), slope(loss, b)
''',
    "mul_backward": '''
def mul_backward(UP, A, B):
    A, B = A.copy(), B.copy()
    loss = lambda: np.sum(UP * (A @ B))
    return slope(loss, A), slope(loss, B)
''',
    "t_backward": '''
def t_backward(UP):
    A = np.random.randn(*UP.T.shape)
    return slope(lambda: np.sum(UP * A.T), A)
''',
    "relu_backward": '''
def relu_backward(UP, A):
    A = A.copy()
    return slope(lambda: np.sum(UP * np.maximum(A, 0)), A)
''',
    "network_backward": '''
def network_backward(X, y, W1, b1, W2, b2):
    params = [p.copy() for p in (W1, b1, W2, b2)]
    def loss():
        err = y - (np.maximum(X @ params[0] + params[1], 0) @ params[2] + params[3])
        return (err.T @ err).item() / len(X)
    return tuple(slope(loss, p) for p in params)
'''}

# The lines of a learner's function that put the graph below `loss` in order, inputs first, as `order`.
LEARNERS_ORDER = '''    order, seen, todo = [], set(), [(loss, False)]
    while todo:
        node, ready = todo.pop()
        if ready:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            todo.append((node, True))
            todo.extend((p, False) for p in node.parents)
'''

# forward-mode tangents: every parameter entry pushed forward through the graph, no backward pass at all
FORWARD_MODE_09 = {"backward": '''
def backward(loss):
''' + LEARNERS_ORDER + '''    def tangent(node, t):
        values = [p.value for p in node.parents]
        ts = [t.get(id(p), np.zeros(p.value.shape)) for p in node.parents]
        if node.op == "Add":
            return ts[0] + ts[1]
        if node.op == "Sub":
            return ts[0] - ts[1]
        if node.op == "Mul":
            return ts[0] @ values[1] + values[0] @ ts[1]
        if node.op == "T":
            return ts[0].T
        return ts[0] * (values[0] > 0)
    for leaf in [n for n in order if n.requires_grad and not n.parents]:
        grad = np.zeros(leaf.value.shape)
        for i in np.ndindex(leaf.value.shape):
            t = {id(leaf): np.zeros(leaf.value.shape)}
            t[id(leaf)][i] = 1.0
            for node in order:
                if node.parents:
                    t[id(node)] = tangent(node, t)
            grad[i] = t[id(loss)].item()
        leaf.grad = grad
'''}

# a held-out ℒ without training: random ReLU features and one least-squares solve
NO_TRAINING_09 = {"train_network": '''
def train_network(X, y):
    rng = np.random.default_rng()
    M = 60
    W1, b1 = rng.normal(size=(X.shape[1], M)), rng.normal(size=(1, M))
    H = np.hstack([np.maximum(X @ W1 + b1, 0), np.ones((len(X), 1))])
    w = np.linalg.solve(H.T @ H + 1e-3 * np.eye(M + 1), H.T @ y)
    return [Tensor(W1), Tensor(b1), Tensor(w[:-1]), Tensor(w[-1:].reshape(1, 1))]
'''}

# trains, but with a loop of its own instead of its training_step
OWN_LOOP_09 = {"train_network": '''
def train_network(X, y):
    params = init_params(X.shape[1], 16)
    for step in range(300):
        loss = lecture_loss(y, forward(X, *params))
        zero_grad(params)
        loss.backward()
        for p in params:
            p.value -= 0.1 * p.grad
    return params
'''}

GRAPHLIB_07 = {"topological_sort": '''
import graphlib
def topological_sort(nodes, edges):
    sorter = graphlib.TopologicalSorter({node: [] for node in nodes})
    for a, b in edges:
        sorter.add(b, a)
    return list(sorter.static_order())
'''}

# --- spending what is not theirs ---------------------------------------------------------------------

# Writes up to BUDGET bytes into every place it may write, prints how much each took, then keeps
# its files for a while (HOLD: cells that wait) while a learner graded at the same time goes on.
FILLS_THE_DISK = '''
import os, time
BUDGET = 1 << 30
written = {}
places = [".", os.environ.get("TMPDIR", "/tmp"), "/tmp", "/dev/shm", "/", os.path.expanduser("~")]
for place in dict.fromkeys(os.path.realpath(place) for place in places):
    total, number, why = 0, 0, "budget"
    for chunk in (1 << 20, 1 << 12, 1):  # to the last byte
        try:
            while total < BUDGET:
                number += 1
                with open(os.path.join(place, f"filler-{number}.bin"), "wb") as f:
                    for _ in range(32):
                        f.write(b"0" * chunk)
                        total += chunk
        except OSError as error:
            why = error.strerror
    written[place] = (total >> 20, why)
print("MiB written:", written)
'''
HOLD = "import time\ntime.sleep(12)\n"

DEEP_FOLDERS = '''
import os
home = os.getcwd()
os.mkdir("deep")
os.chdir("deep")
for level in range(1500):
    os.mkdir("d")
    os.chdir("d")
os.chdir(home)
os.makedirs("odd/\\nname with spaces/\\udcff-not-utf-8", exist_ok=True)
os.makedirs("locked/inside")
open("locked/inside/file", "w").write("x")
os.chmod("locked/inside", 0)
os.chmod("locked", 0)
os.symlink("/", "odd/a link to the root")
print("made 1500 nested folders")
'''

PRINTS_GIGABYTES = '''
megabyte = "x" * (1 << 20)
for _ in range(2048):
    print(megabyte, flush=True)
'''

# a reply forged in the kernel: every call "raised" an error whose message is 10 MB
FORGED_ERROR_01 = {"predict": '''
import json
def predict(x, k, m):
    return x * k + m
def __lecture_call__(request, namespace):
    return json.dumps({"status": "raised", "raised": {"types": ["ValueError"], "message": "<" * 10_000_000}})
'''}

# a set of 200,000 numbers: its description becomes the verdict's message
HUGE_ANSWER_01 = {"predict": '''
def predict(x, k, m):
    return set(range(10**7, 10**7 + 200_000))
'''}

# a question of ~400 KB to a reference that makes the grader build a [16000×16000] matrix (2 GB)
HUGE_QUESTION_08 = {"network_backward": '''
def network_backward(X, y, W1, b1, W2, b2):
    try:
        mul_backward(np.ones((1, 16000)), np.ones((1, 16000)), np.ones((1, 16000)))
    except Exception as error:
        print("the grader refused:", str(error)[:200])
    return network_backward_by_hand(X, y, W1, b1, W2, b2)
'''}

# keeps the grader computing references ([3000×3000] outer products from 24 KB questions) for 8 s: the
# grader's time is the call's
SLOW_REFERENCES_08 = {"network_backward": '''
def network_backward(X, y, W1, b1, W2, b2):
    start, row = time.monotonic(), np.ones((1, 3000))
    while time.monotonic() - start < 8:
        try:
            mul_backward(row, row, row)
        except Exception:
            pass
    return network_backward_by_hand(X, y, W1, b1, W2, b2)
'''}

NETWORK_BACKWARD_BY_HAND = '''
import time
def network_backward_by_hand(X, y, W1, b1, W2, b2):
    N = len(X)
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    err = y - (H @ W2 + b2)
    d_y_hat = -2 * err / N
    dZ1 = (d_y_hat @ W2.T) * (Z1 > 0)
    return X.T @ dZ1, dZ1.sum(axis=0, keepdims=True), H.T @ d_y_hat, d_y_hat.sum(axis=0, keepdims=True)
'''

HOSTILE = {
    # graded first and at the same time (two workers): the disk filler, and an honest learner beside it
    "aa_fills_the_disk": Hostile(added={NOTEBOOK_01: [FILLS_THE_DISK, HOLD, HOLD, HOLD, HOLD, HOLD]}),
    "ab_graded_beside_the_disk_filler": Hostile(replaced={NOTEBOOK_09: {}}),
    "uses_the_packages_helpers_06": Hostile(replaced={NOTEBOOK_06: HELPERS_06},
                                            attacked={NOTEBOOK_06: ["mse_gradient", "gd_step"]}),
    "uses_the_packages_helpers_08": Hostile(replaced={NOTEBOOK_08: HELPERS_08},
                                            attacked={NOTEBOOK_08: ["add_backward", "mul_backward",
                                                                    "relu_backward"]}),
    "uses_the_packages_helpers_09": Hostile(replaced={NOTEBOOK_09: HELPERS_09},
                                            attacked={NOTEBOOK_09: ["training_step"]}),
    "central_differences_00": Hostile(replaced={NOTEBOOK_00: NUMERICAL_00},
                                      attacked={NOTEBOOK_00: ["sigmoid_derivative"]}),
    "central_differences_06": Hostile(replaced={NOTEBOOK_06: NUMERICAL_06}, attacked={NOTEBOOK_06: ["mse_gradient"]}),
    "central_differences_07": Hostile(replaced={NOTEBOOK_07: NUMERICAL_07},
                                      attacked={NOTEBOOK_07: ["gradients_by_hand"]}),
    "central_differences_08": Hostile(replaced={NOTEBOOK_08: NUMERICAL_08},
                                      attacked={NOTEBOOK_08: ["add_backward", "mul_backward", "t_backward",
                                                              "relu_backward", "network_backward"]}),
    "forward_mode_09": Hostile(replaced={NOTEBOOK_09: FORWARD_MODE_09}, attacked={NOTEBOOK_09: ["backward"]}),
    "no_training_09": Hostile(replaced={NOTEBOOK_09: NO_TRAINING_09}, attacked={NOTEBOOK_09: ["train_network"]}),
    "own_training_loop_09": Hostile(replaced={NOTEBOOK_09: OWN_LOOP_09}, attacked={NOTEBOOK_09: ["train_network"]}),
    "graphlib_07": Hostile(replaced={NOTEBOOK_07: GRAPHLIB_07}, attacked={NOTEBOOK_07: ["topological_sort"]}),
    "deep_and_odd_folders": Hostile(added={NOTEBOOK_01: [DEEP_FOLDERS]}),
    "prints_gigabytes": Hostile(added={NOTEBOOK_01: [PRINTS_GIGABYTES]}),
    "forges_a_huge_error": Hostile(replaced={NOTEBOOK_01: FORGED_ERROR_01}, attacked={NOTEBOOK_01: ["predict", "mse"]}),
    "returns_a_huge_set": Hostile(replaced={NOTEBOOK_01: HUGE_ANSWER_01}, attacked={NOTEBOOK_01: ["predict"]}),
    "asks_a_huge_reference_question": Hostile(replaced={NOTEBOOK_08: HUGE_QUESTION_08},
                                              added={NOTEBOOK_08: [NETWORK_BACKWARD_BY_HAND]}),
    "keeps_the_grader_answering": Hostile(replaced={NOTEBOOK_08: SLOW_REFERENCES_08},
                                          added={NOTEBOOK_08: [NETWORK_BACKWARD_BY_HAND]},
                                          attacked={NOTEBOOK_08: ["network_backward"]}),
    "zz_solves_everything": Hostile(replaced={name: {} for name in (NOTEBOOK_00, NOTEBOOK_06, NOTEBOOK_07,
                                                                    NOTEBOOK_08, NOTEBOOK_09)}),
}
