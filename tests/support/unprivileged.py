"""Run a Python snippet as an unprivileged user, for tests of read-only folders.

Root ignores a folder's mode, so a test of "this folder is not writable" means nothing when
the suite runs as root (as on the development machine). `run_unprivileged` runs the snippet
in a child that, when started as root, first runs `warm_up` (so every module the snippet
needs is imported while the interpreter's own files are still readable) and then drops to
`nobody`; started as any other user it simply runs. Folders the child must reach are made
with `shared_folder`, which `nobody` can traverse.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.paths import REPO_ROOT

NOBODY = 65534

_DROP = f"""
import os
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid({NOBODY})
    os.setuid({NOBODY})
"""


def shared_folder() -> Path:
    """A new folder (outside pytest's root-only tmp) that any user can enter."""
    folder = Path(tempfile.mkdtemp(prefix="citecheck-unprivileged-"))
    folder.chmod(0o755)
    return folder


def run_unprivileged(
    snippet: str, *args: str, warm_up: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `warm_up`, drop root privileges if held, then run `snippet` (sys.argv[1:] = args)."""
    return subprocess.run(
        [sys.executable, "-c", f"{warm_up}\n{_DROP}\n{snippet}", *args],
        capture_output=True,
        check=False,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
