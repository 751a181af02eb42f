"""The instructors' class report as a picture (lecture_utils.grading.report computes it)."""

from .style import DATA, INK, new_figure, style_axes

__all__ = ["class_report_chart"]


def class_report_chart(report):
    """Each exercise's pass rate as a bar (% of submissions), its count, and its most common mistake.

    report: [{"notebook", "exercise", "submissions", "passed", "pass_rate" (0..1),
              "mistakes": [(what, count), ...]}] in notebook order.
    """
    fig, ax = new_figure(width=11.0, height=0.42 * len(report) + 1.3)
    rows = report[::-1]  # the first exercise on top
    ax.barh([f"{e['notebook'][:2]} {e['exercise']}" for e in rows], [100 * e["pass_rate"] for e in rows],
            color=DATA, height=0.6)
    for y, entry in enumerate(rows):
        mistake = f"   most common mistake: {entry['mistakes'][0][1]}× {entry['mistakes'][0][0][:80]}" \
            if entry["mistakes"] else ""
        ax.text(101, y, f"{entry['passed']} of {entry['submissions']}{mistake}", va="center", fontsize=8,
                color=INK, clip_on=False, parse_math=False)  # a mistake quotes a submission: text, never math
    ax.set_xlim(0, 100)
    ax.spines[["top", "right"]].set_visible(False)
    style_axes(ax, title="Pass rate per exercise", xlabel="passed (% of submissions)", grid=False)
    return fig
