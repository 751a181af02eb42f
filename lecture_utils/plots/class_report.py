"""The instructors' class report as a picture (lecture_utils.grading.report computes it)."""

from .style import DATA, new_figure, style_axes

__all__ = ["class_report_chart"]


def class_report_chart(report):
    """Bars of each exercise's pass rate (% of submissions), each labelled with its most common mistake.

    report: [{"notebook", "exercise", "pass_rate" (0..1), "mistakes": [(what, count), ...]}] in notebook order.
    """
    fig, ax = new_figure(width=9.0, height=0.45 * len(report) + 1.2)
    rows = report[::-1]  # the first exercise on top
    ax.barh([f"{e['notebook'][:2]} {e['exercise']}" for e in rows], [100 * e["pass_rate"] for e in rows], color=DATA)
    for y, entry in enumerate(rows):
        if entry["mistakes"]:
            what, count = entry["mistakes"][0]
            ax.text(1, y, f"  {count}× {what[:70]}", va="center", fontsize=7)
    ax.set_xlim(0, 100)
    style_axes(ax, title="Pass rate per exercise, with its most common mistake",
               xlabel="passed (% of submissions)", grid=False)
    return fig
