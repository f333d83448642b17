"""OpenTelemetry: traces and metrics, trace context in HTTP and NATS headers, JSON log lines.

The exporter is chosen by the standard ``OTEL_TRACES_EXPORTER`` / ``OTEL_METRICS_EXPORTER``
variables (``none`` by default; ``otlp`` or ``console``); the OTLP exporter reads its endpoint
from the standard ``OTEL_EXPORTER_OTLP_*`` variables itself.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

from opentelemetry import context, metrics, propagate, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, Decision, ParentBased, Sampler, SamplingResult

from .settings import SettingsError

__all__ = [
    "JsonLogFormatter",
    "RecordWhenExported",
    "extract_context",
    "inject_headers",
    "instruments",
    "setup_logging",
    "setup_telemetry",
    "tracer",
]

_configured = False


def tracer(name: str = "qual") -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Write the current trace context (``traceparent``) into ``headers`` and return them."""
    propagate.inject(headers)
    return headers


def extract_context(headers: Mapping[str, str] | None) -> context.Context:
    return propagate.extract(dict(headers or {}))


_EXPORTERS = ("none", "otlp", "console")


def _exporter_choice(variable: str, given: str | None) -> str:
    """``given``, else the standard ``OTEL_*_EXPORTER`` variable (``none`` when unset)."""
    choice = (given if given is not None else os.environ.get(variable, "none")).strip().lower() or "none"
    if choice not in _EXPORTERS:
        raise SettingsError(f"{variable}: expected one of {', '.join(_EXPORTERS)}, got {choice!r}")
    return choice


def _span_exporter(name: str) -> SpanExporter | None:
    if name == "console":
        return ConsoleSpanExporter(out=sys.stderr)
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    return None


def _metric_readers(name: str) -> list[MetricReader]:
    if name == "console":
        return [PeriodicExportingMetricReader(ConsoleMetricExporter(out=sys.stderr))]
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        return [PeriodicExportingMetricReader(OTLPMetricExporter())]
    return []


class RecordWhenExported(Sampler):
    """Spans are recorded only while something exports them (``ParentBased(ALWAYS_ON)`` then).

    With no exporter (the embedded default) a recorded span is built and thrown away: ~13 µs of CPU
    per span, two spans per request in the gateway and one in each service (measured). Dropped spans
    still carry trace and span ids, so the trace context still propagates and log lines keep their
    ``trace_id``. ``setup_telemetry`` sets ``exporting`` when it adds a span processor; a standard
    ``OTEL_TRACES_SAMPLER`` variable replaces this sampler altogether.
    """

    def __init__(self) -> None:
        self.exporting = False
        self._recording = ParentBased(ALWAYS_ON)

    def should_sample(
        self,
        parent_context: context.Context | None,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Any = None,
        links: Any = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        if self.exporting:
            return self._recording.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)
        parent = trace.get_current_span(parent_context).get_span_context()
        return SamplingResult(Decision.DROP, None, parent.trace_state if parent.is_valid else None)

    def get_description(self) -> str:
        return "RecordWhenExported"


_SAMPLER = RecordWhenExported()


def setup_telemetry(
    service_name: str,
    *,
    traces_exporter: str | None = None,
    metrics_exporter: str | None = None,
    span_exporter: SpanExporter | None = None,
    metric_reader: MetricReader | None = None,
) -> None:
    """Install the tracer and meter providers once per process; later calls only add span exporters.

    The exporters default to the standard ``OTEL_TRACES_EXPORTER`` / ``OTEL_METRICS_EXPORTER``
    variables (``none``, ``otlp`` or ``console``); an unknown value fails naming the variable.
    ``metric_reader`` is taken only by the first call (a meter provider's readers are fixed).
    """
    global _configured
    provider = trace.get_tracer_provider()
    if not _configured:
        traces = _exporter_choice("OTEL_TRACES_EXPORTER", traces_exporter)
        readers = _metric_readers(_exporter_choice("OTEL_METRICS_EXPORTER", metrics_exporter))
        resource = Resource.create({"service.name": service_name})
        # the standard variable, read by the SDK when no sampler is given, else record when exported
        sampler = None if os.environ.get("OTEL_TRACES_SAMPLER") else _SAMPLER
        provider = TracerProvider(resource=resource, sampler=sampler)
        trace.set_tracer_provider(provider)
        if metric_reader is not None:
            readers.append(metric_reader)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
        exporter = _span_exporter(traces)
        if exporter is not None and isinstance(provider, TracerProvider):
            provider.add_span_processor(BatchSpanProcessor(exporter))
            _SAMPLER.exporting = True
        _configured = True
    if span_exporter is not None and isinstance(provider, TracerProvider):
        provider.add_span_processor(SimpleSpanProcessor(span_exporter))
        _SAMPLER.exporting = True


class Instruments:
    """The platform's metrics, created once on the global meter (bound when the provider is set).

    - ``http.server.request.duration`` (s): every request a service or the gateway served, by
      method and status code;
    - ``qual.outbox.published`` / ``qual.outbox.publish_failures``: events the relay published or
      failed to publish (retried later);
    - ``qual.inbox.handled`` / ``qual.inbox.dead_lettered``: events a consumer applied (or found
      applied before: a redelivery) or gave up on, by consumer.
    """

    def __init__(self) -> None:
        meter = metrics.get_meter("qual")
        self.request_duration = meter.create_histogram(
            "http.server.request.duration", unit="s", description="Duration of HTTP requests served"
        )
        self.published = meter.create_counter("qual.outbox.published", description="Events published")
        self.publish_failures = meter.create_counter(
            "qual.outbox.publish_failures", description="Events whose publish failed and will be retried"
        )
        self.handled = meter.create_counter("qual.inbox.handled", description="Events applied by a consumer")
        self.dead_lettered = meter.create_counter(
            "qual.inbox.dead_lettered", description="Events a consumer gave up on (sent to the dead-letter subject)"
        )


instruments = Instruments()


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line with the active trace and span ids."""

    def __init__(self, service_name: str) -> None:
        super().__init__()
        self._service = service_name

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            line["trace_id"] = format(span_context.trace_id, "032x")
            line["span_id"] = format(span_context.span_id, "016x")
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup_logging(service_name: str, *, level: str = "INFO", json_lines: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonLogFormatter(service_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
