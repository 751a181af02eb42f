"""Panels for notebook 05: an activation applied to a matrix, and the playground.

The playground keeps its state (data, network, losses, step count) in a small
`Playground` object; all computation is in `lecture_utils.playground`, all
drawing in `plots.playground_view`.
"""

import ipywidgets
import numpy as np

from .. import plots
from ..playground import (ACTIVATION_NAMES, DATASETS, diverged, evaluate, playground_data, playground_network,
                          train_steps)
from .panel import Panel, dropdown, int_slider, slider

__all__ = ["activation_panel", "Playground", "PlaygroundPanel", "playground_panel"]

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


def activation_panel(Z, activation="relu"):
    """A dropdown for the activation: Z, its entries on the curve, and f(Z) entry by entry."""
    def background(axes):
        plots.matrix_and_frame(Z, axes=axes)

    def draw(axes, activation):
        plots.activation_of_entries(Z, activation, axes=axes)

    controls = {"activation": dropdown("activation", [(plots.ACTIVATION_LABELS[name], name)
                                                      for name in ACTIVATION_NAMES], activation)}
    return Panel(draw, controls, background=background, grid=(1, 3), width=11, height=3.3)


class Playground:
    """The playground's state: the data split, the network, ℒ after every step, and the step count.

    `configure` makes new data and a new network when the data set or the architecture
    changed (and otherwise keeps training where it was); `train` runs a bounded number
    of steps; `reset` starts again from other random weights on the same data.
    The same settings always start from the same data and weights (seeds: `seed`
    for the data, `seed` + the number of resets for the weights and the mini-batches).
    """

    def __init__(self, n=200, seed=0):
        self.n = n
        self.seed = seed
        self.resets = 0
        self.settings = None
        self.split = None
        self.net = None
        self.batches = None
        self.train_losses, self.test_losses = [], []

    @property
    def step(self):
        return len(self.train_losses)

    def configure(self, dataset, noise, test_fraction, hidden_layers, neurons, activation):
        """Use these data and this architecture; a change of any of them starts training afresh."""
        settings = (dataset, noise, test_fraction, hidden_layers, neurons, activation)
        if settings == self.settings:
            return
        data_changed = self.settings is None or settings[:3] != self.settings[:3]
        self.settings = settings
        if data_changed:
            self.split = playground_data(dataset, noise, test_fraction, n=self.n, seed=self.seed)
        self.resets = 0
        self._start()

    def reset(self):
        """Other random weights (the next seed), no steps taken yet."""
        self.resets += 1
        self._start()

    def _start(self):
        *_, hidden_layers, neurons, activation = self.settings
        network_seed = self.seed + self.resets
        self.net = playground_network(hidden_layers, neurons, activation, seed=network_seed)
        self.batches = np.random.default_rng(network_seed)
        self.train_losses, self.test_losses = [], []

    def train(self, lr, batch_size, steps):
        """`steps` more SGD steps (fewer if ℒ diverges); ℒ is recorded after each."""
        if self.step and diverged(self.train_losses[-1]):
            return  # diverged: only a reset helps
        train_losses, test_losses = train_steps(self.net, self.split, lr, steps, batch_size, self.batches)
        self.train_losses += train_losses
        self.test_losses += test_losses

    def evaluation(self):
        """ℒ and accuracy on the training and the test points now."""
        return evaluate(self.net, self.split)


class PlaygroundPanel(Panel):
    """The playground: data set, noise, test fraction, hidden layers, neurons, activation, η and
    batch size; "▶ train" runs `steps_per_click` steps, "▶▶" ten times as many, "↺ reset" starts
    again from other weights.

    The state is in `self.playground`; clicking works without a browser: `panel.train_button.click()`.
    """

    def __init__(self, dataset="circle", noise=0.05, test_fraction=0.5, hidden_layers=2, neurons=8,
                 activation="linear", lr=0.1, batch_size=10, steps_per_click=100, n=200, seed=1):
        self.playground = Playground(n=n, seed=seed)
        self.steps_per_click = steps_per_click
        controls = {
            "dataset": dropdown("data", list(DATASETS), dataset),
            "noise": slider("noise", 0.0, 0.3, noise, step=0.01, continuous=False),
            "test_fraction": slider("test fraction", 0.1, 0.9, test_fraction, step=0.1, continuous=False,
                                    readout_format=".1f"),
            "hidden_layers": int_slider("hidden layers", 0, 4, hidden_layers, continuous=False),
            "neurons": int_slider("neurons per layer", 1, 8, neurons, continuous=False),
            "activation": dropdown("activation", [(plots.ACTIVATION_LABELS[name], name)
                                                  for name in ACTIVATION_NAMES], activation),
            "lr": dropdown("η", list(LEARNING_RATES), lr),
            "batch_size": int_slider("batch size", 1, 100, batch_size, continuous=False),
        }
        self.train_button = ipywidgets.Button(description=f"▶ train {steps_per_click} steps",
                                              button_style="primary")
        self.train_more_button = ipywidgets.Button(description=f"▶▶ train {10 * steps_per_click} steps")
        self.reset_button = ipywidgets.Button(description="↺ reset weights")
        super().__init__(self._draw, controls, background=self._frame, grid=(1, 2), width=10.5, height=4.4,
                         buttons=[self.train_button, self.train_more_button, self.reset_button])
        self.train_button.on_click(lambda button: self.train(self.steps_per_click))
        self.train_more_button.on_click(lambda button: self.train(10 * self.steps_per_click))
        self.reset_button.on_click(lambda button: self.reset())

    def train(self, steps):
        """Train `steps` more steps with the current η and batch size, then redraw."""
        values = self.values()
        self.playground.train(values["lr"], values["batch_size"], steps)
        self.update()

    def reset(self):
        """Start again from other random weights, then redraw."""
        self.playground.reset()
        self.update()

    def _frame(self, axes):
        plots.playground_frame(axes=axes)

    def _draw(self, axes, dataset, noise, test_fraction, hidden_layers, neurons, activation, lr, batch_size):
        self.playground.configure(dataset, noise, test_fraction, hidden_layers, neurons, activation)
        state = self.playground
        plots.playground_view(state.net, state.split, state.train_losses, state.test_losses, lr, batch_size,
                              axes=axes)


def playground_panel(**settings):
    """The playground (see PlaygroundPanel for the settings and their defaults)."""
    return PlaygroundPanel(**settings)
