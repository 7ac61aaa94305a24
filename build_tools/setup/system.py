"""Debian packages the set-up installs when a tool is missing (a browser, Java)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def apt_install(package: str, purpose: str, otherwise: str) -> None:
    """Install one Debian package with apt-get, or stop and say what to install.

    Args:
        package: The Debian package, e.g. ``chromium``.
        purpose: What it is for, for the line printed before installing.
        otherwise: What to do on a machine without apt-get (the set-up stops with it).
    """
    if not shutil.which("apt-get"):
        sys.exit(f"setup: {otherwise}")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    print(f"setup: installing Debian's {package} {purpose}", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
