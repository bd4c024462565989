"""A sweep's table: per brain (and grid setting), how many seeds solved, and the medians
of what solving took and of the final checks, each with its spread and a 95% bootstrap
interval of the median."""

from __future__ import annotations

import numpy as np

from game.compare import format_table

HEADERS = [
    "brain",
    "solved",
    "steps to solve: median [IQR]",
    "95% CI",
    "final check: median [IQR]",
    "95% CI",
]
RESAMPLES = 2_000
CONFIDENCE = 0.95


def bootstrap_median(values: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """The percentile bootstrap interval of the median: the median of RESAMPLES
    resamples with replacement, their middle CONFIDENCE share. Seeded: the same results
    give the same table."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(RESAMPLES, len(values)))
    medians = np.median(values[picks], axis=1)
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(medians, [tail, 100 - tail])
    return float(low), float(high)


def describe(values: list[float], fmt: str) -> tuple[str, str]:
    """ "median [q25-q75]" and "[low-high]" of the median's interval, or dashes."""
    if not values:
        return "-", "-"
    data = np.asarray(values, dtype=float)
    q25, median, q75 = np.percentile(data, [25, 50, 75])
    if len(data) < 2:
        return fmt.format(median), "-"
    low, high = bootstrap_median(data)
    return (
        f"{fmt.format(median)} [{fmt.format(q25)}-{fmt.format(q75)}]",
        f"[{fmt.format(low)}-{fmt.format(high)}]",
    )


def sweep_rows(results: list[dict]) -> list[list[str]]:
    """One row per brain text, in the order they first appear."""
    rows = []
    for brain in dict.fromkeys(r["brain"] for r in results):
        runs = [r for r in results if r["brain"] == brain]
        solved = [r["env_steps"] for r in runs if r["solved"]]
        checks = [r["eval_score"] for r in runs if r.get("eval_score") is not None]
        rows.append(
            [
                brain,
                f"{len(solved)}/{len(runs)}",
                *describe(solved, "{:,.0f}"),
                *describe(checks, "{:,.1f}"),
            ]
        )
    return rows


def sweep_table(results: list[dict]) -> str:
    return format_table(HEADERS, sweep_rows(results))
