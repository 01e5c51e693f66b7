"""Where the expectation suites run. Importing Great Expectations takes about 3 s, and checking
a million-row table a few more; neither need hold up the notebook:

- in a run of the study, one process serves the whole run: the runner starts it
  (`python -m helpers.quality_worker serve ADDRESS`) and hands its address and key to the
  kernels in the environment (SERVICE_ENV, KEY_ENV), so the library is loaded once per run,
  while the first stage starts;
- in a notebook opened by hand, prepare() starts a process of the kernel's own;
- without either (the tests, the command-line tools), suites run in the calling process.

Only the columns a suite reads cross to the other process (see quality.needed_columns). If the
process is gone (killed, out of memory), the check runs in the calling process instead, with
the same result."""
from __future__ import annotations

import os
import signal
import sys
import threading
from concurrent.futures import Future

SERVICE_ENV = "STUDY_QUALITY_SERVICE"  # the Unix socket of the run's process for the checks
KEY_ENV = "STUDY_QUALITY_KEY"  # its authentication key, hex

_submit = None  # (part, columns, suite, parameters) -> Future of the result rows, once prepared


class WorkerGone(RuntimeError):
    """The process for the checks ended or cannot be reached."""


def _ignore_interrupts() -> None:
    # Jupyter interrupts a kernel it shuts down with SIGINT to the kernel's whole process
    # group, which holds a kernel's own process for the checks: that ends with the kernel,
    # not with a KeyboardInterrupt of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load() -> None:
    import great_expectations  # noqa: F401 - loaded once, for every suite the process runs


def _kernel_worker_start() -> None:
    _ignore_interrupts()
    _load()


def _detached(part, columns, suite: dict, parameters: dict) -> list[dict]:
    """In the checks' process: the suite on the columns it reads (`part`) of a frame with these
    `columns` (None: `part` is the whole frame)."""
    from .quality import _run_gx

    return _run_gx(part, suite, parameters, columns)


class _ServiceClient:
    """Sends each check to the run's process over its own connection, from a thread, so the
    notebook goes on while the data are sent and checked."""

    def __init__(self, address: str, key: bytes):
        from concurrent.futures import ThreadPoolExecutor

        self.address, self.key = address, key
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="quality-client")

    def _connect(self, wait_s: float = 10.0):
        """A connection to the run's process; its socket may not be there yet in the first
        moment of a run."""
        import time
        from multiprocessing.connection import Client

        deadline = time.monotonic() + wait_s
        while True:
            try:
                return Client(self.address, family="AF_UNIX", authkey=self.key)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _call(self, *args) -> list[dict]:
        with self._connect() as conn:
            conn.send(args)
            status, value = conn.recv()
        if status == "error":
            raise value
        return value

    def submit(self, *args) -> Future:
        return self.pool.submit(self._call, *args)


def prepare() -> None:
    """Make sure there is a process to run the suites in: the run's, when the runner named
    one, else a new one of this kernel's own, which starts loading Great Expectations now."""
    global _submit
    if _submit is not None:
        return
    address, key = os.environ.get(SERVICE_ENV), os.environ.get(KEY_ENV)
    if address and key:
        _submit = _ServiceClient(address, bytes.fromhex(key)).submit
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a kernel has threads of its own, which a forked child must not inherit
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_kernel_worker_start)
    pool.submit(int)  # the process starts now, not at the first check
    _submit = lambda *args: pool.submit(_detached, *args)  # noqa: E731


def prepared() -> bool:
    return _submit is not None


def submit(part, columns, suite: dict, parameters: dict) -> Future:
    """Begin a check in the process for the checks (prepare() first)."""
    if _submit is None:
        raise RuntimeError("no process for the quality checks: call prepare() first")
    return _submit(part, columns, suite, parameters)


def result(future: Future) -> list[dict]:
    """The result rows of a submitted check; WorkerGone when its process did not answer (the
    caller then checks in its own process, and so do later checks)."""
    global _submit
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import AuthenticationError

    try:
        return future.result()
    except (BrokenProcessPool, EOFError, OSError, AuthenticationError) as exc:
        _submit = None
        raise WorkerGone(f"the process for the quality checks did not answer: {exc}") from exc


# ------------------------------------------------------------------ the run's process

def serve(address: str, key: bytes) -> None:
    """Answer checks on a Unix socket until stopped, one at a time (Great Expectations'
    contexts are not meant to be shared between threads), loading the library meanwhile.
    Ends by itself when the process that started it is gone."""
    from multiprocessing.connection import Listener

    _ignore_interrupts()
    parent = os.getppid()
    listener = Listener(address, family="AF_UNIX", authkey=key)
    threading.Thread(target=_load, name="load", daemon=True).start()
    one_at_a_time = threading.Lock()

    def watch_parent():
        while True:
            if os.getppid() != parent:
                os._exit(0)
            threading.Event().wait(1.0)

    def handle(conn):
        with conn:
            try:
                args = conn.recv()
            except (EOFError, OSError):
                return
            with one_at_a_time:
                try:
                    answer = ("ok", _detached(*args))
                except Exception as exc:  # noqa: BLE001 - handed to the kernel, which raises it
                    answer = ("error", exc)
            try:
                conn.send(answer)
            except Exception as exc:  # noqa: BLE001 - an error that does not pickle
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))

    threading.Thread(target=watch_parent, name="watch-parent", daemon=True).start()
    while True:
        try:
            conn = listener.accept()
        except Exception:  # noqa: BLE001 - a client that failed to authenticate, or went away
            continue
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "serve" or not os.environ.get(KEY_ENV):
        print(f"usage: {KEY_ENV}=<hex key> python -m helpers.quality_worker serve SOCKET", file=sys.stderr)
        return 2
    serve(argv[1], bytes.fromhex(os.environ[KEY_ENV]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
