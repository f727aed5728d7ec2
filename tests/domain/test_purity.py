"""Pure domain modules import no Django and read no clock."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = [
    "coopsupport/thai.py",
    "loans/schedule.py",
    "loans/arrears.py",
    "loans/portfolio.py",
    "projects/finance.py",
    "projects/appraisal.py",
    "cooperatives/ratios.py",
    "cooperatives/rules.py",
    "reports/measures.py",
]
CLOCK_CALLS = {"today", "now", "utcnow"}


def _existing():
    return [m for m in PURE_MODULES if (ROOT / m).exists()]


@pytest.mark.parametrize("module", _existing())
def test_the_pure_module_imports_no_django(module):
    tree = ast.parse((ROOT / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "django" for a in node.names), module
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "django", module


@pytest.mark.parametrize("module", _existing())
def test_the_pure_module_reads_no_clock(module):
    tree = ast.parse((ROOT / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK_CALLS, f"{module}: {ast.unparse(node)}"
