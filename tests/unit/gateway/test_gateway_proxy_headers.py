"""What the proxy forwards to a service and returns to the browser."""

from __future__ import annotations

from gateway.proxy import cookie_value, forwarded_request_headers, returned_response_headers


def test_identity_hop_by_hop_and_trace_headers_are_not_forwarded() -> None:
    raw = [
        (b"host", b"portal.example"),
        (b"accept", b"application/json"),
        (b"cookie", b"qual_session=abc"),
        (b"authorization", b"Bearer x"),
        (b"x-internal-token", b"forged"),
        (b"x-csrf-token", b"t"),
        (b"traceparent", b"00-aa-bb-01"),
        (b"x-forwarded-for", b"6.6.6.6"),
        (b"connection", b"keep-alive, X-Private"),
        (b"x-private", b"secret"),
        (b"transfer-encoding", b"chunked"),
        (b"content-type", b"application/json"),
        (b"X-Custom", b"kept"),
    ]

    assert forwarded_request_headers(raw) == [
        ("accept", "application/json"),
        ("content-type", "application/json"),
        ("X-Custom", "kept"),
    ]


def test_service_cookies_and_hop_by_hop_headers_are_not_returned() -> None:
    raw = [
        (b"Content-Type", b"application/json"),
        (b"Set-Cookie", b"evil=1"),
        (b"Connection", b"close"),
        (b"Transfer-Encoding", b"chunked"),
        (b"Content-Length", b"12"),
        (b"Server", b"granian"),
    ]

    assert returned_response_headers(raw) == [(b"content-type", b"application/json"), (b"content-length", b"12")]


def test_one_cookie_is_read_from_the_cookie_headers() -> None:
    raw = [(b"cookie", b"a=1; qual_session=xyz; b=2"), (b"cookie", b"qual_csrf=n")]

    assert cookie_value(raw, "qual_session") == "xyz"
    assert cookie_value(raw, "qual_csrf") == "n"
    assert cookie_value(raw, "absent") is None
    assert cookie_value([], "qual_session") is None
