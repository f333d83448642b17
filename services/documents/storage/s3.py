"""S3Store: objects in a bucket of any S3 API (MinIO, Ceph RGW, OSS/OBS, AWS; moto in the tests)
under ``documents/<id>``, through boto3. Every boto3 call runs in a worker thread; downloads are
read from the response body chunk by chunk."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
import botocore.config
import botocore.exceptions

from ..rules import Data
from .errors import ObjectMissingError, StoreUnavailableError

if TYPE_CHECKING:
    from ..settings import DocumentsSettings

__all__ = ["PREFIX", "S3Store"]

PREFIX = "documents/"
T = TypeVar("T")
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})
_UNREACHABLE = (
    botocore.exceptions.EndpointConnectionError,
    botocore.exceptions.ConnectTimeoutError,
    botocore.exceptions.ReadTimeoutError,
    botocore.exceptions.ConnectionClosedError,
)


class S3Store:
    def __init__(self, client: Any, bucket: str, *, chunk_size: int) -> None:
        self.client = client
        self.bucket = bucket
        self._chunk_size = chunk_size

    @classmethod
    def from_settings(cls, settings: DocumentsSettings, *, chunk_size: int) -> S3Store:
        """A client for ``S3_ENDPOINT_URL`` / ``AWS_*``; empty credentials: boto3's own chain (an IAM role)."""
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.aws_region or None,
            aws_access_key_id=settings.aws_access_key_id or None,
            aws_secret_access_key=settings.aws_secret_access_key or None,
            config=botocore.config.Config(
                max_pool_connections=32,
                connect_timeout=5,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
            ),
        )
        return cls(client, settings.s3_bucket, chunk_size=chunk_size)

    async def put(self, key: str, data: Data, *, content_type: str) -> None:
        await _call(self.client.put_object, Bucket=self.bucket, Key=PREFIX + key, Body=data, ContentType=content_type)

    async def get(self, key: str) -> bytes:
        body = (await self._get_object(key))["Body"]
        try:
            data: bytes = await _call(body.read)
        finally:
            body.close()
        return data

    async def open(self, key: str) -> AsyncIterator[bytes]:
        return self._chunks((await self._get_object(key))["Body"])

    async def _get_object(self, key: str) -> dict[str, Any]:
        try:
            found: dict[str, Any] = await _call(self.client.get_object, Bucket=self.bucket, Key=PREFIX + key)
        except botocore.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise ObjectMissingError(key) from None
            raise
        return found

    async def _chunks(self, body: Any) -> AsyncIterator[bytes]:
        try:
            while chunk := await _call(body.read, self._chunk_size):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await _call(self.client.delete_object, Bucket=self.bucket, Key=PREFIX + key)

    async def remove_stale_temporaries(self, cutoff: datetime) -> None:
        """Nothing to do: ``put_object`` is atomic, an unfinished one leaves no object."""


async def _call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function`` in a worker thread; an unreachable store is a 503, like a database outage."""
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except _UNREACHABLE:
        raise StoreUnavailableError() from None
