"""Panels for notebook 07: the backward pass step by step, and a chain of diamonds."""

import ipywidgets as widgets

from .. import graph
from .panel import Panel, int_slider

__all__ = ["backward_step_panel", "diamond_chain_panel"]


def backward_step_panel(root, step=0):
    """A slider walks the backward pass of `root` one op at a time.

    Top: the graph, the current op and its result framed, orange arrows back to its
    inputs, a green dot on every value whose gradient is complete. Bottom: the
    upstream UP and, for each input, its local gradient, the node gradient it
    receives and its accumulated gradient. The steps are computed once, by
    graph.backward_steps (which leaves every .grad as it was); the slider only
    picks one to draw. A ▶ button plays them in order.
    """
    traced = graph.trace(root)
    steps = graph.backward_steps(root)
    width, height = graph.graph_figure_size(traced)
    values_width, values_height = graph.VALUES_SIZE

    def background(axes):
        graph.draw_graph(traced, ax=axes[0])
        graph.values_frame(axes[1])

    def draw(axes, step):
        graph.backward_step_overlay(traced, steps, step, ax=axes[0])
        graph.backward_step_values(steps[step], ax=axes[1])

    slider = int_slider("step", 0, len(steps) - 1, step)
    play = widgets.Play(min=0, max=len(steps) - 1, step=1, interval=1500, value=step,
                        description="play the backward pass")
    widgets.jslink((play, "value"), (slider, "value"))
    panel = Panel(draw, {"step": slider}, background=background, grid=(2, 1),
                  width=max(width, values_width), height=height + values_height, buttons=[play],
                  gridspec_kw={"height_ratios": [height, values_height]})
    panel.steps = steps
    return panel


def diamond_chain_panel(max_length=4, lengths=range(1, 11), length=2):
    """A slider for the number of diamonds: the chain (top) and the visits of both methods (bottom)."""
    rows = graph.visit_counts(lengths)

    def background(axes):
        axes[0].set_axis_off()
        graph.visit_counts_plot(rows, ax=axes[1], legend=False)

    def draw(axes, length):
        graph.diamond_chain_graph(length, ax=axes[0], frame_length=max_length)
        graph.visit_counts_marker(rows, length, ax=axes[1])

    controls = {"length": int_slider("diamonds", 1, max_length, length)}
    return Panel(draw, controls, background=background, grid=(2, 1), width=graph.DIAMOND_FIGURE_SIZE[0],
                 height=graph.DIAMOND_FIGURE_SIZE[1], gridspec_kw={"height_ratios": graph.DIAMOND_HEIGHT_RATIOS})
