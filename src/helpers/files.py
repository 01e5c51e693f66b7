"""Writing files whole or not at all, and hashing them. Standard library only: the runner's
no-op path imports this."""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Callable


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp) on a temporary file beside target, then os.replace it into place:
    a reader never sees a half-written file, and a failure leaves the old file as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile.mkstemp: its 0600 mode would stay with the final file; os.open applies the
    # umask as for any other file.
    while True:
        tmp_path = target.parent / f".{target.name}.{uuid.uuid4().hex[:12]}.tmp"
        try:
            fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:  # pragma: no cover - a 48-bit random name clashed
            continue
    os.close(fd)
    try:
        write(tmp_path)
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
