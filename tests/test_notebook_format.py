"""Every notebook follows the conventions of DESIGN.md (checked on the committed files)."""

import json
import re

import pytest

from paths import NOTEBOOKS

pytestmark = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def code_cells(path):
    return [c for c in cells(path) if c["cell_type"] == "code"]


def test_committed_without_outputs_counts_or_widget_state(path):
    notebook = json.loads(path.read_text())
    assert "widgets" not in notebook["metadata"]
    for cell in code_cells(path):
        assert cell["outputs"] == [] and cell["execution_count"] is None, source(cell)[:80]


def test_kernel_is_python3(path):
    assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == "python3"


def test_first_code_cell_imports_from_lecture_utils_and_seeds(path):
    first = source(code_cells(path)[0])
    lines = [line for line in first.splitlines() if line.strip() and not line.startswith("#")]
    assert "from lecture_utils" in first
    assert lines[-1] == "set_seed(0)"
    for line in lines[:-1]:
        assert re.match(r"^(import |from \S+ import |\s+\w|\))", line), f"not an import: {line}"


EARLIER_ANSWERS = "answers_from_earlier_notebooks"  # a learner pastes earlier exercises here; not marked again


def test_every_exercise_is_followed_by_its_locked_graded_check(path):
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        meta = nbgrader(cell)
        if not meta.get("solution"):
            continue
        text = source(cell)
        assert meta == {"grade": False, "grade_id": meta["grade_id"], "locked": False,
                        "schema_version": 3, "solution": True}
        assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text
        if meta["grade_id"] == EARLIER_ANSWERS:  # the exercise that uses them follows (after its text)
            following = [c for c in all_cells[i + 1:] if c["cell_type"] == "code"]
            assert nbgrader(following[0]).get("solution"), "earlier answers are followed by the exercise using them"
            continue
        check = all_cells[i + 1]
        check_meta = nbgrader(check)
        assert check["cell_type"] == "code"
        assert check_meta["grade"] is True and check_meta["locked"] is True and check_meta["solution"] is False
        assert check_meta["points"] > 0
        assert check_meta["grade_id"] == "check_" + meta["grade_id"]
        assert re.match(r"^check_\w+\(", source(check)), "a check cell calls a lecture_utils.checks function"
        assert "### BEGIN HIDDEN TESTS" in source(check) and "### END HIDDEN TESTS" in source(check)


def test_grade_ids_are_unique(path):
    ids = [nbgrader(c)["grade_id"] for c in cells(path) if nbgrader(c)]
    assert len(ids) == len(set(ids))


def test_pictures_and_panels_are_locked_and_their_output_is_not_compared(path):
    for cell in code_cells(path):
        text = source(cell)
        if re.search(r"\b(widgets|plots)\.\w+\(", text) and not nbgrader(cell).get("solution"):
            assert nbgrader(cell).get("locked") is True, text[:80]
            assert "nbval-ignore-output" in cell["metadata"].get("tags", []), text[:80]


def test_data_comes_through_lecture_utils(path):
    for cell in code_cells(path):
        text = source(cell)
        assert not re.search(r"""['"](\.\./|data/|\./)""", text), text[:80]
        assert "open(" not in text and "read_csv" not in text and "loadtxt" not in text


def test_ends_with_what_you_should_now_be_able_to_do(path):
    last = cells(path)[-1]
    assert last["cell_type"] == "markdown"
    assert "What you should now be able to do" in source(last)
    assert source(last).count("\n* ") >= 3


def test_title_names_the_notebook(path):
    first = source(cells(path)[0])
    assert first.startswith(f"# {path.stem[:2]} · ")


NOTEBOOK_LINK = re.compile(r"\]\(((\d\d_\w+)\.ipynb)(?:#([^)\s]*))?\)")


def heading_ids(path):
    """The ids JupyterLab gives a notebook's headings: the heading's text, spaces replaced by '-'."""
    return {line.lstrip("#").strip().replace(" ", "-")
            for cell in cells(path) if cell["cell_type"] == "markdown"
            for line in source(cell).splitlines() if re.match(r"^#{1,6} ", line)}


def markdown_links(path):
    return [match for cell in cells(path) if cell["cell_type"] == "markdown"
            for match in NOTEBOOK_LINK.finditer(source(cell))]


def test_links_to_notebooks_name_existing_notebooks_and_headings(path):
    for link in markdown_links(path):
        target = path.parent / link[1]
        assert target.exists(), link[0]
        if link[3]:
            assert link[3] in heading_ids(target), f"{link[0]}: no heading {link[3]!r} in {target.name}"


def test_the_header_links_to_the_notation_and_the_end_to_the_next_notebook(path):
    first, last = source(cells(path)[0]), source(cells(path)[-1])
    assert "[Notation](notation.md)" in first
    assert "#Notation" not in json.dumps(cells(path)), "the notation is a page of its own, notation.md"
    later = [p for p in NOTEBOOKS if p.stem > path.stem]
    if later:
        assert f"]({later[0].name})" in last and "**Next:**" in last
    assert "**Formulas**" in last


def test_the_last_code_cell_sums_up_the_notebooks_exercises(path):
    """exercise_summary lists exactly the exercises the check cells check, in their order, in a locked cell
    that nbgrader and the grader leave ungraded."""
    checked = [re.match(r"^check_\w+\((\w+)", source(c))[1] for c in code_cells(path) if nbgrader(c).get("grade")]
    last = code_cells(path)[-1]
    assert source(last) == "exercise_summary(" + ", ".join(f'"{name}"' for name in checked) + ")"
    assert nbgrader(last) == {"grade": False, "grade_id": "exercise_summary", "locked": True,
                              "schema_version": 3, "solution": False}
    assert "exercise_summary" in source(code_cells(path)[0])


def test_the_notation_link_leads_to_the_lectures_table(path):
    page = (path.parent / "notation.md").read_text(encoding="utf-8")
    assert page.startswith("# Notation\n") and page.count("\n| ") >= 20
