"""Benchmark: one training step on lecture_utils' autograd vs the same step written by hand in numpy.

One step = forward, the lecture's loss ℒ = errᵀerr / N with err = y − ŷ, backward,
SGD update, for an MLP with ReLU between layers and one output.

The numpy version is the tightest step an expert writes by hand: the same maths (it
computes every gradient ∂ℒ/∂W, ∂ℒ/∂b, then θ ← θ − η·∂ℒ/∂θ), every array in a buffer
made once and kept between steps (matrix products write into theirs with out=), bias
add, ReLU, ReLU's mask and the updates in place, a bias's row sum as a product with a
row of ones. It allocates nothing larger than a few numbers per step. Both versions
start from the same weights and are checked to compute the same losses.

They run alternately in one process, and the median of many repetitions is compared
(ratio = autograd / numpy; lower is better), under the settings a learner's kernel has:
glibc's default malloc (nothing process-wide is changed) and numpy's default BLAS threads
(OpenBLAS: one per core) unless you set OPENBLAS_NUM_THREADS yourself. The table also
gives the page faults per step of each version (memory the allocator returned to the
system and the step touched again) and the machine's load average. If PyTorch is
importable it is timed as a third column (it is not a dependency).

    python benchmarks/bench_autograd.py                  # full run, about a minute
    python benchmarks/bench_autograd.py --quick          # a few repetitions, to see it works
    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_autograd.py   # one BLAS thread
    python benchmarks/bench_autograd.py --tuned-malloc   # diagnostic only: glibc told to keep freed memory
"""

import argparse
import ctypes
import gc
import os
import resource
import statistics
import time

import numpy as np

from lecture_utils import MLP, SGD, Mul, Sub, T, Tensor, set_seed

CASES = [
    # (layer sizes, N, target ratio autograd / numpy)
    ([2, 16, 16, 1], 100, 1.7),
    ([2, 64, 64, 1], 1024, 1.25),
    ([784, 256, 1], 256, 1.05),
]
LR = 1e-3
BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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
    """One step on the autograd core, as notebook 09 and nn.train write it."""
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
    """The same step by hand: every array in a buffer of its own, made once."""
    Ws = [W.copy() for W, _ in weights]
    bs = [b.copy() for _, b in weights]
    N, last = len(X), len(Ws) - 1
    Hs = [X] + [np.empty((N, W.shape[1])) for W in Ws]       # Hs[i]: the input of layer i; Hs[-1] = ŷ
    UPs = [None] + [np.empty((N, W.shape[0])) for W in Ws[1:]]  # UPs[i] = ∂ℒ/∂Hs[i] (none for X)
    dWs = [np.empty_like(W) for W in Ws]
    dbs = [np.empty_like(b) for b in bs]
    masks = [None] + [np.empty((N, W.shape[0]), dtype=bool) for W in Ws[1:]]  # ReLU's mask R of Hs[i]
    ones = np.ones((1, N))                                    # ones @ UP: the sum of UP's rows
    err = np.empty_like(y)

    def step():
        # forward: H_i = ReLU(H_{i-1} W_i + b_i), no ReLU after the last layer
        for i, (W, b) in enumerate(zip(Ws, bs)):
            H = np.matmul(Hs[i], W, out=Hs[i + 1])
            H += b
            if i < last:
                np.maximum(H, 0.0, out=H)
        np.subtract(y, Hs[-1], out=err)
        loss = (err.T @ err).item() / N
        # backward: UP = ∂ℒ/∂ŷ = −2·err / N, then layer by layer from the last
        UP = err
        UP *= -2.0 / N
        for i in range(last, -1, -1):
            np.matmul(Hs[i].T, UP, out=dWs[i])
            np.matmul(ones, UP, out=dbs[i])
            if i > 0:
                UP = np.matmul(UP, Ws[i].T, out=UPs[i])
                UP *= np.greater(Hs[i], 0.0, out=masks[i])  # R: 1 where ReLU's output (and input) > 0
            dWs[i] *= LR
            Ws[i] -= dWs[i]
            dbs[i] *= LR
            bs[i] -= dbs[i]
        return loss

    return step


def torch_step_fn(X, y, weights):
    import torch

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
    """DIAGNOSTIC ONLY: ask glibc's malloc to keep freed memory instead of returning it to the system.

    No learner's kernel runs like this: it shows how much of a ratio is page faults.
    Returns False where this is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    return bool(libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)) and bool(libc.mallopt(M_MMAP_THRESHOLD, 1 << 25))


def page_faults():
    """Minor page faults of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def time_alternately(steps, repeats):
    """{name: (median seconds per call, page faults per call)}, calling the step functions in turn."""
    times = {name: [] for name in steps}
    faults = dict.fromkeys(steps, 0)
    for _ in range(repeats):
        for name, step in steps.items():
            before = page_faults()
            start = time.perf_counter()
            step()
            elapsed = time.perf_counter() - start
            faults[name] += page_faults() - before
            times[name].append(elapsed)
    return {name: (statistics.median(times[name]), faults[name] / repeats) for name in steps}


