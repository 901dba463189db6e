"""The views stay leaves: the feeds, API, sitemaps, admin and settings import nothing from them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = "articles.views"


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source, package):
    """Every module the ``source`` of a module in ``package`` imports, as an absolute dotted name
    (``from . import x`` gives ``package.x``), and every dotted string it holds, such as a
    MIDDLEWARE entry that Django imports for it."""
    package = package.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("articles."):
            yield node.value


def test_only_the_views_and_url_confs_import_the_views():
    offenders = []
    for folder in ("articles", "archive", "bench", "deploy"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = module_name(path)
            package = name if path.name == "__init__.py" else name.rpartition(".")[0]
            if name == VIEWS or name.startswith(VIEWS + ".") or path.name == "urls.py":
                continue
            offenders += [
                f"{name} imports {imported}"
                for imported in imported_modules(path.read_text(encoding="utf-8"), package)
                if imported == VIEWS or imported.startswith(VIEWS + ".")
            ]
    assert offenders == []


def test_the_walk_sees_relative_absolute_and_dotted_string_imports():
    """The check above would pass vacuously if the walk missed a way of importing."""
    source = 'from .views import detail\nfrom . import views\nimport articles.views.search\nX = "articles.views.m.C"\n'
    found = set(imported_modules(source, "articles"))
    assert {"articles.views", "articles.views.detail", "articles.views.search", "articles.views.m.C"} <= found
    assert set(imported_modules("from ..views import queries\n", "articles.admin")) == {
        "articles.views",
        "articles.views.queries",
    }
