"""GET /readyz aggregates the gateway's database and every upstream's /readyz."""

from __future__ import annotations

from services.kernel.registry import SERVICE_NAMES


async def test_ready_when_every_upstream_is_ready(launch, echo) -> None:
    gateway = await launch(**dict.fromkeys(SERVICE_NAMES, echo))
    async with gateway.client() as client:
        response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "services": dict.fromkeys(SERVICE_NAMES, "ready"),
        "checks": {"database": "ready"},
    }


async def test_degraded_when_one_upstream_is_down_or_not_ready(launch, echo, unready_echo) -> None:
    urls = dict.fromkeys(SERVICE_NAMES, echo)
    del urls["documents"]  # nothing listens there
    urls["standards"] = unready_echo
    gateway = await launch(**urls)
    async with gateway.client() as client:
        response = await client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["services"] == {
        "identity": "ready",
        "applications": "ready",
        "registry": "ready",
        "staffing": "ready",
        "standards": "degraded",
        "documents": "down",
    }
    assert body["checks"] == {"database": "ready"}


async def test_a_hanging_upstream_counts_as_down_within_the_timeout(launch, echo, hanging_echo) -> None:
    urls = dict.fromkeys(SERVICE_NAMES, echo)
    urls["registry"] = hanging_echo
    gateway = await launch(**urls, readiness_timeout=0.3)
    async with gateway.client() as client:
        response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["services"]["registry"] == "down"
    assert response.json()["services"]["identity"] == "ready"
