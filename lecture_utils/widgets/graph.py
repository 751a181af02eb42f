"""Panels for notebook 07: the backward pass step by step, and a chain of diamonds."""

import asyncio

import ipywidgets as widgets

from .. import graph, plots
from .panel import Layer, Panel, int_slider

STEP_SECONDS = 1.5  # ▶ shows each step of the backward pass this long

__all__ = ["backward_step_panel", "diamond_chain_panel", "BackwardStepPanel"]


class BackwardStepPanel(Panel):
    """A slider walks the backward pass of `root` one op at a time; ▶ (panel.buttons["play"]) plays it.

    The steps, computed once by graph.backward_steps (which leaves every .grad as it was), are
    `self.steps`; the graph, laid out once, is `self.graph`. The slider only picks a step to draw:
    the graph stays as kept pixels, and the step's marks and numbers are drawn on it. ▶ is a toggle
    named by its words: on, it moves the slider one step every STEP_SECONDS (from the start after
    the last one) until the last step or until it is turned off; playing needs a running asyncio
    event loop (a Jupyter kernel has one).
    """

    def __init__(self, root, step=0):
        self.graph = plots.graph_layout(root)
        self.steps = graph.backward_steps(root)
        last = len(self.steps) - 1
        slider = int_slider("step", 0, last, step)
        play = widgets.ToggleButton(description="▶ play the steps", tooltip="play the backward pass, step by step",
                                    layout=widgets.Layout(width="auto"))
        play.observe(lambda change: self._play() if change["new"] else None, names="value")
        self._task = None
        width, height = plots.graph_figure_size(self.graph)
        values_width, values_height = plots.VALUES_SIZE
        super().__init__({"step": slider}, moving=Layer(self._step, "step", controls_only=True),
                         background=Layer(self._graph), grid=(2, 1), width=max(width, values_width),
                         height=height + values_height,
                         buttons={"play": play}, gridspec_kw={"height_ratios": [height, values_height]})

    def _play(self):
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._steps())

    async def _steps(self):
        step, play = self.controls["step"], self.buttons["play"]
        if step.value == step.max:
            step.value = step.min
        while play.value and step.value < step.max:
            await asyncio.sleep(STEP_SECONDS)
            if play.value:
                step.value += 1
        play.value = False

    def _graph(self, axes):  # the graph, and the frame of the numbers: the same for every step
        plots.draw_graph(self.graph, ax=axes[0])
        plots.values_frame(axes[1])

    def _step(self, axes, step):
        plots.backward_step_overlay(self.graph, self.steps, step, ax=axes[0])
        plots.backward_step_values(self.steps[step], ax=axes[1])
        return plots.describe_backward_step(self.steps[step], len(self.steps) - 1)


def backward_step_panel(root, step=0):
    """A slider walks the backward pass of `root` one op at a time.

    Top: the graph, the current op and its result framed, orange arrows back to its
    inputs, a green dot on every value whose node gradient is complete. Bottom: the
    upstream UP and, for each input, its local gradient, the new upstream it receives
    (upstream × local) and its node gradient (the sum of its upstreams so far). A ▶
    button plays the steps in order. See BackwardStepPanel.
    """
    return BackwardStepPanel(root, step)


def diamond_chain_panel(max_length=4, lengths=range(1, 11), length=2):
    """A slider for the number of diamonds: the chain (top) and the visits of both methods (bottom)."""
    rows = graph.visit_counts(lengths)

    def counts(axes):
        axes[0].set_axis_off()
        plots.visit_counts_plot(rows, ax=axes[1], legend=False)

    def chain(axes, length):
        plots.diamond_chain_graph(length, ax=axes[0], frame_length=max_length)
        plots.visit_counts_marker(rows, length, ax=axes[1])
        return plots.describe_diamonds(rows, length)

    controls = {"length": int_slider("diamonds", 1, max_length, length)}
    return Panel(controls, moving=Layer(chain, "length", controls_only=True), background=Layer(counts), grid=(2, 1),
                 width=plots.DIAMOND_FIGURE_SIZE[0], height=plots.DIAMOND_FIGURE_SIZE[1],
                 gridspec_kw={"height_ratios": plots.DIAMOND_HEIGHT_RATIOS})
