"""deploy/archive.env.example reads the same under systemd's EnvironmentFile= and a shell's `set -a; . FILE`.

An unquoted value with parentheses once made `.` stop at that line, leaving every later setting
(the client address header among them) unset in the shell while systemd read them all.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .servers import ROOT

ENV_FILE = ROOT / "deploy" / "archive.env.example"
SH = "/bin/sh"  # what systemd's units and the README's `set -a; . FILE` run: dash on Debian
# systemd's own reader of environment.d files: the parser EnvironmentFile= uses (which also expands
# $VARIABLES, which EnvironmentFile= does not: the file holds none), printing each value shell-quoted.
ENVIRONMENT_D_GENERATOR = Path("/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator")
ASSIGNMENT = re.compile(r"([A-Z][A-Z0-9_]*)=(.*)")
# Values both read as written: bare ones with no character either treats specially, and double-quoted
# ones with none of the characters a shell still reads inside double quotes ($ ` \ ") or systemd
# reads as an escape (\).
BARE = re.compile(r"[A-Za-z0-9_@%+=:,./-]*")
QUOTED = re.compile(r'"[^"\\$`]*"')


def intended_values(text):
    """{name: value} as the file means them: a double-quoted value without its quotes."""
    values = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = ASSIGNMENT.fullmatch(line)
        assert match, f"line {number}: not KEY=value: {line!r}"
        name, value = match.groups()
        assert BARE.fullmatch(value) or QUOTED.fullmatch(value), (
            f"line {number}: {name}'s value must be bare (letters, digits, _@%+=:,./-) or in double quotes"
            f' without $ ` \\ or ": {value!r}'
        )
        values[name] = value[1:-1] if value.startswith('"') else value
    return values


def shell_environment(path):
    """The environment ``sh`` ends with after `set -a; . path`, started with an empty one."""
    script = 'set -a; . "$1"; set +a; exec env -0'
    result = subprocess.run([SH, "-c", script, "sh", str(path)], env={}, capture_output=True, check=False)
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    pairs = (item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item)
    return dict(pairs)


def test_every_setting_is_set_by_a_shell_as_intended():
    intended = intended_values(ENV_FILE.read_text())
    assert intended["ARCHIVE_ASSETS_USER_AGENT"] == "NewsArchiveBot/1.0 (news.example.org; archive@news.example.org)"
    assert {"CLIENT_IP_HEADER", "TRUSTED_PROXY_COUNT", "GUNICORN_BIND", "IMPORT_UPLOAD_DIR"} <= intended.keys()
    shell = shell_environment(ENV_FILE)
    assert {name: shell.get(name) for name in intended} == intended


def test_systemd_reads_the_same_values(tmp_path):
    if not ENVIRONMENT_D_GENERATOR.exists():
        pytest.skip("systemd's environment.d generator is not installed")
    (tmp_path / "environment.d").mkdir()
    shutil.copy(ENV_FILE, tmp_path / "environment.d" / "archive.conf")
    result = subprocess.run(
        [str(ENVIRONMENT_D_GENERATOR)], env={"XDG_CONFIG_HOME": str(tmp_path)}, capture_output=True, check=True
    )
    assert not result.stderr, result.stderr.decode()  # a line systemd could not parse is reported there
    printed = tmp_path / "systemd.env"
    printed.write_bytes(result.stdout)
    intended = intended_values(ENV_FILE.read_text())
    systemd = shell_environment(printed)  # its shell-quoted output, read back
    assert {name: systemd.get(name) for name in intended} == intended


def test_the_checks_catch_a_value_the_two_read_differently(tmp_path):
    """The failure that was shipped: parentheses unquoted. A shell stops at that line, systemd does not."""
    broken = tmp_path / "broken.env"
    broken.write_text("A=1\nAGENT=Bot/1.0 (x; y@z)\nB=2\n")
    with pytest.raises(AssertionError, match="line 2"):
        intended_values(broken.read_text())
    result = subprocess.run([SH, "-c", 'set -a; . "$1"', "sh", str(broken)], env={}, capture_output=True, check=False)
    assert result.returncode != 0
