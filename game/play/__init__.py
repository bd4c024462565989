"""Play: a person at the keyboard in the same scene as the bots, or alone.

Each mode is an arena the window drives like any other (`tick`, `hud`, `charts`, ...),
with a little more: a card to show over the game (press a key to start, game over),
sounds and messages for the window to play, a JSON-ready result for `play` to print,
and a flag that holds the window at 1x while the person is playing.
"""
