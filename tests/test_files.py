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


def test_several_files_replace_together_or_not_at_all(tmp_path):
    from helpers.files import write_all_atomic

    a, b = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    write_all_atomic([(a, lambda t: t.write_text("old a")), (b, lambda t: t.write_text("old b"))])

    def refuse():
        assert a.read_text() == "old a" and b.read_text() == "old b"  # nothing replaced yet
        raise RuntimeError("a check failed")

    with pytest.raises(RuntimeError, match="a check failed"):
        write_all_atomic([(a, lambda t: t.write_text("new a")), (b, lambda t: t.write_text("new b"))], refuse)
    assert a.read_text() == "old a" and b.read_text() == "old b"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.txt", "b.txt"]  # no temporaries

    calls = []
    write_all_atomic([(a, lambda t: t.write_text("new a")), (b, lambda t: t.write_text("new b"))],
                     lambda: calls.append("checked"))
    assert calls == ["checked"] and a.read_text() == "new a" and b.read_text() == "new b"
