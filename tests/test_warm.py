"""Warm kernels: the modules a notebook imports, found in its code cells, and loaded without a
name entering the notebook's namespace."""
from __future__ import annotations

import json
import subprocess
import sys

from helpers import warm

from conftest import ROOT


def _notebook(tmp_path, *sources):
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None}
             for s in sources]
    cells.insert(1, {"cell_type": "markdown", "source": "import not_code", "metadata": {}})
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_the_imports_of_a_notebooks_code_cells(tmp_path):
    path = _notebook(
        tmp_path,
        "import json\nimport os.path as p\nfrom helpers import figures, quality\n",
        "%matplotlib inline\nimport skipped_with_its_cell",  # a magic: not Python, skipped
        "from .relative import x\nfrom helpers.nyps import intake\nif True:\n    import nested_is_not_top_level\n",
        "x = 1\nimport json",
    )
    assert warm.notebook_imports(path) == [
        "json", "os.path", "helpers", "helpers.figures", "helpers.quality", "helpers.nyps", "helpers.nyps.intake",
    ]


def test_the_study_notebooks_import_what_the_warm_kernel_loads():
    imports = warm.notebook_imports(ROOT / "notebooks" / "02_nyps_analysis.ipynb")
    assert {"pandas", "helpers.quality", "helpers.nyps.analysis"} <= set(imports)


def test_load_skips_what_is_no_module_and_what_fails():
    loaded = warm.load(["json", "helpers.display.facts", "no_such_module_here", "helpers.figures"])
    assert loaded == ["json", "helpers.figures"]


def test_the_extension_loads_modules_and_binds_no_name():
    code = (
        "import os, sys\n"
        "os.environ['STUDY_PRELOAD'] = 'json,helpers.figures,no_such_module'\n"
        "os.environ['STUDY_PRELOAD_IDLE'] = '1'\n"
        "before = set(globals())\n"
        "from helpers import warm as _w\n"
        "_w.load_ipython_extension(None)\n"
        "print('helpers.figures' in sys.modules, sorted(set(globals()) - before - {'_w', 'before'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "True []"
