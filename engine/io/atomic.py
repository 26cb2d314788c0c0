"""Every output file is written here: to a temporary beside it, renamed into place when complete.

- The temporary (``.NAME.<pid>.<random>.tmp`` in the output's folder) is created exclusively
  (``O_CREAT | O_EXCL | O_NOFOLLOW``, via ``tempfile.mkstemp``): a file or a symlink planted at
  that name makes the creation fail, it is never opened, followed or overwritten.
- It is written, flushed and fsynced, and only then renamed over the output; a reader sees the
  old file or the new one, never half of one.
- On any exception (``KeyboardInterrupt``, ``SystemExit`` and the ``Terminated`` that SIGTERM
  raises included) it is removed, with SIGINT and SIGTERM held off while that happens, so that a
  second Ctrl-C does not leave it behind.
- A run removes the temporaries of the same output left by processes that are no longer alive
  (SIGKILL, power loss); a live process's temporary is never touched.
- An output that exists and is not a regular file (a pipe, ``/dev/full``) is written directly:
  it cannot be renamed over, and must not be replaced by a file; ``/dev/stdout``,
  ``/dev/stderr`` and ``/dev/fd/N`` are written through the process's own descriptor.
- Operating-system errors (missing or read-only folder, full disk, quota) become an
  ``OutputError`` naming the file, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine.errors import OutputError, Where
from engine.i18n import Msg

_ACTIVE: set[str] = set()  # this process's temporaries being written (never stale)
_LOCK = threading.Lock()


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that clean-up runs as for Ctrl-C."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated()


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While inside, SIGTERM raises ``Terminated`` in the main thread (then the old handler is back)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) is None:
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM held off while inside (clean-up must finish); delivered afterwards."""
    if threading.current_thread() is not threading.main_thread() or any(
            signal.getsignal(s) is None for s in (signal.SIGINT, signal.SIGTERM)):
        yield  # signals can only be handled in the main thread; a handler set outside Python cannot be put back
        return
    pending: list[int] = []
    old = {}
    for s in (signal.SIGINT, signal.SIGTERM):
        old[s] = signal.signal(s, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        if pending:
            signal.raise_signal(pending[0])


def _describe(exc: OSError, path: Path) -> OutputError:
    folder = path.parent if str(path.parent) else Path(".")
    code = exc.errno
    reason: Msg | str
    if code == errno.ENOENT and not folder.is_dir():
        reason = Msg.of("output.reason.no-folder", folder=folder)
    elif code == errno.ENOTDIR:
        reason = Msg.of("output.reason.not-a-folder", folder=folder)
    elif code in (errno.EACCES, errno.EPERM):
        reason = Msg.of("output.reason.no-permission", folder=folder)
    elif code == errno.EROFS:
        reason = Msg.of("output.reason.read-only", folder=folder)
    elif code in (errno.ENOSPC, errno.EDQUOT):
        reason = Msg.of("output.reason.disk-full")
    elif code == errno.EISDIR:
        reason = Msg.of("output.reason.is-a-folder")
    else:
        reason = exc.strerror or str(exc)  # the operating system's own words
    return OutputError.of("output.cannot-write", Where(file=str(path)), reason=reason)


_STALE = r"^\.{name}\.(\d+)(?:\.[A-Za-z0-9_]+)?\.tmp$"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _remove_stale(path: Path) -> list[Path]:
    """Remove the temporaries of ``path`` left by processes that are no longer alive (and this
    process's own that no writer holds). Called with ``_LOCK`` held, so that a temporary this
    process has just created is registered in ``_ACTIVE`` before another thread looks."""
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(_STALE.format(name=re.escape(path.name)))
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    me = os.getpid()
    for name in names:
        m = pattern.match(name)
        if not m:
            continue
        pid, tmp = int(m.group(1)), folder / name
        if str(tmp) in _ACTIVE or (pid != me and _alive(pid)):
            continue
        try:
            if not stat.S_ISDIR(os.lstat(tmp).st_mode):
                os.unlink(tmp)  # a symlink is removed, never followed
                removed.append(tmp)
        except OSError:
            pass
    return removed


class _Sink:
    """A binary file object over a file descriptor that remembers the operating-system error it
    hit (libraries such as polars wrap it into their own exceptions)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.pos = 0
        self.error: OSError | None = None
        self.closed = False

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        try:
            while done < len(view):
                done += os.write(self.fd, view[done:])
        except OSError as exc:
            self.error = exc
            raise
        self.pos += done
        return done

    def tell(self) -> int:
        return self.pos

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def close(self) -> None:  # the AtomicFile closes the descriptor
        pass


class AtomicFile:
    """``with AtomicFile(path) as f: f.write(...)``; or ``commit()`` / ``abort()`` by hand.

    ``file`` is a binary file object for libraries (polars, pyarrow) to write into."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.tmp: Path | None = None
        self._fd: int | None = None
        self._done = False
        try:
            st = os.stat(self.path)
        except OSError:
            st = None
        self._stream = _standard_stream(self.path)
        self.direct = self._stream is not None or (
            st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode))
        try:
            self._create(st)
        except BaseException:  # a signal held off during creation is delivered at its end
            self.abort()
            raise
        assert self._fd is not None  # _create opened it or raised
        self.file: _Sink = _Sink(self._fd)

    def _create(self, st: os.stat_result | None) -> None:
        with signals_deferred():  # the temporary exists only once its name is known
            try:
                if self._stream is not None:  # this process's own stdout/stderr, wherever it goes
                    for stream in (sys.stdout, sys.stderr):
                        with contextlib.suppress(Exception):
                            stream.flush()
                    self._fd = os.dup(self._stream)
                elif self.direct:
                    self._fd = os.open(self.path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0))
                else:
                    if st is not None and stat.S_ISDIR(st.st_mode):
                        raise IsADirectoryError(errno.EISDIR, "is a folder", str(self.path))
                    folder = self.path.parent if str(self.path.parent) else Path(".")
                    with _LOCK:
                        _remove_stale(self.path)
                        import tempfile  # here, not at the top: the CLI imports this module for its signal handling on every run

                        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
                        self._fd, self.tmp = fd, Path(name)
                        _ACTIVE.add(str(self.tmp))
                    os.fchmod(fd, 0o666 & ~_umask())  # as an ordinary new file would be, not mkstemp's 0600
            except OSError as exc:
                raise _describe(exc, self.path) from None

    def write(self, data: bytes) -> None:
        with self.errors():
            self.file.write(data)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """An exception raised while writing that comes from the operating system (directly or
        wrapped by a library) becomes an ``OutputError`` naming the file."""
        try:
            yield
        except OutputError:
            raise
        except Exception as exc:
            cause = self.file.error or (exc if isinstance(exc, OSError) and exc.errno is not None else None)
            if cause is None:
                raise
            raise _describe(cause, self.path) from exc

    def commit(self) -> None:
        if self._done:
            return
        fd = self._fd
        assert fd is not None  # open from __init__ until done
        try:
            with self.errors():
                if not self.direct:
                    os.fsync(fd)
            with signals_deferred():
                os.close(fd)
                self._fd = None
                if self.tmp is not None:
                    try:
                        os.replace(self.tmp, self.path)
                    except OSError as exc:
                        raise _describe(exc, self.path) from None
                    self._forget()
                    _fsync_folder(self.path)
                self._done = True
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self._done:
            return
        with signals_deferred():
            self._done = True
            if self._fd is not None:
                with contextlib.suppress(OSError):
                    os.close(self._fd)
                self._fd = None
            if self.tmp is not None:
                with contextlib.suppress(OSError):  # gone already, or nothing more can be done
                    os.unlink(self.tmp)
                self._forget()

    def _forget(self) -> None:
        with _LOCK:
            _ACTIVE.discard(str(self.tmp))

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


_STREAM = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/(\d+))|proc/self/fd/(\d+))$")


def _standard_stream(path: Path) -> int | None:
    """The descriptor behind /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N: written
    through (a copy of) it, as a print would be; a temporary in /dev renamed over /dev/stdout
    would replace the link (as root) and never reach the terminal or the redirected file."""
    m = _STREAM.match(str(path))
    if m is None:
        return None
    if m.group(1) or m.group(2):
        return int(m.group(1) or m.group(2))
    return 1 if str(path).endswith("stdout") else 2


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(path: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(path: Path | str, data: bytes) -> None:
    f = None
    try:
        with signals_deferred():  # held off until ``f`` is known, so that it can be removed
            f = AtomicFile(path)
        f.write(data)
        f.commit()
    except BaseException:
        if f is not None:
            f.abort()
        raise


def write_text(path: Path | str, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def mkdir(folder: Path) -> None:
    """``mkdir -p``, with an ``OutputError`` naming the folder when it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError.of("output.cannot-write", Where(file=str(folder)),
                             reason=Msg.of("output.reason.exists-not-folder")) from None
    except OSError as exc:
        raise _describe(exc, folder) from None
