"""Bounded series: constant memory, and downsampling that keeps what charts show."""

from __future__ import annotations

import numpy as np

from game.metrics import Metrics, Series


def test_a_series_never_grows_past_its_capacity_but_spans_everything():
    series = Series(capacity=64)
    for i in range(100_000):
        series.append(i, float(i))
    x, y = series.arrays()
    assert len(series) <= 64
    assert x[0] < 3_000 and x[-1] > 97_000
    assert np.all(np.diff(x) > 0)


def test_mean_downsampling_preserves_the_average_and_max_keeps_peaks():
    mean, peak = Series(capacity=16), Series(capacity=16, reduce="max")
    values = np.random.default_rng(0).random(4096)
    values[1234] = 100.0
    for i, v in enumerate(values):
        mean.append(i, v)
        peak.append(i, v)
    assert abs(mean.arrays()[1].mean() - values.mean()) < 0.05
    assert peak.arrays()[1].max() == 100.0
    assert peak.last == values[-1]


def test_metrics_count_episodes_keep_the_best_and_bump_the_version():
    m = Metrics()
    m.episode_scores(np.array([3.0, 7.0]))
    m.episode_scores(np.array([5.0]))
    assert m.episodes == 3 and m.best_score == 7.0
    version = m.version
    m.record("best", 1, 2.0)
    assert m.version == version + 1
