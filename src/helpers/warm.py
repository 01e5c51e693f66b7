"""Warm kernels: a stage's kernel started, and the modules its notebook imports loaded, while
the stages it depends on still run, so the stage starts at once when they are done.

The runner names the modules in the environment variable STUDY_PRELOAD and starts the kernel
with this module as an IPython extension. Loading the extension imports them into the
kernel's module cache and nothing else: no name enters the notebook's namespace, so a cell
that forgot an import fails under the runner as it would in JupyterLab. The notebook still
runs every one of its own imports; they merely find the modules loaded."""
from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
from pathlib import Path

ENV = "STUDY_PRELOAD"
# Set for a kernel warmed ahead of its stage: its imports use idle CPU time only.
IDLE_ENV = "STUDY_PRELOAD_IDLE"


def notebook_imports(notebook: Path) -> list[str]:
    """The modules a notebook's code cells import at top level, in order: `import a.b` gives
    a.b, `from a import b` gives a.b when that is a module, else a. Magics and shell lines
    are skipped with the cell they are in; a cell that does not parse is skipped."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    names: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                names.extend(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return list(dict.fromkeys(names))


def load(modules: list[str]) -> list[str]:
    """Import the modules that exist (a `from a import b` of a function gives a.b, which is no
    module); return those loaded. A module that fails to import is left for the notebook, which
    then reports the error where it belongs."""
    loaded = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the notebook's own import reports it
            continue
        loaded.append(name)
    return loaded


def load_idle(modules: list[str]) -> list[str]:
    """load() in a thread that runs only when a CPU would otherwise be idle (Linux's SCHED_IDLE
    policy, which a thread may take for itself), waited for. A kernel warmed ahead thus takes
    only the CPU time the running stages leave; its main thread, which later runs the
    notebook, keeps the usual policy."""
    import threading

    loaded: list[str] = []

    def work():
        try:
            os.sched_setscheduler(threading.get_native_id(), os.SCHED_IDLE, os.sched_param(0))
        except (OSError, AttributeError):  # not Linux: load at the usual priority
            pass
        loaded.extend(load(modules))

    thread = threading.Thread(target=work, name="warm-imports")
    thread.start()
    thread.join()
    return loaded


def load_ipython_extension(ipython) -> None:  # noqa: ARG001 - IPython's extension hook
    modules = [m for m in os.environ.get(ENV, "").split(",") if m]
    if os.environ.get(IDLE_ENV):
        load_idle(modules)
    else:
        load(modules)
