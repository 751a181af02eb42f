"""Panels for notebook 07: the backward pass step by step, and a chain of diamonds."""

import ipywidgets as widgets

from .. import graph, plots
from .panel import Panel, int_slider

__all__ = ["backward_step_panel", "diamond_chain_panel"]


def backward_step_panel(root, step=0):
    """A slider walks the backward pass of `root` one op at a time.

    Top: the graph, the current op and its result framed, orange arrows back to its
    inputs, a green dot on every value whose node gradient is complete. Bottom: the
    upstream UP and, for each input, its local gradient, the new upstream it receives
    (upstream × local) and its node gradient (the sum of its upstreams so far). The
    steps are computed once, by graph.backward_steps (which leaves every .grad as it
    was), and the graph is laid out once; the slider only picks a step to draw. A ▶
    button plays them in order.
    """
    laid_out = plots.graph_layout(root)
    steps = graph.backward_steps(root)
    width, height = plots.graph_figure_size(laid_out)
    values_width, values_height = plots.VALUES_SIZE

    def background(axes):
        plots.draw_graph(laid_out, ax=axes[0])
        plots.values_frame(axes[1])

    def draw(axes, step):
        plots.backward_step_overlay(laid_out, steps, step, ax=axes[0])
        plots.backward_step_values(steps[step], ax=axes[1])

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
        plots.visit_counts_plot(rows, ax=axes[1], legend=False)

    def draw(axes, length):
        plots.diamond_chain_graph(length, ax=axes[0], frame_length=max_length)
        plots.visit_counts_marker(rows, length, ax=axes[1])

    controls = {"length": int_slider("diamonds", 1, max_length, length)}
    return Panel(draw, controls, background=background, grid=(2, 1), width=plots.DIAMOND_FIGURE_SIZE[0],
                 height=plots.DIAMOND_FIGURE_SIZE[1], gridspec_kw={"height_ratios": plots.DIAMOND_HEIGHT_RATIOS})
