"""Early answers: a service that answers a request before reading its whole body (a 413 or 415
decided from the headers or the first bytes of an upload) gets its answer to the client, and the
connection it leaves behind never goes back to the pool.

Two things go wrong with aiohttp's client (and asyncio) without this, both seen as a 502 for an
upload the service had refused:

* **The answer is lost when a write fails.** The service answers and closes the connection (its
  socket still holds unread body bytes, so its kernel resets the connection). The gateway is still
  writing the body; the next write fails, and asyncio's transport then closes the socket without
  reading what had already arrived in it: the answer. ``_Protocol`` reads what is left in the socket
  before the failure is reported, so the answer is parsed first and the failure only ends the body.
* **A refused request's connection is reused.** When the whole body fitted into the socket buffers,
  aiohttp sees a complete exchange and pools the connection, but the service (granian) may close
  it without a ``Connection: close``; the next request on it — an upload, which is never retried —
  fails. A connection whose exchange ended in an error answer (status ≥ 400) is closed instead.

Both hook aiohttp's connection protocol (``client_proto.ResponseHandler``, installed through the
connector's protocol factory); ``tests/integration/gateway/test_gateway_uploads.py`` pins them.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import aiohttp
from aiohttp.client_proto import ResponseHandler

__all__ = ["EarlyAnswerConnector"]

ANSWER_READ_LIMIT = 64 * 1024
"""The most bytes read from a failed connection: an early answer is a short error body."""


class _Protocol(ResponseHandler):
    """aiohttp's response handler that reads an answer already received before giving up, and
    never lets a connection that carried an error answer be pooled."""

    def __init__(self, loop: Any) -> None:
        super().__init__(loop)
        self._refused = False
        self._read_last = False

    @property
    def should_close(self) -> bool:
        return self._refused or super().should_close

    def feed_data(self, data: Any, size: int = 0) -> None:
        message = data[0]
        self._refused = self._refused or getattr(message, "code", 0) >= 400
        super().feed_data(data, size)

    def set_exception(self, exc: BaseException, *args: Any, **kwargs: Any) -> None:
        self._read_what_arrived()
        super().set_exception(exc, *args, **kwargs)

    def connection_lost(self, exc: BaseException | None) -> None:
        if exc is not None:
            self._read_what_arrived()
        super().connection_lost(exc)

    def _read_what_arrived(self) -> None:
        """Feed the parser what the socket still holds (the socket is open until connection_lost
        returns), once: stops at the end of what arrived, a reset, or ANSWER_READ_LIMIT."""
        transport = self.transport
        if self._read_last or transport is None or transport.get_extra_info("sslcontext") is not None:
            return
        self._read_last = True  # a failure while parsing it must not read again
        sock = transport.get_extra_info("socket")
        fd = sock.fileno() if sock is not None else -1
        budget = ANSWER_READ_LIMIT
        while fd >= 0 and budget > 0:
            try:
                data = os.read(fd, budget)
            except OSError:  # nothing more for now (the socket is non-blocking), or the reset itself
                return
            if not data:
                return
            budget -= len(data)
            self.data_received(data)


class EarlyAnswerConnector(aiohttp.TCPConnector):
    """aiohttp's pooled TCP connector whose connections use ``_Protocol``."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._factory = functools.partial(_Protocol, loop=self._loop)  # type: ignore[assignment]
