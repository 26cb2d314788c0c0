"""A progress bar for the long runs (``batch``, ``compare``, ``generate``, ``test``), on stderr only.

stdout may be a pipe carrying results, so the bar never writes there; a stderr that is not a
terminal (a log file, CI, a pipe) gets nothing at all, nor does a run with ``--quiet``. A run of
millions of rows advances the bar thousands of times, so it is redrawn at most ten times a
second; it ends with its own line (the count, the time taken, the rate) and a newline, so that
what follows starts on a line of its own. Its words come from
``engine/messages/<lang>/progress.yaml``.

``table_rows`` estimates a table's rows cheaply, for the total: lines of a CSV or JSON Lines
file, the used range of an XLSX sheet, the row count a Parquet file records.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from engine.i18n import Num, columns, t

T = TypeVar("T")

#: the fewest seconds between two redraws (ten a second at most)
INTERVAL = 0.1
#: the bar's widest, in terminal columns (it gives way to the words on a narrow terminal)
BAR_WIDTH = 24


def _clock(seconds: float) -> str:
    """``0:07``, ``12:34``, ``1:02:03``: a duration as a clock reads, the same in every language."""
    s = int(seconds + 0.5)
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _rate_text(rate: float) -> Num:
    """A rate as the language writes numbers: whole from 10 up, else with one decimal (0,5 / 0.5)."""
    from decimal import Decimal

    return Num(int(rate + 0.5)) if rate >= 10 else Num(Decimal(str(round(rate, 1))))


class Progress:
    """How far a run has come, drawn on ``stream`` (stderr) when that is a terminal.

    ``show``: None to show the bar only on a terminal, False never (``--quiet``), True always
    (tests). ``unit`` names what is counted (``rows``, ``scenarios``: ``progress.unit.<unit>``).
    ``total`` may be set later, once known, or never (the bar then shows the count and the rate)."""

    def __init__(self, unit: str, lang: str, total: int | None = None, *, show: bool | None = None,
                 stream: IO[str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.show = _is_terminal(self.stream) if show is None else show
        self.unit, self.lang, self.total = unit, lang, total
        self.done = 0
        self._clock = clock
        self._start = clock()
        self._drawn_at: float | None = None
        self._width = 0  # the columns of the line drawn last, blanked when a shorter one replaces it
        self._closed = False

    def restart(self) -> None:
        """The clock starts again, from nothing done: what came before (collecting the scenarios)
        is no part of the rate."""
        self._start = self._clock()
        self.done = 0

    def advance(self, n: int = 1) -> None:
        """``n`` more done; redrawn if the last drawing is a tenth of a second old."""
        self.done += n
        if not self.show:
            return
        now = self._clock()
        if self._drawn_at is None or now - self._drawn_at >= INTERVAL:
            self._draw(self.line(now))
            self._drawn_at = now

    def track(self, items: Iterable[T], size: Callable[[T], int]) -> Iterator[T]:
        """``items`` one by one, each counted (``size(item)``) once the caller is done with it,
        that is when it asks for the next: the bar shows work done, not work begun."""
        for item in items:
            yield item
            self.advance(size(item))

    def close(self, finished: bool = True) -> None:
        """The last line (count, time taken, rate) and a newline; only the newline when the run
        stopped early (``finished`` False: an error or Ctrl-C follows, on a line of its own)."""
        if self._closed:
            return
        self._closed = True
        if not self.show:
            return
        if finished:
            self._draw(self.summary(self._clock()))
        if finished or self._drawn_at is not None:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        self.close(finished=kind is None)

    # -- the words ---------------------------------------------------------------------------------

    def _rate(self, now: float) -> float | None:
        elapsed = now - self._start
        return self.done / elapsed if elapsed > 0.05 and self.done else None

    def line(self, now: float) -> str:
        """The line as it stands at ``now``: bar and percentage when the total is known, the
        count, the rate and the time left."""
        lang = self.lang
        unit = t(f"progress.unit.{self.unit}", lang)
        rate = self._rate(now)
        rate_text = _rate_text(rate) if rate is not None else "…"
        if not self.total:
            return "  " + t("progress.counting", lang, done=Num(self.done), unit=unit, rate=rate_text)
        total = max(self.total, self.done)  # an estimate may fall short: the bar stays full, never past
        left = _clock((total - self.done) / rate) if rate else "…"
        words = t("progress.known", lang, done=Num(self.done), total=Num(total), unit=unit, rate=rate_text, left=left)
        share = self.done / total
        # the line: two spaces, [bar], a space, the percentage (4), a space, the words; the last
        # column is left free (a terminal that wraps there would push the next redraw down a line)
        room = self._columns() - 1 - columns(words) - 10
        width = min(BAR_WIDTH, room)
        if width < 5:
            return f"  {share:4.0%} {words}"
        full = int(share * width)
        return f"  [{'█' * full}{'░' * (width - full)}] {share:4.0%} {words}"

    def summary(self, now: float) -> str:
        """The last line: how many, in how long, how fast."""
        unit = t(f"progress.unit.{self.unit}", self.lang)
        elapsed = now - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        return "  " + t("progress.finished", self.lang, done=Num(self.done), unit=unit, elapsed=_clock(elapsed),
                        rate=_rate_text(rate))

    # -- the terminal ------------------------------------------------------------------------------

    def _columns(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (OSError, ValueError, AttributeError):
            return 80

    def _draw(self, text: str) -> None:
        """``text`` over the line drawn last (a carriage return, then blanks over what it leaves);
        cut to the terminal's width, as a wrapped line could not be drawn over."""
        limit = self._columns() - 1
        while columns(text) > limit and text:
            text = text[:-1]
        width = columns(text)
        self.stream.write("\r" + text + " " * max(0, self._width - width))
        self.stream.flush()
        self._width = width


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def table_rows(path: Path) -> int | None:
    """About how many rows ``path`` holds (None when that cannot be told cheaply): the lines of a
    CSV (less its header) or JSON Lines file, counted by reading bytes only; the used range an
    XLSX writer records for the first sheet (less a header row); the row count a Parquet file
    records. An estimate: a quoted line break, title rows or blank rows make it a little off."""
    from engine.io.tables import FORMATS

    fmt = FORMATS.get(path.suffix.lower())
    try:
        if fmt in ("csv", "jsonl"):
            return _lines(path) - (1 if fmt == "csv" else 0)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if fmt == "xlsx":
            return _sheet_rows(path)
    except Exception:  # noqa: BLE001 - only an estimate: the reader reports a broken file itself
        return None
    return None


def _lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def _sheet_rows(path: Path) -> int | None:
    """The last row of the first sheet's ``<dimension ref="A1:X200001"/>``, less the header."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        first = re.search(r'<sheet\b[^>]*\br:id="([^"]+)"', book)
        if first is None:
            return None
        target = re.search(rf'<Relationship\b[^>]*Id="{re.escape(first.group(1))}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'<Relationship\b[^>]*Target="([^"]+)"[^>]*Id="{re.escape(first.group(1))}"', rels)
        if target is None:
            return None
        name = target.group(1).lstrip("/") if target.group(1).startswith("/") else "xl/" + target.group(1)
        with z.open(name) as fh:
            head = fh.read(1 << 16).decode("utf-8", "replace")
    dim = re.search(r'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
    return max(int(dim.group(1)) - 1, 0) if dim and dim.group(1) else None
