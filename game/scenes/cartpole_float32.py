"""CartPole in float32: the carts of game/scenes/cartpole.py, about twice as fast.

The physics is the same: the cart-pole of Barto, Sutton and Anderson (1983) with the
equations of Florian (2007), "Correct equations for the dynamics of the cart-pole
system", explicit Euler steps of TAU seconds, CartPole-v1's constants, limits, reward and
500-step time limit, all named once in game/scenes/cartpole.py and used from there. The
step is that scene's own, line for line; only the state and its scratch rows hold float32
(the limits too are compared in float32, so 2.4 m is 2.4000001 m).

What it gives up: matching gymnasium's CartPole-v1 to the bit. A float32 state rounds at
about 1e-7 of its value where float64 rounds at 1e-16, and a cart driven open-loop
doubles a difference every few steps, so the same seed and actions part from gymnasium's
within an episode. A policy that balances the pole keeps both close, and scores alike
(tests/test_cartpole_float32.py). What it gains: half the bytes to move through every
one of the step's dozen passes over the carts, and NumPy's float32 sine and cosine, about
twice the cart-steps a second at 4,096 carts (bench/cartpole_throughput.py).

It is the scene key "cartpole:float32"; everything keyed on the scene's family (brains'
defaults, views, play, compare) treats it as CartPole, and a brain trained on either key
plays on either.
"""

from __future__ import annotations

import numpy as np

from game.scenes.cartpole import CartPoleScene


class CartPoleFloat32Scene(CartPoleScene):
    """N carts whose state is float32; otherwise CartPoleScene."""

    dtype = np.float32
