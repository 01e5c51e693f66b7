import hashlib
import os

import pytest

from helpers import files


def test_failed_write_leaves_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "nyps_intake.json"
    target.write_text("old\n", encoding="utf-8")

    def broken(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        files.write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["nyps_intake.json"]


def test_written_file_has_umask_permissions_and_content(tmp_path):
    target = files.write_text_atomic(tmp_path / "sub" / "a.txt", "åäö\n")
    assert target.read_text(encoding="utf-8") == "åäö\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_sha256_matches_hashlib(tmp_path):
    data = os.urandom(3 * (1 << 20) + 17)  # several read blocks
    (tmp_path / "x").write_bytes(data)
    assert files.sha256_file(tmp_path / "x") == hashlib.sha256(data).hexdigest()
