"""Benchmark: one training step on lecture_utils' autograd vs the same step in numpy.

One step = forward, the lecture's loss ℒ = errᵀerr / N with err = y − ŷ, backward,
SGD update, for an MLP with ReLU between layers and one output. The numpy version is the tightest step an expert writes by hand: the same
maths, in-place bias add, ReLU, ReLU mask and updates, no needless temporaries.
Both versions start from the same weights and are checked to compute the same
loss. They run alternately in one process, and the median of many repetitions is
compared (ratio = autograd / numpy; lower is better). If PyTorch is importable, it
is timed as a third column (it is not a dependency).

    python benchmarks/bench_autograd.py            # full run, about a minute
    python benchmarks/bench_autograd.py --quick    # a few repetitions, to see it works
"""

import os

# One BLAS thread: the machine is shared, and threads make small timings noisy.
# This must happen before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import ctypes  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from lecture_utils import MLP, SGD, Mul, Sub, T, Tensor, set_seed  # noqa: E402

CASES = [
    # (layer sizes, N, target ratio autograd / numpy)
    ([2, 16, 16, 1], 100, 1.7),
    ([2, 64, 64, 1], 1024, 1.25),
    ([784, 256, 1], 256, 1.05),
]
LR = 1e-3


def make_case(sizes, n, seed=0):
    """Data X [N×D], targets y [N×K] and initial weights, identical for every version."""
    set_seed(seed)
    net = MLP(sizes)
    rng = np.random.default_rng(seed + 1)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.normal(size=(n, sizes[-1]))
    weights = [(layer.W.value.copy(), layer.b.value.copy()) for layer in net.layers]
    return X, y, weights


def autograd_step_fn(X, y, weights):
    net = MLP([W.shape[0] for W, _ in weights] + [weights[-1][0].shape[1]])
    for layer, (W, b) in zip(net.layers, weights):
        layer.W.value, layer.b.value = W.copy(), b.copy()
    optimizer = SGD(net.parameters(), lr=LR)
    X, y, N = Tensor(X, name="X"), Tensor(y, name="y"), len(X)

    def step():
        err = Sub(y, net(X))
        loss = Mul(T(err), err) / N                # ℒ = errᵀerr / N, [1×1]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.value.item()

    return step


def numpy_step_fn(X, y, weights):
    Ws = [W.copy() for W, _ in weights]
    bs = [b.copy() for _, b in weights]
    N, last = len(X), len(Ws) - 1
    Hs = [X] + [None] * len(Ws)  # Hs[i]: the input of layer i; Hs[-1] = ŷ

    def step():
        # forward: H_i = ReLU(H_{i-1} W_i + b_i), no ReLU after the last layer
        for i, (W, b) in enumerate(zip(Ws, bs)):
            H = Hs[i] @ W
            H += b
            if i < last:
                np.maximum(H, 0.0, out=H)
            Hs[i + 1] = H
        err = y - Hs[-1]
        loss = (err.T @ err) / N
        # backward: UP = ∂ℒ/∂ŷ = −2·err / N, then layer by layer from the last
        UP = err
        UP *= -2.0 / N
        for i in range(last, -1, -1):
            dW = Hs[i].T @ UP
            db = UP.sum(axis=0, keepdims=True)
            if i > 0:
                UP = UP @ Ws[i].T
                UP *= Hs[i] > 0  # ReLU's mask R: 1 where its output (and input) > 0
            dW *= LR
            Ws[i] -= dW
            db *= LR
            bs[i] -= db
        return loss.item()

    return step


def torch_step_fn(X, y, weights):
    import torch

    torch.set_num_threads(1)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    params = []
    for W, b in weights:
        params += [torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)]
    optimizer = torch.optim.SGD(params, lr=LR)
    last = len(weights) - 1

    def step():
        H = Xt
        for i in range(len(weights)):
            H = H @ params[2 * i] + params[2 * i + 1]
            if i < last:
                H = torch.relu(H)
        err = yt - H
        loss = (err.T @ err) / len(Xt)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def keep_freed_memory():
    """Ask glibc's malloc to keep freed memory instead of returning it to the OS.

    By default glibc hands large freed blocks back to the kernel, and every step
    then page-faults them in again (hundreds of faults per step at N=1024). That
    cost depends on heap layout rather than on the code measured, and it hits
    the version that keeps more arrays alive (autograd keeps the graph for
    inspection) harder. Returns False where this is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    return bool(libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)) and bool(libc.mallopt(M_MMAP_THRESHOLD, 1 << 25))


def time_alternately(steps, repeats):
    """Median seconds per call of each step function, calling them in turn."""
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def run(repeats, warmup=20, tune_malloc=True):
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False

    print("BLAS threads: 1 (OPENBLAS/OMP/MKL_NUM_THREADS=1; the machine is shared)")
    if tune_malloc and keep_freed_memory():
        print("malloc: freed memory kept (glibc M_TRIM/M_MMAP_THRESHOLD raised; --default-malloc to compare)")
    else:
        print("malloc: default (large blocks are returned to the OS and page-faulted in again)")
    print(f"median of {repeats} alternating repetitions per case; ratio = time / numpy time\n")
    columns = ["case", "numpy", "autograd", "ratio", "target"] + (["torch", "ratio"] if have_torch else [])
    print("  ".join(f"{c:>14}" if i else f"{c:<22}" for i, c in enumerate(columns)))
    results = []
    for sizes, n, target in CASES:
        X, y, weights = make_case(sizes, n)
        steps = {"numpy": numpy_step_fn(X, y, weights), "autograd": autograd_step_fn(X, y, weights)}
        if have_torch:
            steps["torch"] = torch_step_fn(X, y, weights)
        losses = {name: [step() for _ in range(3)] for name, step in steps.items()}
        for name, values in losses.items():
            if not np.allclose(values, losses["numpy"], rtol=1e-9):
                raise AssertionError(f"{name} computes different losses than numpy: {values} vs {losses['numpy']}")
        time_alternately(steps, warmup)
        medians = time_alternately(steps, repeats)
        ratio = medians["autograd"] / medians["numpy"]
        case = f"{'→'.join(map(str, sizes))}, N={n}"
        row = [case, f"{medians['numpy'] * 1e6:.0f} µs", f"{medians['autograd'] * 1e6:.0f} µs",
               f"{ratio:.2f}×", f"≤ {target}× " + ("ok" if ratio <= target else "MISSED")]
        if have_torch:
            row += [f"{medians['torch'] * 1e6:.0f} µs", f"{medians['torch'] / medians['numpy']:.2f}×"]
        print("  ".join(f"{c:>14}" if i else f"{c:<22}" for i, c in enumerate(row)))
        results.append((case, ratio, target))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: check it runs")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--default-malloc", action="store_true", help="leave glibc's malloc settings alone")
    args = parser.parse_args(argv)
    repeats = args.repeats or (5 if args.quick else 400)
    run(repeats, warmup=2 if args.quick else 20, tune_malloc=not args.default_malloc)


if __name__ == "__main__":
    main()
