"""The rejected-rows report of a load: a CSV of 行号,列,原因, UTF-8 with a BOM so Excel opens it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .rows import Rejection

__all__ = ["HEADER", "report_csv"]

HEADER = ("行号", "列", "原因")


def report_csv(rejections: Iterable[Rejection]) -> bytes:
    """One line per refused cell (a row with two bad cells has two), in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows((rejection.line, rejection.column, rejection.reason) for rejection in rejections)
    return out.getvalue().encode("utf-8-sig")
