#!/usr/bin/python3
"""Writes the example data in config/: a reference sample and a current one
in which `amount` and `country` have drifted. Deterministic (fixed seed)."""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "..", "config")


def write(path, rng, rows, amount_scale, countries, p_countries, age_mean):
    amount = rng.lognormal(mean=3.0, sigma=0.8, size=rows) * amount_scale
    age = rng.normal(age_mean, 12.0, size=rows).round(0)
    country = rng.choice(countries, p=p_countries, size=rows)
    is_new = rng.random(rows) < 0.2
    logit = -2.0 + 0.02 * amount / amount_scale + 0.01 * (age - 40)
    prediction = 1 / (1 + np.exp(-logit))
    with open(path, "w") as f:
        f.write("amount,age,country,is_new,prediction\n")
        for i in range(rows):
            # A few missing ages, as real feature logs have.
            age_cell = "" if i % 97 == 0 else f"{age[i]:.0f}"
            f.write(f"{amount[i]:.2f},{age_cell},{country[i]},{str(bool(is_new[i])).lower()},{prediction[i]:.4f}\n")


def main():
    rng = np.random.default_rng(20261122)
    countries = ["KR", "US", "DE", "BR", "IN"]
    write(os.path.join(CONFIG, "example-reference.csv"), rng, 2000, 1.0, countries, [0.3, 0.3, 0.2, 0.1, 0.1], 40)
    write(os.path.join(CONFIG, "example-current.csv"), rng, 1000, 1.6, countries, [0.15, 0.3, 0.2, 0.15, 0.2], 40)


if __name__ == "__main__":
    main()
