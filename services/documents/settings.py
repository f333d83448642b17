"""DocumentsSettings: the variables only documents reads (limits, storage, retention), on top of the kernel's."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from services.kernel import BaseSettings

__all__ = ["PILLOW_PIXEL_CEILING", "DocumentsSettings"]

PILLOW_PIXEL_CEILING = 89_478_485
"""Pillow warns about (and at twice this refuses) larger images: our bound stays below it."""


class DocumentsSettings(BaseSettings, kw_only=True, frozen=True):
    """Each field is one environment variable (``DOCUMENTS_MAX_BYTES``, ``S3_BUCKET``, …)."""

    service_name: str = "documents"
    documents_max_bytes: Annotated[int, msgspec.Meta(ge=1, le=64 << 20)] = 2 * 1024 * 1024
    """The largest file accepted (manual §5: one file ≤ 2 MB)."""
    documents_unit_quota_bytes: Annotated[int, msgspec.Meta(ge=1)] = 2 * 1024**3
    """What one unit's stored (not deleted) documents may add up to."""
    documents_max_pixels: Annotated[int, msgspec.Meta(ge=1, le=PILLOW_PIXEL_CEILING)] = 50_000_000
    """An image whose header declares more pixels is a decompression bomb (A4 at 600 dpi: 35 M)."""
    documents_store: Literal["filesystem", "s3"] = "filesystem"
    documents_dir: str = ".data/documents"
    """The filesystem store's directory."""
    documents_retention_days: Annotated[int, msgspec.Meta(ge=0)] = 30
    """How long a deleted document's bytes are kept before the sweeper purges them."""
    documents_orphan_age_seconds: Annotated[int, msgspec.Meta(ge=0)] = 3600
    """An object no row refers to is deleted once it is this old (a crash between write and commit)."""
    documents_sweep_seconds: Annotated[float, msgspec.Meta(gt=0)] = 600.0
    """How often the sweepers run (in one replica)."""
    documents_checks_in_parallel: Annotated[int, msgspec.Meta(ge=1, le=64)] = 2
    """How many uploads are decoded and checked at once (bounds CPU and memory under load)."""
    s3_endpoint_url: str = ""
    """Any S3 API (MinIO, Ceph RGW, OSS/OBS, moto); empty: AWS's own endpoint for the region."""
    s3_bucket: str = "qual-documents"
    aws_access_key_id: str = ""
    aws_secret_access_key: str = ""
    aws_region: str = "us-east-1"
