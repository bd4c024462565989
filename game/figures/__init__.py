"""Figures of the books and blogs the app teaches, reproduced by real runs of its brains.

`python main.py figure NAME` runs one, headless (a table on stderr, one JSON line on
stdout, a PNG) or in the window, where its curves draw themselves run by run. The
figures themselves are in game/figures/registry.py; only their names are here, so the
command line can list them without importing every brain.
"""

FIGURE_NAMES = (
    "sutton-4.1",
    "sutton-6.4",
    "sutton-8.2",
    "sutton-8.4",
    "sutton-8.5",
    "random-search",
    "hill-climb",
)
