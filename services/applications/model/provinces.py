"""The provincial divisions of GB/T 2260 (``contracts.divisions``): the 注册地址's province and the
work's jurisdiction."""

from __future__ import annotations

from contracts.divisions import PROVINCES, province_name

__all__ = ["PROVINCES", "province_name"]
