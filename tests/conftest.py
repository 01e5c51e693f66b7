"""Shared fixtures. The whole-study run is done once per session and shared by the tests
that read its outputs: it executes every notebook, which takes a while."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers.paths import project_root

ROOT = project_root()
FIXTURES = Path(__file__).parent / "fixtures"


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under a folder with its SHA-256: for 'nothing changed' checks."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def study_run(tmp_path_factory):
    """Run the whole study on the committed sample into a temporary folder."""
    from helpers import runner

    base = tmp_path_factory.mktemp("study")
    messages: list[str] = []
    overrides = [f"processed_dir={base / 'processed'}", f"output_dir={base / 'outputs'}"]
    code = runner.run(overrides=overrides, say=messages.append)
    return {"code": code, "base": base, "processed": base / "processed", "outputs": base / "outputs",
            "overrides": overrides, "messages": messages}