def blas_threads():
    """The BLAS thread setting in words."""
    settings = [f"{var}={os.environ[var]}" for var in BLAS_VARIABLES if var in os.environ]
    if settings:
        return ", ".join(settings) + " (set in the environment)"
    return f"numpy's default, one per core ({os.cpu_count()} here), as in a learner's kernel"


def load_average():
    return "  ".join(f"{value:.2f}" for value in os.getloadavg())


def draw_a_figure():
    """Draw and free one picture the size a notebook shows (an Agg canvas of 1200×750 pixels, 3.6 MB).

    A notebook kernel has always drawn some before it trains: glibc's malloc then keeps
    freed blocks up to twice that size instead of returning them to the system (its own
    thresholds grow with the blocks a process frees; nothing is set).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 5), dpi=150)
    figure.add_subplot().plot([0, 1], [0, 1])
    FigureCanvasAgg(figure).draw()
    del figure
    gc.collect()


def measure(repeats, warmup, have_torch):
    """[(case, target, {name: (median seconds, page faults per step)})] for every case."""
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
        results.append((f"{'→'.join(map(str, sizes))}, N={n}", target, time_alternately(steps, repeats)))
    return results


def print_table(results, judged):
    """One row per case; the verdict against the target only where `judged`."""
    have_torch = "torch" in results[0][2]
    columns = ["case", "numpy", "faults", "autograd", "faults", "ratio", "target"]
    columns += ["torch", "ratio"] if have_torch else []
    widths = [22, 10, 7, 10, 7, 7, 18, 10, 7]
    print("  ".join(f"{c:>{w}}" if i else f"{c:<{w}}" for i, (c, w) in enumerate(zip(columns, widths))))
    for case, target, measured in results:
        (numpy_time, numpy_faults), (autograd_time, autograd_faults) = measured["numpy"], measured["autograd"]
        ratio = autograd_time / numpy_time
        verdict = ("ok" if ratio <= target else "MISSED") if judged else "(not judged)"
        row = [case, f"{numpy_time * 1e6:.0f} µs", f"{numpy_faults:.0f}", f"{autograd_time * 1e6:.0f} µs",
               f"{autograd_faults:.0f}", f"{ratio:.2f}×", f"≤ {target}× {verdict}"]
        if have_torch:
            row += [f"{measured['torch'][0] * 1e6:.0f} µs", f"{measured['torch'][0] / numpy_time:.2f}×"]
        print("  ".join(f"{c:>{w}}" if i else f"{c:<{w}}" for i, (c, w) in enumerate(zip(row, widths))))


def run(repeats, warmup=20, tuned_malloc=False, after_figure=True):
    """Time every case in a fresh process and print the judged table; then, as diagnostics, the same
    after one figure is drawn. Returns [(case, ratio, target)] of the first table."""
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False

    print(f"BLAS threads: {blas_threads()}")
    if tuned_malloc and keep_freed_memory():
        print("malloc: TUNED, a DIAGNOSTIC (glibc M_TRIM/M_MMAP_THRESHOLD raised for the whole process: no "
              "learner's kernel has this); targets are judged only under the default malloc")
    else:
        tuned_malloc = False
        print("malloc: glibc's default, as in a learner's kernel (nothing process-wide is changed)")
    print(f"load average (1, 5, 15 min): {load_average()}")
    if os.getloadavg()[0] > os.cpu_count() and not any(var in os.environ for var in BLAS_VARIABLES):
        print("WARNING: more runnable processes than cores, and a BLAS thread per core: BLAS threads that wait "
              "for each other\ncan take over both columns; OPENBLAS_NUM_THREADS=1 measures the autograd core instead")
    print(f"median of {repeats} alternating repetitions per case; ratio = autograd time / numpy time; "
          "faults = page faults per step\n")
    results = measure(repeats, warmup, have_torch)
    print_table(results, judged=not tuned_malloc)
    if after_figure and not tuned_malloc:
        draw_a_figure()
        print("\nDIAGNOSTIC, not judged: the same after one figure is drawn and freed, as in a notebook kernel "
              "(glibc's malloc,\nits thresholds grown by itself to the picture's 3.6 MB, keeps a step's "
              "memory instead of returning it)")
        print_table(measure(repeats, warmup, have_torch), judged=False)
    print(f"\nload average (1, 5, 15 min): {load_average()}")
    return [(case, measured["autograd"][0] / measured["numpy"][0], target) for case, target, measured in results]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: check it runs")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--tuned-malloc", action="store_true",
                        help="diagnostic: raise glibc's malloc thresholds for the whole process (targets not judged)")
    parser.add_argument("--no-figure", action="store_true", help="leave out the diagnostic table after a figure")
    args = parser.parse_args(argv)
    repeats = args.repeats or (5 if args.quick else 400)
    run(repeats, warmup=2 if args.quick else 20, tuned_malloc=args.tuned_malloc, after_figure=not args.no_figure)


if __name__ == "__main__":
    main()
