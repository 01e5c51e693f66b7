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


def _temporary_beside(target: Path) -> Path:
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
    return tmp_path


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp) on a temporary file beside target, then os.replace it into place:
    a reader never sees a half-written file, and a failure leaves the old file as it was."""
    return write_all_atomic([(Path(target), write)])[0]


def write_all_atomic(writes: list[tuple[Path, Callable[[Path], None]]],
                     before_replace: Callable[[], object] | None = None) -> list[Path]:
    """write_atomic for several files at once: every file is written to its temporary file
    first; then before_replace() is called (it may raise, e.g. when a check of the data failed),
    and only then are the files moved into place. A failure before that removes the temporary
    files and leaves every old file as it was."""
    temporaries: list[Path] = []
    try:
        for target, write in writes:
            tmp_path = _temporary_beside(Path(target))
            temporaries.append(tmp_path)
            write(tmp_path)
            with open(tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        for (target, _), tmp_path in zip(writes, temporaries):
            os.replace(tmp_path, target)
    except BaseException:
        for tmp_path in temporaries:
            tmp_path.unlink(missing_ok=True)
        raise
    return [Path(target) for target, _ in writes]


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
