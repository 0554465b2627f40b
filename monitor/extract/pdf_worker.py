"""The PDF worker process, seen from the parent: start it once, send it requests, kill it when it hangs.

Why a separate process: pdfminer (under pdfplumber) is pure Python and its time and memory grow with
what a page contains, not with the file size, so a 50 KB PDF can hold a flate bomb or millions of
drawing operators and no check made before parsing bounds that.  Only a process can be stopped for
certain, so PDFs are read by ``_pdf_worker.py`` under an address-space limit, with a hard deadline
per document.

Why a long-lived one: starting Python and importing pdfplumber and pypdfium2 costs ~0.25 s, more
than reading a typical report.  One worker per parent process serves documents one at a time (a
lock serialises threads); it is replaced when it misses a deadline (killed with its process group),
dies, reports running out of memory, after MAX_REQUESTS documents (to bound slow leaks), or when the
parent has forked.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("_pdf_worker.py")
MAX_REQUESTS = 500


@dataclass
class Reply:
    messages: list[dict] = field(default_factory=list)
    timed_out: bool = False


class PdfWorker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._owner = 0
        self._served = 0
        self._buffer = b""

    def request(self, request: dict, timeout: float, memory: int) -> Reply:
        """Send one request; collect its messages until its end, the deadline, or the worker's death.

        A worker found dead before it said anything about this document (it died between two
        requests, e.g. killed from outside) is replaced and the request sent again, once.
        """
        with self._lock:
            deadline = time.monotonic() + timeout
            line = (json.dumps(request) + "\n").encode("utf-8")
            for attempt in (1, 2):
                if not self._alive():
                    self._start(memory)
                try:
                    self._proc.stdin.write(line)
                    self._proc.stdin.flush()
                except OSError:
                    reply, finished = Reply(), False
                else:
                    reply, finished = self._collect(deadline)
                if finished or reply.messages or reply.timed_out or attempt == 2:
                    break
                self._stop()
            self._served += 1
            if not finished or self._served >= MAX_REQUESTS or any(
                    m.get("t") == "error" and m.get("code") == "too_large" for m in reply.messages):
                self._stop()
            return reply

    def close(self) -> None:
        """Stop the worker (registered to run at interpreter exit)."""
        with self._lock:
            self._stop()

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and self._owner == os.getpid()

    def _start(self, memory: int) -> None:
        self._stop()
        self._proc = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT), str(memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self._owner = os.getpid()
        self._served = 0
        self._buffer = b""

    def _collect(self, deadline: float) -> tuple[Reply, bool]:
        reply = Reply()
        fd = self._proc.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                while b"\n" in self._buffer:
                    raw, self._buffer = self._buffer.split(b"\n", 1)
                    try:
                        message = json.loads(raw)
                    except ValueError:
                        continue
                    if message.get("t") == "end":
                        return reply, True
                    reply.messages.append(message)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    reply.timed_out = True
                    return reply, False
                if not selector.select(remaining):
                    continue
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    return reply, False  # the worker died (crash, memory limit)
                self._buffer += chunk

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if self._owner == os.getpid():
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


WORKER = PdfWorker()
atexit.register(WORKER.close)
