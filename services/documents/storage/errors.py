"""What a store raises: an object that is not there, and a store that cannot be reached now."""

from __future__ import annotations

from services.kernel import ServiceUnavailableError

__all__ = ["ObjectMissingError", "StoreUnavailableError"]


class ObjectMissingError(LookupError):
    """No object under the key (a row whose bytes are gone is a defect, logged by the caller)."""


class StoreUnavailableError(ServiceUnavailableError):
    """The object store did not answer: 503 with ``Retry-After``, like a database outage."""

    code = "store_unavailable"

    def __init__(self) -> None:
        super().__init__("文件存储服务暂时不可用，请稍后再试")
