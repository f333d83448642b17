"""free_port(): free ports below the ephemeral range, so a restarted server can bind its port again."""

from __future__ import annotations

import random
import socket
from pathlib import Path

from deploy.local.components import DEFAULT_EPHEMERAL_RANGE, LOWEST_FREE_PORT, ephemeral_port_range, free_port


def range_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ip_local_port_range"
    path.write_text(text)
    return path


def test_the_range_is_read_as_the_kernel_writes_it(tmp_path: Path) -> None:
    assert ephemeral_port_range(range_file(tmp_path, "32768\t60999\n")) == (32768, 60999)
    assert ephemeral_port_range(range_file(tmp_path, "40000 50000")) == (40000, 50000)


def test_a_missing_or_garbled_range_file_means_the_linux_default(tmp_path: Path) -> None:
    assert DEFAULT_EPHEMERAL_RANGE == (32768, 60999)
    assert ephemeral_port_range(tmp_path / "absent") == DEFAULT_EPHEMERAL_RANGE
    assert ephemeral_port_range(range_file(tmp_path, "")) == DEFAULT_EPHEMERAL_RANGE
    assert ephemeral_port_range(range_file(tmp_path, "32768")) == DEFAULT_EPHEMERAL_RANGE
    assert ephemeral_port_range(range_file(tmp_path, "low high")) == DEFAULT_EPHEMERAL_RANGE


def test_ports_are_below_the_ephemeral_range_distinct_and_bindable(tmp_path: Path) -> None:
    path = range_file(tmp_path, "30000\t60999\n")
    ports = [free_port(range_file=path) for _ in range(50)]
    assert all(LOWEST_FREE_PORT <= port < 30000 for port in ports)
    assert len(set(ports)) == len(ports)
    for port in ports[:5]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_this_machines_range_is_honoured() -> None:
    low, _ = ephemeral_port_range()
    assert LOWEST_FREE_PORT <= free_port() < low


def test_a_port_in_use_is_skipped(tmp_path: Path) -> None:
    path = range_file(tmp_path, "32768 60999")
    taken = random.Random(11).randint(LOWEST_FREE_PORT, 32767)  # the first port free_port will try
    with socket.socket() as listener:
        try:
            listener.bind(("127.0.0.1", taken))
            listener.listen()
        except OSError:  # already taken by someone else: just as good
            pass
        port = free_port(range_file=path, rng=random.Random(11))
    assert port != taken
    assert LOWEST_FREE_PORT <= port < 32768


def test_with_no_room_below_the_range_the_kernel_chooses(tmp_path: Path) -> None:
    port = free_port(range_file=range_file(tmp_path, "1024 65535"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
