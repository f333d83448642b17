"""What the launcher gives each process: its own key, the others' public keys, the registry's
environment, and the caller's overrides last."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deploy.local.stack import Stack, StackConfig
from services.kernel import load_settings
from services.kernel.auth import parse_key_list
from services.kernel.registry import GATEWAY, SERVICE_NAMES
from services.registry.settings import RegistrySettings
from services.staffing.protection import Protector


def stack_in(data_dir: Path, **options: object) -> Stack:
    config = StackConfig(data_dir=data_dir, database_url="postgresql://db/x", nats_url="nats://n:1", **options)  # type: ignore[arg-type]
    return Stack(config)


def test_every_process_signs_with_its_own_key_and_knows_the_others(tmp_path: Path) -> None:
    stack = stack_in(tmp_path)
    envs = {name: stack._env_for(name, 1) for name in (*SERVICE_NAMES, GATEWAY.name)}

    private_keys = {env["INTERNAL_TOKEN_PRIVATE_KEY"] for env in envs.values()}
    assert len(private_keys) == len(envs)
    assert len({env["INTERNAL_TOKEN_PUBLIC_KEY"] for env in envs.values()}) == 1
    assert set(parse_key_list(envs["identity"]["SERVICE_TOKEN_PUBLIC_KEYS"])) == set(SERVICE_NAMES)
    assert (tmp_path / "keys.json").stat().st_mode & 0o777 == 0o600
    assert stack_in(tmp_path)._env_for("identity", 1) == envs["identity"]  # kept across runs


def test_configured_gateway_keys_are_used(tmp_path: Path) -> None:
    env = stack_in(tmp_path, token_keys=("priv", "pub"))._env_for(GATEWAY.name, 1)

    assert (env["INTERNAL_TOKEN_PRIVATE_KEY"], env["INTERNAL_TOKEN_PUBLIC_KEY"]) == ("priv", "pub")


def test_documents_gets_its_store_and_malloc_arenas(tmp_path: Path) -> None:
    env = stack_in(tmp_path)._env_for("documents", 8106)

    assert env["DOCUMENTS_DIR"] == str(tmp_path / "documents")
    assert env["MALLOC_ARENA_MAX"] == "2"
    assert "MALLOC_ARENA_MAX" not in stack_in(tmp_path)._env_for("identity", 8101)
    assert env["STAFFING_URL"].startswith("http://127.0.0.1:")


def test_staffing_alone_gets_its_own_generated_keys_kept_across_runs(tmp_path: Path) -> None:
    env = stack_in(tmp_path)._env_for("staffing", 8104)

    data_key, hash_key = env["STAFFING_DATA_KEY"], env["STAFFING_HASH_KEY"]
    assert Protector(data_key, hash_key).open_text(Protector(data_key, hash_key).seal_text("x")) == "x"
    assert data_key != hash_key
    assert stack_in(tmp_path)._env_for("staffing", 8104)["STAFFING_DATA_KEY"] == data_key  # kept across runs
    assert stack_in(tmp_path)._env_for("gateway", 1)["INTERNAL_TOKEN_PUBLIC_KEY"]  # the token keys survive
    for other in (*SERVICE_NAMES, GATEWAY.name):
        if other != "staffing":
            assert "STAFFING_DATA_KEY" not in stack_in(tmp_path)._env_for(other, 1)
    assert (tmp_path / "keys.json").stat().st_mode & 0o777 == 0o600


def test_the_registry_links_to_the_gateways_public_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The QR code of every 电子证书 carries REGISTRY_PUBLIC_BASE_URL: the launcher sets it from the
    gateway's port (or the configured public address), and no other process gets it."""
    monkeypatch.setattr("deploy.local.stack.ensure_hsm", lambda _: {})  # the token is provisioning's test
    env = stack_in(tmp_path, gateway_port=18123)._env_for("registry", 1)
    assert env["REGISTRY_PUBLIC_BASE_URL"] == "http://127.0.0.1:18123"
    assert env["REGISTRY_PUBLIC_BASE_URL"] == env["GATEWAY_URL"]  # the gateway's own address here
    behind = stack_in(tmp_path, public_url="https://chxz.example.cn/")._env_for("registry", 1)
    assert behind["REGISTRY_PUBLIC_BASE_URL"] == "https://chxz.example.cn"
    for other in (*SERVICE_NAMES, GATEWAY.name):
        if other != "registry":
            assert "REGISTRY_PUBLIC_BASE_URL" not in stack_in(tmp_path)._env_for(other, 1)


def test_without_the_variable_the_registry_links_to_the_gateway_not_a_made_up_port() -> None:
    settings = load_settings(RegistrySettings, {"GATEWAY_URL": "http://10.0.0.5:9000/"})
    assert settings.public_base_url == "http://10.0.0.5:9000"
    assert load_settings(RegistrySettings, {}).public_base_url == f"http://127.0.0.1:{GATEWAY.port}"
    given = load_settings(RegistrySettings, {"REGISTRY_PUBLIC_BASE_URL": "https://chxz.example.cn/"})
    assert given.public_base_url == "https://chxz.example.cn"


def test_the_manifests_give_the_registry_the_portals_public_address_and_the_root() -> None:
    base = Path(__file__).resolve().parents[3] / "deploy" / "k8s" / "base"
    documents = [
        doc for name in ("services.yaml", "portal.yaml") for doc in yaml.safe_load_all((base / name).read_text())
    ]
    assert "portal.yaml" in yaml.safe_load((base / "kustomization.yaml").read_text())["resources"]
    [registry] = [d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "registry"]
    env = {item["name"]: item for item in registry["spec"]["template"]["spec"]["containers"][0]["env"]}
    reference = env["REGISTRY_PUBLIC_BASE_URL"]["valueFrom"]["configMapKeyRef"]
    [portal] = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"] == reference["name"]]
    assert portal["data"][reference["key"]].startswith("https://")
    assert env["HSM_ROOT_CERT"]["valueFrom"]["configMapKeyRef"] == {"name": "qual-hsm", "key": "root-cert"}
