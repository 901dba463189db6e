"""deploy/archive-worker.service: the import worker's unit runs the package's worker command, and the
folder where uploads wait is one both units may write."""

import re
import shlex

from django.core.management import load_command_class

from .servers import ROOT

DEPLOY = ROOT / "deploy"


def unit(name):
    return dict(re.findall(r"^(\w+)=(.*)$", (DEPLOY / name).read_text(), flags=re.MULTILINE))


def test_the_worker_unit_runs_db_worker_with_options_it_accepts():
    command = shlex.split(unit("archive-worker.service")["ExecStart"])
    assert command[:3] == ["/srv/archive/.venv/bin/python", "manage.py", "db_worker"]
    worker = load_command_class("django_tasks_db", "db_worker")
    options = worker.create_parser("manage.py", "db_worker").parse_args(command[3:])
    assert options.reload is False  # a reload would stop a running import when code changes


def test_uploads_wait_where_both_units_may_write():
    env = unit("archive.env.example")
    for name in ("archive.service", "archive-worker.service"):
        service = unit(name)
        assert service["EnvironmentFile"] == "/etc/archive/archive.env"
        assert service["ProtectSystem"] == "strict"  # so the folder must be a state directory
        assert env["IMPORT_UPLOAD_DIR"].startswith(f"/var/lib/{service['StateDirectory']}/"), name


def test_archived_images_are_written_where_both_units_may_write():
    # The app serves them and the worker archives them ("Archive images now").
    media = unit("archive.env.example")["MEDIA_ROOT"]
    for name in ("archive.service", "archive-worker.service"):
        writable = [path.lstrip("-") for path in unit(name)["ReadWritePaths"].split()]
        assert media in writable, name


def test_the_sources_timer_starts_the_due_syncs_with_options_the_command_accepts():
    assert unit("archive-sources.timer")["Unit"] == "archive-sources.service"
    service = unit("archive-sources.service")
    assert service["Type"] == "oneshot"
    command = shlex.split(service["ExecStart"])
    assert command[:3] == ["/srv/archive/.venv/bin/python", "manage.py", "sync_sources"]
    sync = load_command_class("articles", "sync_sources")
    options = sync.create_parser("manage.py", "sync_sources").parse_args(command[3:])
    assert options.due and not options.watch and options.names == []


def test_the_clones_live_where_the_worker_and_the_timer_may_write():
    sources = unit("archive.env.example")["SOURCES_DIR"]
    for name in ("archive-worker.service", "archive-sources.service"):
        service = unit(name)
        assert service["ProtectSystem"] == "strict"
        assert sources.startswith(f"/var/lib/{service['StateDirectory']}/"), name
