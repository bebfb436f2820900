"""`make setup` installs the system packages the tests need (scripts/system-packages.sh), or says
how: run against a fake system (its own /usr/bin, /usr/sbin) with a fake ``id`` and ``apt-get``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.servers import ROOT

SCRIPT = ROOT / "scripts" / "system-packages.sh"
# The fake apt-get records its arguments and "installs" a package by creating its executable.
FAKE_APT_GET = """#!/bin/bash
echo "$*" >> "$SPRO_SYSTEM_ROOT/apt-get.log"
[ "$1" = install ] || exit 0
for package in "$@"; do
  case "$package" in
    chromium) /usr/bin/install -m 755 /dev/null "$SPRO_SYSTEM_ROOT/usr/bin/chromium";;
    nginx) /usr/bin/install -m 755 /dev/null "$SPRO_SYSTEM_ROOT/usr/sbin/nginx";;
  esac
done
"""


def fake_system(tmp_path: Path, *, uid: int, apt_get: bool = True, installed: tuple[str, ...] = ()) -> Path:
    system = tmp_path / "system"
    for directory in ("usr/bin", "usr/sbin", "tools"):
        (system / directory).mkdir(parents=True)
    for path in installed:
        (system / path).touch(mode=0o755)
    tools = {"id": f"#!/bin/bash\necho {uid}\n", **({"apt-get": FAKE_APT_GET} if apt_get else {})}
    for name, text in tools.items():
        (system / "tools" / name).write_text(text)
        (system / "tools" / name).chmod(0o755)
    return system


def run(system: Path) -> subprocess.CompletedProcess[str]:
    """The script with only the fake tools on its PATH (it needs nothing else besides bash)."""
    env = {"PATH": str(system / "tools"), "SPRO_SYSTEM_ROOT": str(system)}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)


def apt_get_calls(system: Path) -> list[str]:
    log = system / "apt-get.log"
    return log.read_text().splitlines() if log.exists() else []


def test_nothing_missing_installs_nothing(tmp_path: Path) -> None:
    system = fake_system(tmp_path, uid=0, installed=("usr/bin/chromium", "usr/sbin/nginx"))
    result = run(system)
    assert result.returncode == 0, result.stderr
    assert apt_get_calls(system) == []


def test_as_root_with_apt_get_the_missing_packages_are_installed(tmp_path: Path) -> None:
    system = fake_system(tmp_path, uid=0)
    result = run(system)
    assert result.returncode == 0, result.stderr
    assert apt_get_calls(system) == ["update -qq", "install -y -qq chromium nginx"]
    assert (system / "usr/bin/chromium").exists() and (system / "usr/sbin/nginx").exists()


def test_only_what_is_missing_is_installed(tmp_path: Path) -> None:
    system = fake_system(tmp_path, uid=0, installed=("usr/bin/chromium",))
    assert run(system).returncode == 0
    assert apt_get_calls(system)[-1] == "install -y -qq nginx"


def test_not_root_prints_the_one_command_and_stops(tmp_path: Path) -> None:
    system = fake_system(tmp_path, uid=1000)
    result = run(system)
    assert result.returncode != 0
    assert apt_get_calls(system) == []
    assert "sudo sh -c 'apt-get update && apt-get install -y chromium nginx'" in result.stderr
    assert "Il manque des paquets système pour les tests : chromium nginx." in result.stderr
    assert "Missing system packages for the tests: chromium nginx." in result.stderr


def test_root_without_apt_get_prints_the_command_and_stops(tmp_path: Path) -> None:
    system = fake_system(tmp_path, uid=0, apt_get=False)
    result = run(system)
    assert result.returncode != 0
    assert "apt-get install -y chromium nginx" in result.stderr


def test_a_failed_installation_stops_setup(tmp_path: Path) -> None:
    system = fake_system(tmp_path, uid=0)
    (system / "tools" / "apt-get").write_text("#!/bin/bash\nexit 100\n")
    result = run(system)
    assert result.returncode != 0
    assert "L'installation de « chromium nginx » a échoué" in result.stderr
