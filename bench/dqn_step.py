"""One DQN gradient step, ours against the same step in torch.nn with autograd and
torch.optim.Adam: `python -m bench.dqn_step`.

Both do the same work on the same minibatch (64 CartPole transitions unless --batch says
otherwise; CartPole's default is 256), with a 4-64-64-2 network, Double DQN targets,
squared error, norm clipping and Adam, on 1 torch thread. Ours is brains/dqn.py's own
step, minibatch sampling included; the autograd step is written here the way most DQNs
are, sampling excluded, so the comparison favours it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

import bench.common  # noqa: F401
from bench.common import table
from brains.base import Transitions
from brains.dqn import DQN
from brains.flat_mlp import torch_sequential
from brains.registry import make_brain
from game.arena import brain_shape


def filled_dqn(settings: str) -> DQN:
    brain = make_brain(settings, brain_shape("cartpole"), None, 0)
    rng = np.random.default_rng(0)
    n = 10_000
    obs = rng.normal(size=(n, 4)).astype(np.float32)
    brain.buffer.add(
        Transitions(
            obs,
            rng.integers(0, 2, n),
            np.ones(n, np.float32),
            obs + 0.01,
            rng.random(n) < 0.05,
            np.zeros(n, bool),
        ),
        0.99,
    )
    return brain


def per_step(step: Callable[[], object], repeats: int) -> float:
    for _ in range(repeats // 10):  # warm up
        step()
    start = time.perf_counter()
    for _ in range(repeats):
        step()
    return (time.perf_counter() - start) / repeats * 1e3


def autograd_step(layer_norm: bool, batch: int) -> Callable[[], None]:
    import torch

    online, target = (torch_sequential(torch, [4, 64, 64, 2], layer_norm) for _ in range(2))
    optimizer = torch.optim.Adam(online.parameters(), lr=1e-3)
    obs, next_obs = torch.randn(batch, 4), torch.randn(batch, 4)
    actions = torch.randint(0, 2, (batch, 1))
    rewards, ended = torch.ones(batch), torch.zeros(batch)

    def step() -> None:
        with torch.no_grad():
            best = online(next_obs).argmax(1, keepdim=True)
            y = rewards + 0.99 * (1 - ended) * target(next_obs).gather(1, best).squeeze(1)
        q = online(obs).gather(1, actions).squeeze(1)
        loss = torch.nn.functional.mse_loss(q, y)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(online.parameters(), 10.0)
        optimizer.step()

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5_000)
    parser.add_argument("--batch", type=int, default=64, help="transitions per step, both sides")
    args = parser.parse_args()
    if args.batch < 1 or args.repeats < 10:
        parser.error("--batch must be 1 or more and --repeats 10 or more")
    rows = []
    for layer_norm in (True, False):
        ours = filled_dqn(f"dqn:layer_norm={str(layer_norm).lower()},batch={args.batch}")
        ours.torch.set_num_threads(1)
        mine = per_step(ours._learn, args.repeats)
        theirs = per_step(autograd_step(layer_norm, args.batch), args.repeats)
        rows.append(
            [
                "on" if layer_norm else "off",
                f"{mine:.3f}",
                f"{theirs:.3f}",
                f"{theirs / mine:.2f}x",
            ]
        )
    headers = ["layer norm", "ours ms/step", "torch.nn + autograd ms/step", "ours faster by"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
