"""The code's shape, beyond the layers ``lint-imports`` checks (pyproject.toml, docs/architecture.md).

- The views stay leaves: the feeds, API, sitemaps, admin and settings import nothing from them.
- No cycle is dodged with an import inside a function: a project module is imported at the top of
  the module that needs it. Only ``AppConfig.ready`` imports project modules in a function (Django
  imports ``apps.py`` before any model exists); a library may be loaded on first use, with a
  comment saying why.
- Migrations carry frozen copies of the helpers they need: they import no project code but the
  custom field classes their operations name.
- Pure code (``articles/text``, ``articles/core``) has no database.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = "articles.web.views"
PROJECT = ("articles", "archive")
# (file, function): where importing project modules in a function is how Django wants it.
READY = {("articles/apps.py", "ready")}
MIGRATION_IMPORTS = {"articles.models.fields"}  # the custom field classes migrations name


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path):
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def absolute(node, package):
    """The module an ``import``/``from ... import`` node names (``from . import x``: the package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1] if node.level else []
    return [".".join(base + ([node.module] if node.module else []))]


def imported_modules(source, package):
    """Every module the ``source`` of a module in ``package`` imports, as an absolute dotted name
    (``from . import x`` gives ``package.x``), and every dotted string it holds, such as a
    MIDDLEWARE entry that Django imports for it."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = absolute(node, package)[0]
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("articles."):
            yield node.value


def function_imports(source, package):
    """``(function name, line, module)`` of each import inside a function."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, getattr(child, "name", "<lambda>"))
            elif isinstance(child, ast.Import | ast.ImportFrom) and function is not None:
                found.extend((function, child.lineno, module) for module in absolute(child, package))
            else:
                visit(child, function)

    visit(ast.parse(source), None)
    return found


def is_project(module):
    return module.split(".")[0] in PROJECT


def sources(*folders, migrations=False):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ("migrations" in path.parts) == migrations:
                yield path, path.read_text(encoding="utf-8")


def test_only_the_views_and_url_confs_import_the_views():
    offenders = []
    for path, source in sources("articles", "archive", "bench", "deploy"):
        name = module_name(path)
        if name == VIEWS or name.startswith(VIEWS + ".") or path.name == "urls.py":
            continue
        offenders += [
            f"{name} imports {imported}"
            for imported in imported_modules(source, package_of(path))
            if imported == VIEWS or imported.startswith(VIEWS + ".")
        ]
    assert offenders == []


def test_no_project_module_is_imported_inside_a_function():
    offenders = []
    for path, source in sources("articles", "archive"):
        relative = path.relative_to(ROOT).as_posix()
        offenders += [
            f"{relative}:{line} imports {module} in {function}()"
            for function, line, module in function_imports(source, package_of(path))
            if is_project(module) and (relative, function) not in READY
        ]
    assert offenders == []


def test_a_library_loaded_on_first_use_says_why():
    offenders = []
    for path, source in sources("articles", "archive"):
        lines = source.splitlines()
        relative = path.relative_to(ROOT).as_posix()
        for function, line, module in function_imports(source, package_of(path)):
            if is_project(module) or (relative, function) in READY:
                continue
            if "#" not in lines[line - 1] and not lines[line - 2].strip().startswith("#"):
                offenders.append(f"{relative}:{line} loads {module} in {function}() without saying why")
    assert offenders == []


def test_migrations_import_no_project_code_but_field_classes():
    offenders = []
    for path, source in sources("articles", migrations=True):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                offenders += [
                    f"{path.name} imports {module}"
                    for module in absolute(node, package_of(path))
                    if is_project(module) and module not in MIGRATION_IMPORTS
                ]
    assert offenders == []


def test_pure_code_has_no_database():
    offenders = []
    for path, source in sources("articles/text", "articles/core"):
        offenders += [
            f"{module_name(path)} imports {module}"
            for module in imported_modules(source, package_of(path))
            if module.startswith(("django.db", "articles.models", "taggit", "simple_history"))
        ]
    assert offenders == []


def test_the_walks_see_every_way_of_importing():
    """The checks above would pass vacuously if a walk missed a way of importing."""
    source = (
        "from .views import detail\nfrom . import views\nimport articles.web.views.search\n"
        'X = "articles.web.views.m.C"\n'
    )
    found = set(imported_modules(source, "articles.web"))
    assert {"articles.web.views", "articles.web.views.detail", "articles.web.views.search"} <= found
    assert "articles.web.views.m.C" in found
    assert set(imported_modules("from ..views import queries\n", "articles.web.admin")) == {
        "articles.web.views",
        "articles.web.views.queries",
    }
    nested = (
        "import os\n"
        "def outer():\n"
        "    import json\n"
        "    def inner():\n"
        "        from ..models import Article\n"
        "    return lambda: __import__('x')\n"
        "class C:\n"
        "    def method(self):\n"
        "        from . import search  # why\n"
    )
    assert function_imports(nested, "articles.web") == [
        ("outer", 3, "json"),
        ("inner", 5, "articles.models"),
        ("method", 9, "articles.web"),
    ]
