"""An installed wheel works away from the checkout: packs ship inside the package (``setup.py``
copies the top-level ``rules/`` and ``features/`` into ``engine/_shipped/``; ``engine.shipped``
finds them), and answers are the same as the checkout's, pack hashes included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOSSIER = ROOT / "examples" / "vn.nghe-an" / "don-dua-civil-servant-secretary.yaml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this checkout, unpacked into a folder of its own (no dependencies:
    they come from this environment)."""
    base = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(base / "dist")],
                           capture_output=True, text=True)
    if built.returncode != 0:
        pytest.skip(f"could not build the wheel here (pip needs setuptools and wheel from PyPI): {built.stderr[-300:]}")
    wheel = next((base / "dist").glob("kiemnhiem-*.whl"))
    target = base / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


def _run(args: list[str], cwd: Path, site: Path | None = None) -> str:
    env = dict(os.environ, PYTHONPATH=str(site)) if site is not None else dict(os.environ)
    env.pop("KIEMNHIEM_RULES", None)
    code = "import cli; cli.entry()"
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_wheel_answers_from_any_folder_like_the_checkout(installed, tmp_path) -> None:
    where = subprocess.run([sys.executable, "-c", "import engine.policy.loader as m; print(m.DEFAULT_RULES_DIR)"],
                           capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(installed)))
    assert where.stdout.strip() == str(installed / "engine" / "_shipped" / "rules")  # the wheel's own copy
    dossier = tmp_path / "d.yaml"
    dossier.write_bytes(DOSSIER.read_bytes())
    args = ["evaluate", str(dossier), "--pack", "vn.nghe-an", "--as-of", "2021-06-01", "--format", "json"]
    away = _run(args, tmp_path, installed)
    here = _run(args, ROOT)
    assert away == here
    listing = _run(["rules", "list"], tmp_path, installed)
    assert listing == _run(["rules", "list"], ROOT) and "vn.nghe-an" in listing
    assert (installed / "engine" / "_shipped" / "features" / "vn").is_dir()


def test_kiemnhiem_test_runs_from_the_wheel(installed, tmp_path) -> None:
    """The feature runner is in the package: the shipped features pass away from the checkout, and
    a failing scenario of a drafter's folder is reported at its file and line."""
    away = _run(["test"], tmp_path, installed)
    assert away.rstrip().endswith(" passed, 0 failed") and not away.startswith("0 passed")
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "x.feature").write_text(
        'Feature: x\n  Scenario: wrong fund\n    Given the rule pack "vn"\n    And the as-of date is 2024-07-01\n'
        '    And a hamlet:\n      | kind | village |\n      | households | 420 |\n      | area | none |\n'
        '    When the case is evaluated\n    Then the monthly fund is 1\n', encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(installed))
    env.pop("KIEMNHIEM_RULES", None)
    done = subprocess.run([sys.executable, "-c", "import cli; cli.entry()", "test", "--features", "f"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "f/x.feature:2  Scenario: wrong fund\n  step (line 10): Then the monthly fund is 1\n" in done.stdout
    assert "  monthly fund — expected: 1 · actual: 14040000" in done.stdout


def test_the_wheel_ships_the_published_schemas(installed, tmp_path) -> None:
    """``kiemnhiem schema`` reads the schema files shipped as package data."""
    for name in ("decision.v1.json", "batch-columns.v2.json"):
        shipped = installed / "engine" / "contract" / "schemas" / name
        assert shipped.is_file(), name
        assert shipped.read_bytes() == (ROOT / "engine" / "contract" / "schemas" / name).read_bytes()
    assert _run(["schema", "decision"], tmp_path, installed) == _run(["schema", "decision"], ROOT)
