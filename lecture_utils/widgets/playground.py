"""The playground panel (notebook 05): TensorFlow Playground on the package's own autograd core.

    widgets.playground()                                   # the defaults: circle, x⁽¹⁾ and x⁽²⁾, 4 → 2 tanh
    widgets.playground(dataset="xor", features=["x1*x2"], hidden=[])

▶ play trains continuously and redraws the picture after every few steps; the other
controls stay usable meanwhile, and a change of the data, the features or the layers
starts afresh and keeps playing. The line under the picture recreates the settings.

The panel only wires controls to `lecture_utils.lessons.playground.Playground` (all the
computation) and to `plots.playground` (all the drawing), through the engine's Animation.
Without a browser: `panel.step_button.click()`, `panel.controls["lr"].value = 0.1`,
`panel.feature_buttons["x1^2"].value = True`; playing needs a running asyncio event
loop (a Jupyter kernel has one).
"""

import asyncio
import html
import time
import traceback
import weakref

import ipywidgets

from .. import activations, plots
from ..lessons.playground import (
    ACTIVATION_NAMES,
    FEATURES,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_NEURONS,
    N_POINTS,
    PROBLEMS,
    RATES,
    REGULARISATIONS,
    Playground,
    Settings,
)
from ..notation import subscript
from .engine import Animation
from .panel import dropdown, int_slider, shown_controls, slider, toggle

__all__ = ["playground", "PlaygroundPanel"]

FRAME_PERIOD = 1 / 20  # at most 20 pictures a second while playing ...
REST = 0.005           # ... and at least this pause between two, for the kernel to handle clicks and slider moves
NEW_LAYER_SIZE = 2     # "+ layer" adds a hidden layer of this many neurons (as TensorFlow Playground does)
DATASET_LABELS = {"circle": "circle", "xor": "xor", "gauss": "Gaussian", "spiral": "spiral", "plane": "plane",
                  "multigauss": "multi-Gaussian"}
PLAY, PAUSE = "▶ play", "❚❚ pause"
# Each control's width, label included, so that five rows of controls hold them all in a notebook 848 px wide
# (a number's slider beside its box: panel.SLIDER_WIDTH).
CONTROL_WIDTHS = {"lr": "110px", "activation": "170px", "regularisation": "180px", "rate": "100px",
                  "problem": "230px", "dataset": "170px", "train_fraction": "230px", "noise": "120px",
                  "batch_size": "140px"}
NARROW_SLIDER_WIDTH = "110px"  # beside its box: narrower than a panel's (panel.SLIDER_WIDTH)


def playground(**settings):
    """The playground with these settings (see lecture_utils.lessons.playground.Settings for each and its default)."""
    return PlaygroundPanel(Settings(**settings))


