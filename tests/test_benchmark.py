"""The benchmark still runs, states its settings, and both versions compute the same loss (timings are not tested)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT / "benchmarks" / "bench_autograd.py"


def run_benchmark(*options):
    result = subprocess.run([sys.executable, str(BENCHMARK), "--quick", *options],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_benchmark_runs_every_case_under_the_learners_settings():
    out = run_benchmark()
    assert "BLAS threads:" in out and "load average (1, 5, 15 min):" in out
    assert "malloc: glibc's default" in out and "TUNED" not in out  # nothing process-wide changed by default
    judged, _, diagnostic = out.partition("DIAGNOSTIC, not judged: the same after one figure")
    for case in ["2→16→16→1, N=100", "2→64→64→1, N=1024", "784→256→1, N=256"]:
        assert case in judged and case in diagnostic
    assert "(not judged)" not in judged and judged.count("× ok") + judged.count("× MISSED") == 3
    assert diagnostic.count("(not judged)") == 3


def test_the_tuned_allocator_is_only_a_labelled_diagnostic():
    out = run_benchmark("--tuned-malloc")
    assert "DIAGNOSTIC" in out and "× ok" not in out and "MISSED" not in out
    assert out.count("(not judged)") == 3


def test_the_hand_written_step_keeps_its_buffers_between_steps():
    """The baseline is the tightest step: after a warm-up it allocates none of its arrays again.

    (numpy's ufunc buffer for ReLU's mask, 64 KiB, is all it may take: an eighth of one [1024×64] array.)
    """
    sys.path.insert(0, str(BENCHMARK.parent))
    try:
        import bench_autograd
    finally:
        sys.path.remove(str(BENCHMARK.parent))
    import tracemalloc

    X, y, weights = bench_autograd.make_case([2, 64, 64, 1], 1024)
    step = bench_autograd.numpy_step_fn(X, y, weights)
    step()
    tracemalloc.start()
    try:
        step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 64 * 8 / 4, f"the numpy step allocated {peak} bytes at its peak"
