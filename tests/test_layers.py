"""The apps are layers: an app imports only from the apps below it, so each can be read (and changed) knowing
only what is under it.

    portal (the project: imports no app)
      < districts
      < enterprises, platforms, funds (never each other)
      < indicators
      < evaluation, briefs (leaders' quarterly briefs read the snapshot)
    ledger depends on districts only.

The imports are read from the source (every import statement, those inside functions too), not from the running
process. Migrations name other apps' migrations by design and are left out; so are the tests, which exercise an
app through the apps registered into it (districts' tests fill in the sections the figures apps register).
"""
import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("enterprises", "platforms", "funds")
MAY_IMPORT = {
    "portal": set(),
    "districts": {"portal"},
    **{app: {"portal", "districts"} for app in FIGURES},
    "indicators": {"portal", "districts", *FIGURES},
    "evaluation": {"portal", "districts", *FIGURES, "indicators"},
    "briefs": {"portal", "districts", *FIGURES, "indicators"},
    "ledger": {"portal", "districts"},
}
APPS = set(MAY_IMPORT)
# An import that breaks the layers but is too big to move now: (importing module, imported app) with the reason.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" not in parts and "tests" not in parts:
            yield path


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & APPS


def import_graph() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> the modules that make that arrow."""
    arrows = defaultdict(list)
    for app in APPS:
        for path in modules(app):
            for other in imported_apps(path) - {app}:
                arrows[app, other].append(str(path.relative_to(ROOT)))
    return arrows


def test_every_app_of_the_project_has_its_place_in_the_layers():
    project_apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert project_apps == APPS


def test_the_reader_finds_imports_at_module_level_and_inside_functions():
    arrows = import_graph()
    assert "indicators/measures.py" in arrows["indicators", "platforms"]  # module level
    assert "indicators/apps.py" in arrows["indicators", "districts"]  # inside AppConfig.ready()


def test_the_project_imports_no_app():
    arrows = import_graph()
    assert {other: files for (app, other), files in arrows.items() if app == "portal"} == {}


def test_every_import_between_apps_points_down_the_layers():
    wrong = [
        f"{module}: {app} -> {other}"
        for (app, other), files in sorted(import_graph().items())
        if other not in MAY_IMPORT[app]
        for module in files
        if (module, other) not in KNOWN_EXCEPTIONS
    ]
    assert wrong == []


def test_the_figures_apps_never_import_each_other():
    arrows = import_graph()
    assert [(a, b) for a in FIGURES for b in FIGURES if (a, b) in arrows] == []


def test_the_import_graph_of_the_apps_has_no_cycle():
    after = defaultdict(set)
    for app, other in import_graph():
        after[app].add(other)
    # Take away, round by round, the apps whose imports are all taken away already; a cycle never goes.
    left = set(APPS)
    while True:
        free = {app for app in left if not (after[app] & left)}
        if not free:
            break
        left -= free
    assert left == set()
