"""Helpers to run modbus_peer.py and socat pty pairs from Python tests and scripts."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER = HERE / "modbus_peer.py"
REPO = HERE.parent.parent
TEMPLATES = REPO / "templates"


def venv_python() -> str:
    """The venv's python if tests/peers/setup.sh has run, else this interpreter."""
    p = HERE / ".venv" / "bin" / "python"
    return str(p) if p.exists() else sys.executable


class LineReader:
    """Lines from a pipe with a timeout (os.read on the raw fd: select and a buffered
    readline do not mix)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buf = b""
        self.eof = False

    def readline(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                if self.buf and self.eof:
                    line, self.buf = self.buf, b""
                    return line.decode(errors="replace")
                return None
            r, _, _ = select.select([self.fd], [], [], min(left, 0.1))
            if r:
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    self.eof = True
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace") + "\n"


class PeerProcess:
    """modbus_peer.py as a child process: READY line, stdin commands, stderr log file."""

    def __init__(self, *args: str, python: str | None = None, ready_timeout: float = 15.0):
        self.err_file = tempfile.NamedTemporaryFile("w+", prefix="peer-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [python or venv_python(), str(PEER), *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err_file,
            text=True, bufsize=1,
        )
        assert self.proc.stdout is not None
        self.reader = LineReader(self.proc.stdout.fileno())
        line = self._readline(ready_timeout)
        if not line or not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"peer did not get ready (got {line!r}); stderr:\n{self.stderr()}")
        self.address = line.split(" ", 1)[1].strip()

    def _readline(self, timeout: float) -> str | None:
        return self.reader.readline(timeout)

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.address.rsplit(":", 1)
        return host.strip("[]"), int(port)

    def command(self, line: str, timeout: float = 5.0) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self._readline(timeout)
        return (reply or "").strip()

    def stderr(self) -> str:
        self.err_file.flush()
        return Path(self.err_file.name).read_text()

    def stop(self, timeout: float = 5.0) -> int | None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                if f:
                    f.close()
            except OSError:
                pass
        return self.proc.returncode

    def __enter__(self) -> "PeerProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self.err_file.close()
        try:
            os.unlink(self.err_file.name)
        except OSError:
            pass


class PtyPair:
    """Two connected pseudo terminals made by `socat -d -d pty,raw,echo=0 pty,raw,echo=0`."""

    def __init__(self, timeout: float = 5.0):
        if not shutil.which("socat"):
            raise RuntimeError("socat is not installed")
        self.proc = subprocess.Popen(
            ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        paths: list[str] = []
        deadline = time.monotonic() + timeout
        assert self.proc.stderr is not None
        reader = LineReader(self.proc.stderr.fileno())
        while len(paths) < 2 and time.monotonic() < deadline:
            line = reader.readline(max(0.0, deadline - time.monotonic()))
            if line is None:
                break
            m = re.search(r"PTY is (\S+)", line)
            if m:
                paths.append(m.group(1))
        if len(paths) < 2:
            self.close()
            raise RuntimeError("socat did not report two ptys")
        self.peer_end, self.client_end = paths

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()

    def __enter__(self) -> "PtyPair":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
