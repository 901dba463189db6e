"""The production recipe: gunicorn's config file, and every setting it reads documented in docs/configuration.md."""

import os
import re
import runpy
import signal
import subprocess
import tempfile
import time

import pytest

from .servers import (
    GUNICORN_CONFIG,
    ROOT,
    START_SECONDS,
    Gunicorn,
    free_port,
    http_get,
    migrated_sqlite,
    project_env,
    wait_for_port,
)

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


def test_make_serve_migrates_collects_static_files_and_runs_gunicorn_and_the_import_worker(tmp_path):
    port = free_port()
    env = project_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="archive.test",
    )
    # -o: never reinstall the packages from here; its own session, so one signal stops all it started.
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "serve", f"PORT={port}"]
    with tempfile.TemporaryFile() as output:
        make = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for_port(port, make, "make serve")
            status, home = http_get(port, "/")
            # The worker starts beside gunicorn: on a loaded machine its Django takes longer to boot.
            deadline = time.monotonic() + START_SECONDS
            while b"Starting worker" not in os.pread(output.fileno(), 1 << 20, 0):
                assert time.monotonic() < deadline and make.poll() is None, "the import worker did not start"
                time.sleep(0.1)
        finally:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait(timeout=60)
        output.seek(0)
        log = output.read().decode(errors="replace")
    assert status == 200, log
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', home), "STATIC_MANIFEST=1: hashed names"
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert "Applying articles.0001_initial... OK" in log
    assert "Starting worker" in log and "Booting worker" in log, log


@pytest.mark.parametrize("source", ["archive/settings.py", "deploy/gunicorn.conf.py", "deploy/archive.env.example"])
def test_every_setting_read_from_the_environment_is_in_the_settings_table(source):
    text = (ROOT / source).read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list|env_rate)\("([A-Z_]+)"', text))
    names |= set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))
    page = (ROOT / "docs" / "configuration.md").read_text()
    table = "\n".join(line for line in page.splitlines() if line.startswith("| `"))  # the one table's rows
    assert names
    assert [name for name in sorted(names) if f"`{name}`" not in table] == []
