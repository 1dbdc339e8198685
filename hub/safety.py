"""The hub's own safety rules, checked when it starts (jupyterhub_config.py) and unit-tested.

Its state (cookie secret, database, proxy pid) is root's alone; the configuration and the course
environment must not be writable by anyone else; it serves beyond loopback only over HTTPS unless
told the network is trusted.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from pathlib import Path

TRUSTED_NETWORK = "COURSE_HUB_TRUSTED_NETWORK"  # "1": serve plain HTTP beyond loopback anyway


def tighten_state(state: Path, users: str = "users") -> None:
    """Make `state` root's: the folder 711 (students pass through to their homes, cannot list it),
    every file and folder in it 600/700, except the students' folder (711, homes 700 each)."""
    state.mkdir(parents=True, exist_ok=True, mode=0o711)
    os.chown(state, 0, 0)
    os.chmod(state, 0o711)
    for entry in state.iterdir():
        info = entry.lstat()
        if stat.S_ISLNK(info.st_mode):
            continue
        if entry.name == users and stat.S_ISDIR(info.st_mode):
            os.chown(entry, 0, 0)
            os.chmod(entry, 0o711)
        else:
            os.chown(entry, 0, 0, follow_symlinks=False)
            os.chmod(entry, stat.S_IMODE(info.st_mode) & 0o700 | (0o700 if stat.S_ISDIR(info.st_mode) else 0o600))
    (state / users).mkdir(mode=0o711, exist_ok=True)
    os.chmod(state / users, 0o711)


def writable_by_others(paths: list[Path]) -> list[Path]:
    """The paths (and the folders above them) that an account other than root could change."""
    found = []
    for path in paths:
        for folder in [path, *path.parents]:
            info = folder.stat()
            sticky = stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX
            if (info.st_uid != 0 or info.st_mode & 0o022) and not (sticky and folder != path):
                found.append(folder)
    return sorted(set(found))


def closed_to_others(paths: list[Path]) -> list[Path]:
    """The folders above `paths` (links resolved) that other accounts cannot pass through."""
    found = []
    for path in paths:
        for folder in Path(path).resolve().parents:
            if not folder.stat().st_mode & 0o001:
                found.append(folder)
    return sorted(set(found))


def is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:  # "" (every interface) or a host name
        return False


def serving_refusal(ip: str, cert: str, key: str, trusted: str) -> str | None:
    """Why the hub must not start with these settings, in a sentence; None if it may."""
    if bool(cert) != bool(key):
        return "Set both COURSE_HUB_SSL_CERT and COURSE_HUB_SSL_KEY (the certificate and its key), or neither."
    if cert and not (Path(cert).is_file() and Path(key).is_file()):
        return f"The certificate {cert!r} or its key {key!r} is not a file on this machine."
    if is_loopback(ip) or cert or trusted == "1":
        return None
    return (f"COURSE_HUB_IP={ip or '(every interface)'} serves the hub beyond this machine, where passwords "
            "and cookies would cross the network unencrypted: set COURSE_HUB_SSL_CERT and COURSE_HUB_SSL_KEY, "
            f"or put an HTTPS proxy in front and set {TRUSTED_NETWORK}=1 (README.md, \"Class hub\").")
