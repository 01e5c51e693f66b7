"""Where the project lives, so that notebooks (run from notebooks/) and the command line
(run from the root) resolve the same relative paths."""
from __future__ import annotations

from pathlib import Path


def project_root() -> Path:
    """The folder holding pyproject.toml and params.yaml (the package is installed editable)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "helpers").is_dir():
            return parent
    raise RuntimeError(f"cannot find the project root above {here}")


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """A path from the parameters file: absolute as given, otherwise relative to the root."""
    p = Path(path)
    return p if p.is_absolute() else (root or project_root()) / p


REFERENCE_DIR = Path("data/reference")
