"""Whether a process that recorded its host and id (an import run's) is still alive."""

import os
import socket


def process_alive(host, pid):
    """False when process ``pid`` is known to be gone (or a zombie) on this host; True when it
    lives or cannot be checked (another host: the heartbeat alone tells)."""
    if not pid or host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True
