"""The class report: each exercise's pass rate and its most common mistakes.

    course/report.csv   notebook, exercise, submissions, passed, pass rate, and the most
                        common mistakes: which hint fired (or why there was none), how often
    course/report.png   the pass rates as bars, each labelled with its most common mistake
"""

from collections import Counter
from pathlib import Path

from .results import write_table

__all__ = ["class_report", "write_report", "mistake"]

TOP_MISTAKES = 5


def mistake(row):
    """What went wrong in one exercise of one submission, as the report counts it (None if correct)."""
    if row["status"] == "correct":
        return None
    if row["status"] == "wrong":
        return f"hint: {row['hint']}" if row.get("hint") else f"wrong: {row['message'][:80]}"
    return row["status"]


def class_report(graded):
    """graded: [(learner, notebook, record)] -> [{notebook, exercise, submissions, passed, pass_rate,
    mistakes: [(what, count)]}], in notebook order."""
    table = {}
    for _, notebook, result in graded:
        for row in result["exercises"]:
            entry = table.setdefault((notebook, row["column"]), {"notebook": notebook, "exercise": row["column"],
                                                                  "submissions": 0, "passed": 0, "counts": Counter()})
            entry["submissions"] += 1
            entry["passed"] += row["status"] == "correct"
            what = mistake(row)
            if what:
                entry["counts"][what] += 1
    report = []
    for entry in table.values():
        counts = entry.pop("counts")
        report.append(dict(entry, pass_rate=entry["passed"] / entry["submissions"],
                           mistakes=counts.most_common(TOP_MISTAKES)))
    return report


def write_report(course, graded):
    """Write report.csv and report.png into the course folder; return the report."""
    report = class_report(graded)
    write_table(Path(course) / "report.csv",
                ["notebook", "exercise", "submissions", "passed", "pass rate", "most common mistakes"],
                [[entry["notebook"], entry["exercise"], entry["submissions"], entry["passed"],
                  f"{entry['pass_rate']:.0%}", "; ".join(f"{what} ({count}×)" for what, count in entry["mistakes"])]
                 for entry in report])
    if report:
        from ..plots.class_report import class_report_chart  # the instructor's environment has matplotlib

        class_report_chart(report).savefig(Path(course) / "report.png", dpi=100)
    return report
