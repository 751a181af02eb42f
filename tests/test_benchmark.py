"""The benchmark still runs and both versions compute the same loss (timings are not tested)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_and_prints_every_case():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_autograd.py"), "--quick"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "BLAS threads: 1" in result.stdout
    for case in ["2→16→16→1, N=100", "2→64→64→1, N=1024", "784→256→1, N=256"]:
        assert case in result.stdout
