"""One-way dependencies (issue 12): the import-linter contracts in pyproject.toml, run with the
suite so that a lower layer importing a higher one, the replica and the crawler importing each
other, or a cycle between the modules of a package fails the tests (``lint-imports`` prints the
same report by hand)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ("layers", "replica-apart", "crawler-without-replica", "acyclic")


def lint_imports(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A subprocess with the tree first on the path: import-linter reads the package it imports,
    # and prints the report worth reading when a contract breaks.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())", "--no-cache", *args],
        cwd=tree, env=env, capture_output=True, text=True, timeout=240,
    )


def test_every_import_runs_down_the_layers_and_the_replica_stands_apart() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path: Path) -> None:
    # The contracts on a copy of the package with one upward import added, the way it would
    # creep in: parsing (pages, at the bottom) reaching for the spider, inside a function.
    shutil.copytree(ROOT / "newscrawl", tmp_path / "newscrawl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    summary = tmp_path / "newscrawl" / "pages" / "summary.py"
    summary.write_text(summary.read_text(encoding="utf-8")
                       + "\n\ndef _upward() -> None:\n    from newscrawl.spiders import stats\n",
                       encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "newscrawl.pages is not allowed to import newscrawl.spiders" in result.stdout
    assert "newscrawl.pages.summary -> newscrawl.spiders.stats" in result.stdout


def test_every_package_of_newscrawl_has_a_layer() -> None:
    # A module in no layer is bound by no contract: a new one must be placed (or stand apart,
    # like the replica), or an upward import through it would pass unnoticed.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"]
                if c["id"] == "layers"]
    placed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    children = {f"newscrawl.{path.stem}" for path in (ROOT / "newscrawl").iterdir()
                if (path.suffix == ".py" and path.stem != "__init__")
                or (path / "__init__.py").is_file()}
    assert children - placed == {"newscrawl.replica"}
    assert placed <= children


def test_the_typed_config_loads_no_parsing_and_no_crawler() -> None:
    # The ``newscrawl run`` parent reads the config and never parses nor crawls: the config once
    # imported the "Others Also Read" learner (and lxml with it) for two default numbers.
    heavy = ("lxml", "parsel", "scrapy", "twisted", "newscrawl.others.learner")
    probe = ("import sys, newscrawl.config; "
             f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
