"""``python -m services.standards``: serve (no arguments, or ``serve``) or ``evaluate FILE|-``.

``evaluate`` prints the JSON ``POST /evaluate`` returns; bad input prints the error body
(``{"code", "message", "details"}``) on stderr and exits with status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import msgspec

from contracts.errors import ErrorBody, FieldProblem
from contracts.standards.api import EvaluateRequest
from services.kernel import DomainError, load_settings
from services.standards.catalog import Catalog
from services.standards.evaluation import evaluate
from services.standards.settings import StandardsSettings, data_dir

__all__ = ["main"]

USAGE = "usage: python -m services.standards [serve | evaluate FILE|-]\n"
_decoder = msgspec.json.Decoder(EvaluateRequest)
_encoder = msgspec.json.Encoder()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args == ["serve"]:
        from services.standards.app import SPEC

        SPEC.main()
        return 0
    settings = load_settings(StandardsSettings)
    if len(args) == 2 and args[0] == "evaluate":
        return evaluate_file(args[1], settings)
    sys.stderr.write(USAGE)
    return 2


def evaluate_file(name: str, settings: StandardsSettings) -> int:
    """Evaluate the request in ``name`` (``-`` for stdin) and print the verdict as JSON."""
    raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    catalog = Catalog.from_dir(data_dir(settings))
    try:
        result = evaluate(catalog, _decoder.decode(raw))
    except msgspec.DecodeError as exc:
        return _refuse(_invalid(str(exc)))
    except DomainError as exc:
        return _refuse(ErrorBody(code=exc.code, message=exc.message, details=exc.details))
    sys.stdout.buffer.write(_encoder.encode(result) + b"\n")
    return 0


def _invalid(text: str) -> ErrorBody:
    problem, _, path = text.partition(" - at `")
    field = path.rstrip("`")
    message = f"输入有误：{field} {problem}" if field else f"输入有误：{problem}"
    return ErrorBody(code="invalid_input", message=message, details=[FieldProblem(field=field, problem=problem)])


def _refuse(body: ErrorBody) -> int:
    sys.stderr.buffer.write(_encoder.encode(body) + b"\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
