"""Make lecture_utils/data/apartments.csv: a SYNTHETIC real-estate table for the lecture's examples.

The numbers are invented, not measured: 300 apartments with square footage,
bedrooms, age and floor, and a price (in thousands of dollars) built from them by
a known rule plus noise, so the notebooks can show fits whose true answer we know:

    price ≈ 40 + 0.22·square_feet + 12·bedrooms − 1.1·age + 1.5·floor + noise

The file ships inside the package, which reads it with importlib.resources.
Run from anywhere; it always writes the same file (seeded):

    python data/make_apartments.py
"""

from pathlib import Path

import numpy as np

N_APARTMENTS = 300
SEED = 2024
OUT = Path(__file__).resolve().parents[1] / "lecture_utils" / "data" / "apartments.csv"


def make_apartments(n=N_APARTMENTS, seed=SEED):
    rng = np.random.default_rng(seed)
    square_feet = np.round(rng.lognormal(mean=np.log(1000), sigma=0.35, size=n)).clip(350, 3200)
    bedrooms = np.clip(np.round(square_feet / 450 + rng.normal(0, 0.6, n)), 1, 5)
    age = np.round(rng.gamma(shape=2.0, scale=15.0, size=n)).clip(0, 110)
    floor = rng.integers(0, 21, size=n)
    noise = rng.normal(0, 35, n)
    price = 40 + 0.22 * square_feet + 12 * bedrooms - 1.1 * age + 1.5 * floor + noise
    return {
        "square_feet": square_feet.astype(int),
        "bedrooms": bedrooms.astype(int),
        "age": age.astype(int),
        "floor": floor.astype(int),
        "price": np.round(price, 1),
    }


def main():
    table = make_apartments()
    names = list(table)
    lines = [",".join(names)]
    for row in zip(*(table[name] for name in names)):
        lines.append(",".join(str(v) for v in row))
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({len(lines) - 1} apartments)")


if __name__ == "__main__":
    main()
