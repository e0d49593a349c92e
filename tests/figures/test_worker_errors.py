"""What an author sees when a figure function fails: each failure has its own message,
and tracebacks point at snippets/<module>.py:<line>, the runner's frames removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from grimoire.figures import jobs
from grimoire.figures.reports import figure_problem

from .conftest import line_of

SNIPPETS = {
    "snippets/helpers.py": """
        def check(value):
            if value < 0:
                raise ValueError(f"negative value {value}")
            return value
        """,
    "snippets/plots.py": """
        import time

        from snippets.helpers import check

        NOT_A_FUNCTION = 42


        def fails():
            return check(-1)


        def wrong_type():
            from matplotlib.figure import Figure

            return Figure().subplots()


        def returns_none():
            pass


        def slow():
            while True:
                time.sleep(0.01)


        def swallows_exceptions():
            try:
                while True:
                    time.sleep(0.01)
            except Exception:
                return None


        def ok():
            from matplotlib.figure import Figure

            fig = Figure()
            fig.subplots().plot([0, 1], [1, 0])
            return fig
        """,
    "snippets/broken.py": """
        def fine():
            pass

        def broken(:
            pass
        """,
    "snippets/raises_on_import.py": """
        import math

        VALUE = math.sqrt(-1)

        def fig():
            pass
        """,
}


@pytest.fixture
def root(project) -> Path:
    return project(SNIPPETS)


def problem_text(outcome, target: str, module_path: str, def_line: int | None = None) -> str:
    """The problem as logged, for a reference on line 7 of glossary/page.md."""
    return figure_problem("glossary/page.md", 7, target, module_path, def_line, outcome, timeout=0.5).format()


def test_an_exception_names_the_snippet_line_and_drops_runner_frames(root, draw_in_process) -> None:
    outcome = draw_in_process(root, "plots.fails")
    assert outcome.kind == jobs.RAISED
    raise_line = line_of(root, "snippets/helpers.py", "raise ValueError")
    call_line = line_of(root, "snippets/plots.py", "return check(-1)")
    assert outcome.location == f"snippets/helpers.py:{raise_line}"
    assert outcome.traceback.splitlines() == [
        "Traceback (most recent call last):",
        f"  snippets/plots.py:{call_line} in fails",
        "    return check(-1)",
        f"  snippets/helpers.py:{raise_line} in check",
        '    raise ValueError(f"negative value {value}")',
        "ValueError: negative value -1",
    ]
    text = problem_text(outcome, "plots.fails", "snippets/plots.py")
    assert text.startswith(
        f"glossary/page.md:7: figure `plots.fails` raised ValueError: negative value -1 "
        f"at snippets/helpers.py:{raise_line}"
    )
    assert "grimoire" not in outcome.traceback and "importlib" not in outcome.traceback


def test_a_wrong_return_type_says_what_came_back(root, draw_in_process) -> None:
    outcome = draw_in_process(root, "plots.wrong_type")
    assert outcome.kind == jobs.WRONG_TYPE
    assert outcome.message == "matplotlib.axes._axes.Axes"
    def_line = line_of(root, "snippets/plots.py", "def wrong_type")
    problem = figure_problem("glossary/page.md", 7, "plots.wrong_type", "snippets/plots.py", def_line, outcome)
    assert problem.format().startswith(
        f"glossary/page.md:7: figure `plots.wrong_type` (snippets/plots.py:{def_line}) "
        "returned matplotlib.axes._axes.Axes, not a matplotlib.figure.Figure"
    )
    assert "ax.figure" in problem.hint
    assert draw_in_process(root, "plots.returns_none").message == "None"


def test_a_slow_function_is_stopped_where_it_was(root, draw_in_process) -> None:
    outcome = draw_in_process(root, "plots.slow", timeout=0.5)
    assert outcome.kind == jobs.TIMEOUT
    assert outcome.location == f"snippets/plots.py:{line_of(root, 'snippets/plots.py', 'time.sleep(0.01)')}"
    def_line = line_of(root, "snippets/plots.py", "def slow")
    problem = figure_problem("glossary/page.md", 7, "plots.slow", "snippets/plots.py", def_line, outcome, timeout=0.5)
    assert problem.format().startswith(
        f"glossary/page.md:7: figure `plots.slow` (snippets/plots.py:{def_line}) took longer than its "
        f"0.5 s limit and was stopped at {outcome.location}"
    )
    assert "figure_timeout" in problem.hint and "GRIMOIRE_FIGURE_TIMEOUT" in problem.hint


def test_except_exception_cannot_swallow_the_time_limit(root, draw_in_process) -> None:
    assert draw_in_process(root, "plots.swallows_exceptions", timeout=0.3).kind == jobs.TIMEOUT


def test_missing_function_and_non_callable(root, draw_in_process) -> None:
    assert draw_in_process(root, "plots.nope").kind == jobs.MISSING_FUNCTION
    outcome = draw_in_process(root, "plots.NOT_A_FUNCTION")
    assert outcome.kind == jobs.NOT_CALLABLE
    assert "to a int, not a function" in problem_text(outcome, "plots.NOT_A_FUNCTION", "snippets/plots.py")


def test_a_syntax_error_points_at_its_line(root, draw_in_process) -> None:
    outcome = draw_in_process(root, "broken.fine")
    assert outcome.kind == jobs.IMPORT_FAILED
    line = line_of(root, "snippets/broken.py", "def broken(:")
    assert outcome.location == f"snippets/broken.py:{line}"
    assert f'File "snippets/broken.py", line {line}' in outcome.traceback
    assert problem_text(outcome, "broken.fine", "snippets/broken.py").startswith(
        f"glossary/page.md:7: figure `broken.fine`: importing snippets/broken.py failed at "
        f"snippets/broken.py:{line}: SyntaxError"
    )


def test_an_exception_while_importing_points_at_its_line(root, draw_in_process) -> None:
    outcome = draw_in_process(root, "raises_on_import.fig")
    assert outcome.kind == jobs.IMPORT_FAILED
    line = line_of(root, "snippets/raises_on_import.py", "math.sqrt(-1)")
    assert outcome.location == f"snippets/raises_on_import.py:{line}"
    assert outcome.traceback.splitlines()[1] == f"  snippets/raises_on_import.py:{line} in <module>"


def test_drawing_in_process_leaves_the_real_snippets_package_alone(root, draw_in_process) -> None:
    import snippets.activations as before

    assert draw_in_process(root, "plots.ok").ok
    import snippets.activations as after

    assert after is before
    assert Path(after.__file__).parent.parent != root


def test_warnings_while_drawing_are_reported_with_their_line(project, draw_in_process) -> None:
    root = project(
        {
            "snippets/warns.py": """
                import warnings

                def fig():
                    from matplotlib.figure import Figure

                    warnings.warn("careful")
                    return Figure()
                """
        }
    )
    outcome = draw_in_process(root, "warns.fig")
    assert outcome.ok
    line = line_of(root, "snippets/warns.py", "warnings.warn")
    assert outcome.warnings == (f"snippets/warns.py:{line}: UserWarning: careful",)


WRITERS = {
    "snippets/writers.py": """
        from pathlib import Path

        HERE = Path(__file__).resolve().parent


        def writes_into_snippets_then_raises():
            (HERE / "generated.py").write_text("x = 1")
            raise RuntimeError("never reached: the write is refused")


        def writes_into_the_working_directory():
            from matplotlib.figure import Figure

            Path("scratch.txt").write_text("fine: a scratch folder")
            fig = Figure()
            fig.subplots().plot([0, 1], [0, 1])
            return fig
        """,
}


def test_a_write_into_the_project_is_refused_at_its_line(project, draw_in_process) -> None:
    # Under `mkdocs serve` such a write would trigger a rebuild, which would draw again, for ever.
    root = project(WRITERS)
    outcome = draw_in_process(root, "writers.writes_into_snippets_then_raises")
    assert outcome.kind == jobs.REFUSED
    assert outcome.location == f"snippets/writers.py:{line_of(root, 'snippets/writers.py', 'generated.py')}"
    assert "snippets/generated.py" in outcome.message
    assert not (root / "snippets" / "generated.py").exists()
    problem = figure_problem("glossary/page.md", 3, "writers.writes_into_snippets_then_raises",
                             "snippets/writers.py", 8, outcome, (), 30.0)
    assert "tried to change a file of the project at snippets/writers.py:" in problem.format()


def test_the_working_directory_is_a_scratch_folder_outside_the_project(project, draw_in_process) -> None:
    root = project(WRITERS)
    outcome = draw_in_process(root, "writers.writes_into_the_working_directory")
    assert outcome.ok, outcome.message
    assert not list(root.rglob("scratch.txt"))
