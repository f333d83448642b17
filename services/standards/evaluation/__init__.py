"""The evaluation engine (资质标准核验): pure functions from a unit's facts to explained verdicts."""

from __future__ import annotations

from services.standards.evaluation.compiled import CompiledStandard, compile_standard
from services.standards.evaluation.engine import evaluate, evaluate_with

__all__ = ["CompiledStandard", "compile_standard", "evaluate", "evaluate_with"]
