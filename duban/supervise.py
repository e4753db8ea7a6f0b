"""Long-running commands and their children: one way to start, one way to stop.

Every stop signal — SIGINT (Ctrl-C, also when it was inherited as ignored, as by a background
job of a non-interactive shell), SIGTERM (systemd, `docker stop`, `kill`) and SIGHUP (the
terminal closed) — raises KeyboardInterrupt in the main thread, so the command's own clean-up
runs whichever arrives. Children start in sessions of their own: a Ctrl-C in the terminal
reaches only the supervisor, which stops them in the order it chooses, and finally kills
whatever is left in each child's session (a flow run the child started, say).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def install_stop_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP all stop this process as Ctrl-C does (main thread only)."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, _stop)


def _stop(signum: int, frame: object) -> None:
    """The first stop signal raises KeyboardInterrupt; the ones after it are let go, so that
    they cannot cut the clean-up short before it is `shielded` (a `kill` of `make up`'s process
    group reaches `duban up` twice: from the kill, then from make passing it on). Let go by a
    handler that does nothing, not SIG_IGN: a signal already pending when its handler became
    SIG_IGN makes Python print an error."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, _let_go)
    raise KeyboardInterrupt


def _let_go(signum: int, frame: object) -> None:
    pass


@contextmanager
def shielded() -> Iterator[None]:
    """Clean-up that a second signal must not cut short (each step has its own timeout)."""
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path | None = None

    def tail(self, lines: int = 15) -> str:
        """The end of its output, to show when it failed."""
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, first: signal.Signals = signal.SIGINT, timeout: float = 20) -> None:
        """Ask (`first`), then insist (SIGKILL); then kill what is left in its session."""
        if self.running:
            try:
                self.process.send_signal(first)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        kill_session(self.process.pid)


def kill_session(sid: int, grace: float = 5) -> None:
    """Terminate, then kill, every process still in session `sid`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        left = session_members(sid)
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and session_members(sid):
            time.sleep(0.1)


def session_members(sid: int) -> list[int]:
    """The live processes of session `sid` (Linux: read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != b"Z":  # field 6 (session), after state
            found.append(int(entry))
    return found


@dataclass
class Children:
    """The children of a supervisor, stopped in the reverse of their start order."""

    started: list[Child] = field(default_factory=list)

    def start(
        self, name: str, command: list[str], env: dict[str, str], log: Path | None = None
    ) -> Child:
        """Start `command` in a session of its own; its output goes to `log` when given."""
        out = log.open("ab") if log else None
        try:
            process = subprocess.Popen(
                command,
                env=env,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT if out else None,
            )
        finally:
            if out:
                out.close()
        child = Child(name, process, log)
        self.started.append(child)
        return child

    def exited(self) -> Child | None:
        return next((c for c in self.started if not c.running), None)

    def stop_all(self) -> None:
        with shielded():
            for child in reversed(self.started):
                child.stop(signal.SIGTERM)
