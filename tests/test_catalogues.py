"""Both Chinese catalogues translate every message of ours, and the shipped .mo files are compiled from them.

The messages are extracted afresh from a copy of the code (``makemessages``, as ``make
messages`` runs it), so a string added without a translation fails here, not in front of readers.
Django's own strings (the admin's) come from Django's catalogues and are not ours to check.
"""

import gettext
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

LOCALES = ("zh_Hans", "zh_Hant")
SOURCES = ("archive", "articles", "templates", "locale", "manage.py")
TOOLS = ("xgettext", "msgmerge", "msgattrib", "msgfmt")


@pytest.fixture(scope="module")
def gettext_tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI_REQUIRE_GETTEXT") == "1":
            pytest.fail(f"{', '.join(missing)} missing but CI_REQUIRE_GETTEXT=1: install the gettext package")
        pytest.skip(f"gettext tools missing: {', '.join(missing)}")


@pytest.fixture(scope="module")
def extracted(gettext_tools, tmp_path_factory):
    """A copy of the project whose catalogues ``makemessages`` has just brought up to date with the code."""
    root = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location", "file"]
    command += [arg for locale in LOCALES for arg in ("-l", locale)]
    env = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "archive.settings"}
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, timeout=120)
    return root


def msgids(po_file, *options):
    """The msgids ``msgattrib`` selects with ``options`` (the header excluded)."""
    out = subprocess.run(
        [shutil.which("msgattrib"), "--no-wrap", *options, str(po_file)], check=True, capture_output=True, text=True
    ).stdout
    return [line[len('msgid "') : -1] for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""']


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_of_ours_is_translated(extracted, locale):
    po_file = extracted / "locale" / locale / "LC_MESSAGES" / "django.po"
    assert msgids(po_file, "--untranslated") == [], f"untranslated in {locale}: run `make messages` and translate"
    assert msgids(po_file, "--only-fuzzy") == [], f"fuzzy in {locale}: check the translations and drop the flag"
    assert msgids(po_file, "--translated", "--no-fuzzy"), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_the_shipped_mo_file_is_compiled_from_the_catalogue(gettext_tools, tmp_path, locale):
    folder = settings.BASE_DIR / "locale" / locale / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    command = [shutil.which("msgfmt"), "--check", "-o", str(fresh), str(folder / "django.po")]
    subprocess.run(command, check=True, timeout=60)
    with open(folder / "django.mo", "rb") as shipped, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(compiled)._catalog, (
            f"locale/{locale}/LC_MESSAGES/django.mo is out of date: run `make messages`"
        )