class PlaygroundPanel:
    """Controls, the picture, the line that recreates the settings, and the play loop.

    state:     the Playground (settings, points, network, record); settings: state.settings
    controls:  {setting name: control} for every setting with a control of its own
    feature_buttons: {feature name: ToggleButton}; play_button, step_button, reset_button;
    add_layer_button, remove_layer_button (in layers_count, beside the features), and for each hidden layer
    a (−, +) pair in neuron_buttons (in layers_row)
    readout:   the step and ℒ (and accuracy) now, above the picture
    animation: the picture (engine.Animation); picture: what it shows in the page (data, alt, frames)
    playing:   whether the play loop runs; picture.frames counts the pictures sent; error: what
               stopped the loop, if anything did (also shown under the picture)

    One loop per panel, and one playing panel per kernel: ▶ play pauses any other playground,
    and so does making a new one (running the cell again).
    """

    _panels = weakref.WeakSet()

    def __init__(self, settings=None, steps_per_frame=10, n=N_POINTS):
        for other in list(PlaygroundPanel._panels):
            other.pause()  # the cell ran again: the old panel stops
        PlaygroundPanel._panels.add(self)
        self.state = Playground(settings if settings is not None else Settings(), n=n)
        self.steps_per_frame = steps_per_frame
        self.playing = False
        self.error = None
        self._task = None
        self._syncing = False
        settings = self.state.settings
        self.animation = Animation(*plots.playground_size(captions=False))
        self.picture = self.animation.picture  # what the page shows, and how many pictures it has shown
        self.controls = {
            "problem": dropdown("problem", list(PROBLEMS), settings.problem),
            "dataset": dropdown("data", self._dataset_options(settings.problem), settings.dataset),
            "train_fraction": slider("ratio of training data", 0.1, 0.9, settings.train_fraction, step=0.1,
                                     continuous=False, readout_format=".1f"),
            "noise": slider("noise", 0.0, 0.5, settings.noise, step=0.05, continuous=False),
            "batch_size": int_slider("batch size", 1, 50, settings.batch_size, continuous=False),
            "lr": dropdown("η", list(LEARNING_RATES), settings.lr),
            "activation": dropdown("activation", [(activations.LABELS[name], name)
                                                  for name in ACTIVATION_NAMES], settings.activation),
            "regularisation": dropdown("regularisation", list(REGULARISATIONS), settings.regularisation),
            "rate": dropdown("λ", list(RATES), settings.rate),
            "show_test": toggle("show test data", settings.show_test),
            "discretise": toggle("discretise output", settings.discretise),
        }
        for name, width in CONTROL_WIDTHS.items():  # the rows of controls fit the notebook's width
            self.controls[name].layout.width = width
            if hasattr(self.controls[name], "slider"):
                self.controls[name].slider.layout.width = NARROW_SLIDER_WIDTH
        self.feature_buttons = {
            name: ipywidgets.ToggleButton(value=name in settings.features, description=label,
                                          tooltip=f"the feature {label} as an input",
                                          layout=ipywidgets.Layout(width="auto"))
            for name, (label, _) in FEATURES.items()
        }
        small = ipywidgets.Layout(width="auto")
        self.play_button = ipywidgets.Button(description=PLAY, tooltip="play: train continuously",
                                             button_style="primary", layout=ipywidgets.Layout(width="90px"))
        self.step_button = ipywidgets.Button(description="+1 step", tooltip="one SGD step on one random batch",
                                             layout=small)
        self.reset_button = ipywidgets.Button(description="↺ reset", tooltip="other initial weights, step 0",
                                              layout=small)
        self.add_layer_button = ipywidgets.Button(description="+ layer", tooltip="add a hidden layer", layout=small)
        self.remove_layer_button = ipywidgets.Button(description="− layer", tooltip="remove the last hidden layer",
                                                     layout=small)
        self.neuron_buttons = []
        self._layers_shown = None  # the hidden layers the row of layer buttons shows
        self.layers_count = ipywidgets.HBox(layout=ipywidgets.Layout(align_items="center", margin="0 0 0 12px"))
        self.layers_row = ipywidgets.HBox(layout=ipywidgets.Layout(flex_flow="row wrap", align_items="center"))
        self.readout = ipywidgets.HTML()  # the step and the numbers, as text: faster than in the picture
        self.settings_line = ipywidgets.HTML()
        self.status = ipywidgets.HTML()
        self.errors = ipywidgets.Output()
        wrap = ipywidgets.Layout(flex_flow="row wrap", align_items="center")
        c = self.controls
        self.widget = ipywidgets.VBox([
            ipywidgets.HBox([self.play_button, self.step_button, self.reset_button, c["lr"], c["activation"],
                             c["regularisation"], c["rate"]], layout=wrap),
            ipywidgets.HBox(shown_controls([c["problem"], c["dataset"], c["train_fraction"]]), layout=wrap),
            ipywidgets.HBox(shown_controls([c["noise"], c["batch_size"], c["show_test"], c["discretise"]]),
                            layout=wrap),
            ipywidgets.HBox([ipywidgets.Label("features:"), *self.feature_buttons.values(), self.layers_count],
                            layout=wrap),
            self.layers_row,
            self.readout,
            self.picture.view,
            self.settings_line,
            self.status,
            self.errors,
        ])
        self.widget.add_class("lecture-panel")  # how the browser tests find panels
        for control in [*self.controls.values(), *self.feature_buttons.values()]:
            control.observe(self._on_control, names="value")
        self.play_button.on_click(lambda button: self.pause() if self.playing else self.play())
        self.step_button.on_click(lambda button: self.step())
        self.reset_button.on_click(lambda button: self.reset())
        self.add_layer_button.on_click(lambda button: self._change_layers([*self.settings.hidden, NEW_LAYER_SIZE]))
        self.remove_layer_button.on_click(lambda button: self._change_layers(self.settings.hidden[:-1]))
        self._show_settings()
        self.redraw()

    @property
    def settings(self):
        return self.state.settings

    # --- what the buttons do -----------------------------------------------------------------

    def play(self):
        """Train continuously, redrawing after every `steps_per_frame` steps, until pause()."""
        if self._task is not None and not self._task.done():
            return  # already playing: one loop per panel
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError("▶ play needs a running event loop, as in a Jupyter kernel; without one, "
                               "use panel.step() or panel.frame().") from None
        for other in list(PlaygroundPanel._panels):
            if other is not self:
                other.pause()
        self.playing = True
        self.error = None
        self.errors.outputs = ()
        self._show_play_button()
        self._task = loop.create_task(self._play_loop())
        self._task.add_done_callback(self._loop_ended)

    def pause(self):
        """Stop playing: no frame follows (the loop ends at its rest between frames); the last one is
        shown once more, as a still picture."""
        was_playing = self.playing
        self.playing = False
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._show_play_button()
        if was_playing:
            self.redraw()

    def step(self):
        """One SGD step on one random batch (pausing first), then redraw."""
        self.pause()
        self.state.train(1)
        self.redraw()

    def reset(self):
        """Other initial weights (the next seed) on the same points; playing goes on if it was on."""
        self.state.reset()
        self._show_settings()
        self._redraw_unless_playing()

    def frame(self):
        """One frame of playing: `steps_per_frame` steps, then the new picture."""
        self.state.train(self.steps_per_frame)
        self.redraw(moving=True)

    def redraw(self, moving=False):
        """Show the state as it is now (moving: as one frame of many)."""
        view = self.state.view()
        self.animation.show(plots.still_key(view),
                            lambda figure, previous: plots.draw_still(figure, view, captions=False, previous=previous),
                            lambda artists: plots.draw_moving(artists, view), plots.describe_playground(view),
                            moving=moving)
        self.readout.value = (f"<span style='font-size: 15px'><b>{html.escape(plots.step_line(view))}</b>"
                              f"&emsp;{html.escape(plots.numbers_line(view))}</span>")
        if view.diverged:
            self._say("ℒ diverged: training paused. Lower η, then ↺ reset.")

    def close(self):
        """Stop playing and remove the panel's widgets from the page."""
        self.pause()
        PlaygroundPanel._panels.discard(self)
        self.widget.close()

    # --- the play loop -----------------------------------------------------------------------

    async def _play_loop(self):
        while self.playing:
            started = time.perf_counter()
            self.frame()
            if self.state.diverged:
                self.pause()  # the last picture again, still, and why
                return
            await asyncio.sleep(max(REST, FRAME_PERIOD - (time.perf_counter() - started)))

    def _loop_ended(self, task):
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        self.error = error
        self.playing = False
        self._show_play_button()
        self._say(f"training stopped: {type(error).__name__}: {html.escape(str(error))}")
        self.errors.append_stderr("".join(traceback.format_exception(error)))

    # --- controls -> settings -> state ---------------------------------------------------------

    def _on_control(self, change):
        if self._syncing:
            return
        values = {name: control.value for name, control in self.controls.items()}
        if values["problem"] != self.settings.problem:
            values["dataset"] = PROBLEMS[values["problem"]][0]
        features = [name for name, button in self.feature_buttons.items() if button.value]
        self._apply(dict(values, features=features))

    def _change_layers(self, hidden):
        self._apply({"hidden": list(hidden)})

    def _change_neurons(self, layer, change):
        hidden = list(self.settings.hidden)
        hidden[layer] += change
        self._apply({"hidden": hidden})

    def _apply(self, changes):
        """New settings from these changes; bad ones are refused with the reason, and the controls go back."""
        try:
            settings = self.settings.replace(**changes)
        except ValueError as error:
            self._say(html.escape(str(error)))
            self._show_settings()
            return
        self._say("")
        self.state.apply(settings)
        self._show_settings()
        self._redraw_unless_playing()

    def _redraw_unless_playing(self):
        if not self.playing:
            self.redraw()  # while playing, the next frame shows it

    # --- settings -> controls ----------------------------------------------------------------

    def _show_settings(self):
        """Make every control, the layer buttons and the line under the picture show the settings."""
        settings = self.settings
        self._syncing = True
        try:
            self.controls["dataset"].options = self._dataset_options(settings.problem)
            for name, control in self.controls.items():
                control.value = getattr(settings, name)
            for name, button in self.feature_buttons.items():
                button.value = name in settings.features
                button.button_style = "info" if button.value else ""
        finally:
            self._syncing = False
        self._show_layers()
        self.settings_line.value = (f"<div style='font-size: 12px; line-height: 1.4'>recreate these settings: "
                                    f"<code>{html.escape(settings.code())}</code></div>")

    def _show_layers(self):
        hidden = self.settings.hidden
        if hidden == self._layers_shown:
            return  # the buttons show these layers already
        self._layers_shown = hidden
        self.add_layer_button.disabled = len(hidden) >= MAX_LAYERS
        self.remove_layer_button.disabled = not hidden
        self.neuron_buttons = []
        groups = []
        for layer, size in enumerate(hidden):
            minus = ipywidgets.Button(description="−", tooltip=f"one neuron less in H{subscript(layer + 1)}",
                                      disabled=size <= 1, layout=ipywidgets.Layout(width="32px"))
            plus = ipywidgets.Button(description="+", tooltip=f"one neuron more in H{subscript(layer + 1)}",
                                     disabled=size >= MAX_NEURONS, layout=ipywidgets.Layout(width="32px"))
            minus.on_click(lambda button, layer=layer: self._change_neurons(layer, -1))
            plus.on_click(lambda button, layer=layer: self._change_neurons(layer, +1))
            self.neuron_buttons.append((minus, plus))
            groups.append(ipywidgets.HBox([ipywidgets.Label(f"H{subscript(layer + 1)}: {size}"), minus, plus],
                                          layout=ipywidgets.Layout(margin="0 6px 0 0")))
        count = f"{len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''}" if hidden else "no hidden layer"
        old = self.layers_count.children[:1] + self.layers_row.children
        self.layers_count.children = [ipywidgets.Label(f"{count}:"), self.remove_layer_button, self.add_layer_button]
        self.layers_row.children = groups  # up to six, in one row
        for widget in old:  # the label and the layers' groups: made anew each time
            for child in getattr(widget, "children", ()):
                child.close()
            widget.close()

    def _show_play_button(self):
        self.play_button.description = PAUSE if self.playing else PLAY
        self.play_button.tooltip = "pause" if self.playing else "play: train continuously"

    def _say(self, message):
        self.status.value = (f"<span style='color: {plots.style.text_colour(plots.style.MODEL)}'>{message}</span>"
                             if message else "")

    @staticmethod
    def _dataset_options(problem):
        return [(DATASET_LABELS[name], name) for name in PROBLEMS[problem]]

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
