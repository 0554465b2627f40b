"""LibreOffice conversions, many files per start.

soffice's start-up is most of what a conversion costs (measured on a 2-core box: 1.35 s to convert
one .doc to .docx, 2.9 s for eight), and conversions are asked for from several threads at once: the
crawl's extraction threads and ``check_many`` reading .doc/.wps files antiword cannot, the simulated
web writing its .doc files.  So conversions are group-committed: a caller that arrives while soffice
runs queues its file, and the first waiter to find soffice idle converts what is queued for the same
target, up to MAX_BATCH files, in one start.

One soffice at a time per process, in a profile of the process's own that its starts reuse: two
soffice runs on one profile make one of them exit silently without output, and a process forked from
another gets a profile of its own.  A start killed at its deadline may leave the profile half
written, so the profile is then thrown away.

A batch only saves time; it never changes a result.  When a start of several files fails or times
out, every file it did not convert is converted again on its own (and the file converted last before
a timeout, which may be partly written, with them), so one hostile file fails nobody but itself.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from monitor.extract import limits

MAX_BATCH = 16  # files per start: bounds the time a timed-out start wastes before the files are redone


class ConversionError(Exception):
    """A file soffice did not convert; ``timed_out`` when it ran out of time on it."""

    def __init__(self, message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


def binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str, *, infilter: str | None = None) -> bytes:
    """``data`` (a file named ``*suffix``) converted to ``target`` ("docx:MS Word 2007 XML"); raises ConversionError."""
    result = convert_many([(data, suffix)], target, infilter=infilter)[0]
    if isinstance(result, ConversionError):
        raise result
    return result


def convert_many(files: list[tuple[bytes, str]], target: str, *,
                 infilter: str | None = None) -> list[bytes | ConversionError]:
    """Each (bytes, suffix) converted to ``target``, or the ConversionError that says why it was not."""
    return _BATCHER.convert([_Job(data, suffix, target, infilter) for data, suffix in files])


@dataclass(frozen=True)
class _Job:
    data: bytes
    suffix: str
    target: str
    infilter: str | None
    key: tuple = field(init=False, compare=False)  # callers asking for the same conversion share one

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.kind, self.suffix, hashlib.sha256(self.data).digest()))

    @property
    def kind(self) -> tuple[str, str | None]:
        """Jobs of one kind can share a start: the target and the input filter are options of the whole run."""
        return self.target, self.infilter


class _Batcher:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queued: list[_Job] = []
        self._futures: dict[tuple, Future] = {}  # queued or being converted
        self._busy = False

    def convert(self, jobs: list[_Job]) -> list[bytes | ConversionError]:
        with self._cond:
            futures = []
            for job in jobs:
                if job.key not in self._futures:
                    self._futures[job.key] = Future()
                    self._queued.append(job)
                futures.append(self._futures[job.key])
            while not all(future.done() for future in futures):
                if self._busy:
                    self._cond.wait()
                    continue
                kind = self._queued[0].kind
                batch = [job for job in self._queued if job.kind == kind][:MAX_BATCH]
                taken = {job.key for job in batch}
                self._queued = [job for job in self._queued if job.key not in taken]
                self._busy = True
                self._cond.release()
                try:
                    results = _convert_batch(batch)
                finally:
                    self._cond.acquire()
                    self._busy = False
                    for job in batch:
                        future = self._futures.pop(job.key)
                        if job.key in results:
                            future.set_result(results[job.key])
                        else:  # the start raised (a KeyboardInterrupt): nobody may wait forever
                            future.set_result(ConversionError("the LibreOffice conversion was interrupted"))
                    self._cond.notify_all()
        return [future.result() for future in futures]


def _convert_batch(batch: list[_Job]) -> dict[tuple, bytes | ConversionError]:
    results = _run(batch)
    if len(batch) > 1:
        for job in batch:
            if isinstance(results[job.key], ConversionError):
                results.update(_run([job]))  # alone, so that no other file can be what failed it
    return results


def _run(batch: list[_Job]) -> dict[tuple, bytes | ConversionError]:
    """One soffice start over the batch: each job's bytes, or its error."""
    program = binary()
    if program is None:
        return {job.key: ConversionError("LibreOffice (soffice) is not installed") for job in batch}
    target, infilter = batch[0].kind
    extension = target.split(":", 1)[0]
    timeout = limits.SOFFICE_TIMEOUT + limits.SOFFICE_SECONDS_PER_FILE * (len(batch) - 1)
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as work:
        sources = [Path(work) / f"{n}{job.suffix}" for n, job in enumerate(batch)]
        for source, job in zip(sources, batch):
            source.write_bytes(job.data)
        outdir = Path(work) / "out"
        cmd = [program, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
               f"-env:UserInstallation={_profile(os.getpid()).as_uri()}"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
        done = limits.run_bounded(cmd, timeout, cwd=work)
        outputs = [outdir / f"{source.stem}.{extension}" for source in sources]
        if done.timed_out:
            shutil.rmtree(_profile(os.getpid()), ignore_errors=True)
            written = [n for n, path in enumerate(outputs) if path.is_file()]
            if written:  # the last file written when the clock ran out may be incomplete
                outputs[written[-1]].unlink()
            failure = ConversionError(f"LibreOffice took longer than {timeout:g} s", timed_out=True)
        else:
            stderr = done.stderr.decode(errors="replace").strip()[:300]
            failure = ConversionError(f"LibreOffice did not convert the file (exit {done.returncode}"
                                      + (f": {stderr})" if stderr else ")"))
        return {job.key: path.read_bytes() if path.is_file() else failure for job, path in zip(batch, outputs)}


_PROFILES: dict[int, Path] = {}


def _profile(pid: int) -> Path:
    """Process ``pid``'s LibreOffice profile, removed when the process ends."""
    if pid not in _PROFILES:
        _PROFILES[pid] = Path(tempfile.gettempdir()) / f"nianbao-soffice-profile-{pid}"
        atexit.register(shutil.rmtree, _PROFILES[pid], ignore_errors=True)
    return _PROFILES[pid]


_BATCHER = _Batcher()


def _reset_after_fork() -> None:
    """A forked child has none of its parent's threads: a batch the parent was running is not its own."""
    global _BATCHER
    _BATCHER = _Batcher()


os.register_at_fork(after_in_child=_reset_after_fork)
