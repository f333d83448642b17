"""The registry's leaves of the kernel DomainError tree, each with a dotted code and a Chinese message.

InvalidInputError (400)                                    details.field names the parameter
 ├── InvalidFilterError          registry.invalid_filter          a register filter that cannot be read
 └── InvalidPdfError             registry.invalid_pdf             the upload is no PDF (or no file at all)
NotFoundError (404)                                        also for whoever may not read it
 └── CertificateNotFoundError    registry.certificate_not_found   "未查询到该证书", unknown or malformed alike
DomainError (413)
 └── PdfTooLargeError            registry.pdf_too_large
ServiceUnavailableError (503)
 ├── PdfNotReadyError            registry.pdf_not_ready           the signed 电子证书 is not made yet (or no HSM)
 └── TrustNotAvailableError      registry.trust_not_available     no signing certificates configured (no HSM)
Exception (not a DomainError: the inbox retries it)
 └── ApprovalNotApplicableError  an approval the register cannot apply (an unknown certificate type)
"""

from __future__ import annotations

from typing import Any

from services.kernel import DomainError, InvalidInputError, NotFoundError, ServiceUnavailableError

__all__ = [
    "ApprovalNotApplicableError",
    "CertificateNotFoundError",
    "InvalidFilterError",
    "InvalidPdfError",
    "PdfNotReadyError",
    "PdfTooLargeError",
    "TrustNotAvailableError",
]

NOT_FOUND_MESSAGE = "未查询到该证书"


class CertificateNotFoundError(NotFoundError):
    """The same calm answer for an unknown number, a malformed one, and one the caller may not read."""

    code = "registry.certificate_not_found"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(NOT_FOUND_MESSAGE, **kwargs)


class InvalidFilterError(InvalidInputError):
    code = "registry.invalid_filter"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem, details=[{"field": f"$.{field}", "problem": problem}])


class InvalidPdfError(InvalidInputError):
    code = "registry.invalid_pdf"

    def __init__(self, problem: str = "请上传电子证书PDF文件") -> None:
        super().__init__(problem, details=[{"field": "$.file", "problem": problem}])


class PdfTooLargeError(DomainError):
    status_code = 413
    code = "registry.pdf_too_large"

    def __init__(self, limit: int) -> None:
        message = f"电子证书文件不能超过{limit / (1 << 20):g}MB"
        super().__init__(message, details=[{"field": "$.file", "problem": message, "max_bytes": limit}])


class PdfNotReadyError(ServiceUnavailableError):
    code = "registry.pdf_not_ready"

    def __init__(self) -> None:
        super().__init__("电子证书正在生成，请稍后再试")


class TrustNotAvailableError(ServiceUnavailableError):
    code = "registry.trust_not_available"

    def __init__(self) -> None:
        super().__init__("电子签章证书暂不可用，请稍后再试")


class ApprovalNotApplicableError(Exception):
    """An approval naming what the register cannot issue: retried by the inbox, then dead-lettered."""
