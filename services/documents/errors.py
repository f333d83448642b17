"""Documents' leaves of the kernel DomainError tree, each with a code and a Chinese message.

InvalidInputError (400)
 ├── InvalidUploadError          invalid_upload            not multipart/form-data, or malformed
 ├── MissingFileError            missing_file              $.file: no file part
 ├── MultipleFilesError          multiple_files            $.file: more than one file part
 ├── EmptyFileError              empty_file                $.file: 0 bytes
 └── InvalidPurposeError         invalid_purpose           $.purpose: missing or not one of the 20
DomainError (413)
 ├── FileTooLargeError           file_too_large            $.file: over DOCUMENTS_MAX_BYTES
 └── QuotaExceededError          quota_exceeded            the unit's stored bytes would pass its quota
DomainError (415)
 ├── UnsupportedTypeError        unsupported_type          $.file: not jpg, png or pdf by its bytes
 └── ContentMismatchError        content_mismatch          $.file: extension or part type ≠ the bytes
DomainError (422)                                          $.file, each
 ├── CorruptFileError            corrupt_file              truncated, corrupt, unparsable
 ├── DecompressionBombError      decompression_bomb        more pixels than DOCUMENTS_MAX_PIXELS
 ├── PolyglotError               polyglot                  data after the image's end / the PDF's %%EOF
 └── UnsafePdfError              unsafe_pdf                encrypted, JavaScript, launch action, embedded files
ForbiddenError (403)               the kernel's guards (unit_only, service_only)
NotFoundError (404)
 └── DocumentNotFoundError       document_not_found        also for whoever may not read it
ConflictError (409)
 ├── DocumentFrozenError         document_frozen           deleting a frozen document
 ├── DocumentsNotFreezableError  documents_not_freezable   details.document_ids: missing, deleted or another unit's
 └── FreezeMismatchError         freeze_mismatch           the same application revision froze other documents
"""

from __future__ import annotations

import enum

from services.kernel import ConflictError, DomainError, InvalidInputError, NotFoundError

FILE = "$.file"
PURPOSE = "$.purpose"


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):g}MB"


class InvalidUploadError(InvalidInputError):
    code = "invalid_upload"

    def __init__(self) -> None:
        super().__init__("上传的数据格式不正确，请以 multipart/form-data 表单重新上传")


class MissingFileError(InvalidInputError):
    code = "missing_file"

    def __init__(self) -> None:
        super().__init__("请选择要上传的文件", details={"field": FILE})


class MultipleFilesError(InvalidInputError):
    code = "multiple_files"

    def __init__(self) -> None:
        super().__init__("每次只能上传一个文件", details={"field": FILE})


class EmptyFileError(InvalidInputError):
    code = "empty_file"

    def __init__(self) -> None:
        super().__init__("文件内容为空（0字节），请重新选择文件", details={"field": FILE})


class InvalidPurposeError(InvalidInputError):
    code = "invalid_purpose"

    def __init__(self, *, missing: bool) -> None:
        message = "请选择材料类型" if missing else "材料类型不正确，请从列表中选择"
        super().__init__(message, details={"field": PURPOSE})


class FileTooLargeError(DomainError):
    status_code = 413
    code = "file_too_large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            f"单个文件大小不能超过{_megabytes(max_bytes)}", details={"field": FILE, "max_bytes": max_bytes}
        )


class QuotaExceededError(DomainError):
    status_code = 413
    code = "quota_exceeded"

    def __init__(self, quota_bytes: int) -> None:
        super().__init__(
            f"本单位的材料存储空间已满（上限{_megabytes(quota_bytes)}），请删除不再需要的材料后再上传",
            details={"field": FILE, "quota_bytes": quota_bytes},
        )


class UnsupportedTypeError(DomainError):
    status_code = 415
    code = "unsupported_type"

    def __init__(self) -> None:
        super().__init__("仅支持 jpg、png、pdf 格式的文件", details={"field": FILE})


class ContentMismatchError(DomainError):
    status_code = 415
    code = "content_mismatch"

    def __init__(self) -> None:
        super().__init__("文件内容与扩展名不符", details={"field": FILE})


class CorruptFileError(DomainError):
    status_code = 422
    code = "corrupt_file"

    def __init__(self) -> None:
        super().__init__("文件已损坏或不完整，无法打开，请重新扫描或导出后上传", details={"field": FILE})


class DecompressionBombError(DomainError):
    status_code = 422
    code = "decompression_bomb"

    def __init__(self, max_pixels: int) -> None:
        super().__init__(
            f"图片像素尺寸过大（超过{max_pixels // 10_000}万像素），请降低扫描分辨率后重新上传",
            details={"field": FILE, "max_pixels": max_pixels},
        )


class PolyglotError(DomainError):
    status_code = 422
    code = "polyglot"

    def __init__(self) -> None:
        super().__init__(
            "文件结尾附带了多余的数据（可能夹带了其他文件），请用扫描或导出软件重新生成后上传",
            details={"field": FILE},
        )


class PdfHazard(enum.Enum):
    """Why a PDF is refused although it parses."""

    ENCRYPTED = "encrypted"
    JAVASCRIPT = "javascript"
    LAUNCH = "launch"
    EMBEDDED_FILES = "embedded_files"


_PDF_MESSAGES = {
    PdfHazard.ENCRYPTED: "PDF文件已加密或设有密码，请取消密码保护后重新上传",
    PdfHazard.JAVASCRIPT: "PDF文件含有脚本（JavaScript），请用“打印为PDF”等方式重新生成后上传",
    PdfHazard.LAUNCH: "PDF文件含有启动外部程序的动作，请用“打印为PDF”等方式重新生成后上传",
    PdfHazard.EMBEDDED_FILES: "PDF文件内嵌了其他文件（附件），请删除附件或重新生成后上传",
}


class UnsafePdfError(DomainError):
    status_code = 422
    code = "unsafe_pdf"

    def __init__(self, hazard: PdfHazard) -> None:
        super().__init__(_PDF_MESSAGES[hazard], details={"field": FILE, "reason": hazard.value})


class DocumentNotFoundError(NotFoundError):
    code = "document_not_found"

    def __init__(self) -> None:
        super().__init__("材料不存在或已删除")


class DocumentFrozenError(ConflictError):
    code = "document_frozen"

    def __init__(self) -> None:
        super().__init__("该材料已随申请提交并冻结，不能删除")


class DocumentsNotFreezableError(ConflictError):
    code = "documents_not_freezable"

    def __init__(self, document_ids: list[str]) -> None:
        super().__init__(
            f"有{len(document_ids)}份材料不存在、已删除或不属于本单位，无法提交",
            details={"document_ids": document_ids},
        )


class FreezeMismatchError(ConflictError):
    code = "freeze_mismatch"

    def __init__(self) -> None:
        super().__init__("该申请的本次提交已冻结了另一组材料，请重新提交")
