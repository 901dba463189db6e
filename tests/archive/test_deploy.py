"""The production recipe: gunicorn's config file, and every setting it reads documented in the README."""

import re
import runpy

import pytest

from .servers import GUNICORN_CONFIG, ROOT, Gunicorn, migrated_sqlite, project_env

GUNICORN_VARIABLES = ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG")


def gunicorn_settings(monkeypatch, **env):
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_defaults_suit_one_machine_behind_nginx(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == 2 * config["multiprocessing"].cpu_count() + 1
    assert config["timeout"] == 30 and config["accesslog"] == "-"


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    config = gunicorn_settings(
        monkeypatch, GUNICORN_BIND="0.0.0.0:9000", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="90", GUNICORN_ACCESS_LOG=""
    )
    assert (config["bind"], config["workers"], config["timeout"]) == ("0.0.0.0:9000", 3, 90)
    assert config["accesslog"] is None


def test_gunicorn_with_the_config_file_serves_the_site_from_a_sqlite_file(tmp_path):
    database = migrated_sqlite(tmp_path / "db.sqlite3")
    server = Gunicorn(project_env(DATABASE_URL=f"sqlite:///{database}", ALLOWED_HOSTS="archive.test"), workers=2)
    try:
        server.start()
        status, home = server.get("/")
        assert status == 200 and "<h1" in home
        assert server.get("/static/css/site.css")[0] == 200
    finally:
        log = server.stop()
    assert log.count("Booting worker") == 2
    assert re.search(r'"GET / HTTP/1\.1" 200 \d+ \d+ms', log), log


@pytest.mark.parametrize("source", ["archive/settings.py", "deploy/gunicorn.conf.py", "deploy/archive.env.example"])
def test_every_setting_read_from_the_environment_is_in_the_readme(source):
    text = (ROOT / source).read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list)\("([A-Z_]+)"', text))
    names |= set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))
    readme = (ROOT / "README.md").read_text()
    assert names
    assert [name for name in sorted(names) if f"`{name}`" not in readme] == []
