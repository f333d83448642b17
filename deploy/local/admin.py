"""The administrator of ``make run``: on the first start, a random password for ``admin``.

``ensure_admin`` writes the password to ``<data>/admin-password`` (mode 600) and runs
``python -m services.identity accounts ensure-admin`` against identity's database, which creates
the account only if it is absent (never changing an existing one). It returns the password to
print once, next to the portal URL; on later starts (the file exists) it returns None, and the
command still runs, so a database reset gets its administrator back with the same password.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["PASSWORD_FILE", "ensure_admin", "new_password"]

PASSWORD_FILE = "admin-password"
_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits)
Runner = Callable[..., "subprocess.CompletedProcess[Any]"]


def new_password(length: int = 16) -> str:
    """A random password with upper- and lower-case letters and digits (identity's rule: 3 classes)."""
    alphabet = "".join(_CLASSES)
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(char in chars for char in password) for chars in _CLASSES):
            return password


def ensure_admin(data_dir: Path, env: Mapping[str, str], *, run: Runner = subprocess.run) -> str | None:
    """Make sure ``admin`` exists; the new password on the first start, else None.

    ``env`` is identity's process environment (its ``DATABASE_URL``). Raises RuntimeError with the
    command's output when it fails; a password file written by this call is removed then.
    """
    path = data_dir / PASSWORD_FILE
    created = _write_once(path)
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "services.identity", "accounts", "ensure-admin", "--password-file", str(path)]
    done = run(command, cwd=root, env=dict(env), capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        if created is not None:
            path.unlink(missing_ok=True)
        raise RuntimeError(f"creating the administrator failed:\n{done.stdout}{done.stderr}")
    return created


def _write_once(path: Path) -> str | None:
    """Write a new password to ``path`` (mode 600 from its creation); None when the file exists."""
    password = new_password()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(f"{password}\n")
    path.chmod(0o600)  # whatever the umask
    return password
