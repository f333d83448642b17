"""The one registry of the platform's processes: each service's name, port, and whom it calls.

The launcher (``make run``), the gateway (its upstreams and the audiences of the tokens it
mints), every service (where the others listen) and the tests read it; nothing else lists the
services or their ports. The embedded PostgreSQL and NATS ports live here too. Every port sits
below Linux's ephemeral range (32768–60999), so an outgoing connection can never hold it as its
local address when a server restarts; the embedded PostgreSQL and NATS ports are not the
standard ones (5432, 4222), so they never collide with a local server.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EMBEDDED_NATS_PORT",
    "EMBEDDED_PG_PORT",
    "GATEWAY",
    "PROCESSES",
    "SERVICES",
    "SERVICE_NAMES",
    "ServiceEntry",
    "audience_for",
    "entry",
]


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """One process: ``name`` (database ``qual_<name>``, stream ``QUAL_<NAME>``), its port, its
    ``python -m`` module, and the services it calls synchronously on behalf of its caller."""

    name: str
    port: int
    module: str
    calls: tuple[str, ...] = ()
    environment: tuple[tuple[str, str], ...] = ()
    """Process environment the launcher sets (the manifests set the same)."""
    secrets: tuple[str, ...] = ()
    """Environment variables holding keys of the service's own (32 random bytes, base64): the
    launcher generates each once into ``.data/keys.json``; deployments provide them as secrets."""
    hsm: bool = False
    """The service signs with a key in the HSM (PKCS#11): the launcher provisions a SoftHSM2 token
    on first start and passes its module, token label, PIN and certificates; deployments set them."""
    public_url: str = ""
    """The variable through which the service learns the portal's public address (the gateway's:
    the registry prints ``<it>/verify?number=…`` in the QR code of every 电子证书). The launcher sets
    it from the gateway's port; the manifests from the ``qual-portal`` ConfigMap."""

    @property
    def factory(self) -> str:
        """The ``module:function`` granian serves."""
        return f"{self.module}.app:create_app"


SERVICES: tuple[ServiceEntry, ...] = (
    ServiceEntry("identity", 8101, "services.identity"),
    ServiceEntry("applications", 8102, "services.applications", calls=("staffing", "documents", "standards")),
    ServiceEntry("registry", 8103, "services.registry", hsm=True, public_url="REGISTRY_PUBLIC_BASE_URL"),
    ServiceEntry(
        "staffing",
        8104,
        "services.staffing",
        calls=("standards", "documents"),
        secrets=("STAFFING_DATA_KEY", "STAFFING_HASH_KEY"),
    ),
    ServiceEntry("standards", 8105, "services.standards"),
    # Two malloc arenas: concurrent uploads are checked in threads, and each thread's first arena
    # would otherwise stay mapped (make bench: RSS growth of 16 concurrent 2 MB uploads).
    ServiceEntry("documents", 8106, "services.documents", environment=(("MALLOC_ARENA_MAX", "2"),)),
)
"""The six services, in start order."""

GATEWAY = ServiceEntry("gateway", 8080, "gateway", calls=tuple(service.name for service in SERVICES))
"""The portal and the ``/api`` router."""

PROCESSES: tuple[ServiceEntry, ...] = (*SERVICES, GATEWAY)
SERVICE_NAMES: tuple[str, ...] = tuple(service.name for service in SERVICES)

EMBEDDED_PG_PORT = 15432
EMBEDDED_NATS_PORT = 14222

_BY_NAME = {process.name: process for process in PROCESSES}


def entry(name: str) -> ServiceEntry:
    """The registry entry of ``name``; KeyError names the unknown process."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no process named {name!r} in the registry") from None


def audience_for(service: str) -> tuple[str, ...]:
    """Who accepts a token minted for a call to ``service``: the service itself and those it calls
    on the caller's behalf (so it can forward the caller's token to them, and to no one else)."""
    found = _BY_NAME.get(service)
    return (service, *found.calls) if found is not None else (service,)
