"""Telemetry: JSON log lines with trace ids, exporters chosen by the standard OTEL_* variables."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from services.kernel.telemetry import JsonLogFormatter, tracer

REPO = Path(__file__).resolve().parents[3]


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("qual.test", logging.INFO, __file__, 1, message, None, None)


def test_a_log_line_inside_a_span_carries_its_trace_and_span_ids() -> None:
    formatter = JsonLogFormatter("identity")
    with tracer().start_as_current_span("work") as span:
        line = json.loads(formatter.format(_record("单位注册成功")))
        context = span.get_span_context()
    assert line["service"] == "identity"
    assert line["message"] == "单位注册成功"
    assert line["trace_id"] == format(context.trace_id, "032x")
    assert line["span_id"] == format(context.span_id, "016x")
    outside = json.loads(formatter.format(_record("idle")))
    assert "trace_id" not in outside


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("OTEL_")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env={**environ, **env}, capture_output=True, text=True, timeout=60
    )


def test_otel_traces_exporter_console_prints_the_spans() -> None:
    code = (
        "from services.kernel.telemetry import setup_telemetry, tracer\n"
        "from opentelemetry import trace\n"
        "setup_telemetry('identity')\n"
        "with tracer().start_as_current_span('注册'):\n    pass\n"
        "trace.get_tracer_provider().shutdown()\n"
    )
    done = _python(code, OTEL_TRACES_EXPORTER="console")
    assert done.returncode == 0, done.stderr
    assert '"name": "\\u6ce8\\u518c"' in done.stderr or '"name": "注册"' in done.stderr
    assert _python(code).stderr == ""  # none by default


def test_an_unknown_exporter_fails_naming_the_variable() -> None:
    done = _python(
        "from services.kernel.telemetry import setup_telemetry\nsetup_telemetry('identity')\n",
        OTEL_METRICS_EXPORTER="prometheus",
    )
    assert done.returncode != 0
    assert "OTEL_METRICS_EXPORTER" in done.stderr


def test_without_an_exporter_spans_are_not_recorded_but_the_trace_context_still_flows() -> None:
    code = (
        "from services.kernel.telemetry import setup_telemetry, tracer, inject_headers\n"
        "setup_telemetry('identity')\n"
        "with tracer().start_as_current_span('查验') as span:\n"
        "    headers = inject_headers({})\n"
        "    print(span.is_recording(), span.get_span_context().is_valid, headers['traceparent'][:3])\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "00-"]  # nobody exports: nothing recorded, ids kept

    exported = _python(code, OTEL_TRACES_EXPORTER="console")
    assert exported.stdout.split()[0] == "True"


def test_the_standard_sampler_variable_is_obeyed() -> None:
    code = (
        "from services.kernel.telemetry import setup_telemetry, tracer\n"
        "setup_telemetry('identity')\n"
        "with tracer().start_as_current_span('查验') as span:\n"
        "    print(span.is_recording())\n"
    )
    done = _python(code, OTEL_TRACES_EXPORTER="console", OTEL_TRACES_SAMPLER="always_off")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]
