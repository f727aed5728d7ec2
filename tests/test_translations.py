"""Every string we show has a Thai translation.

Runs Django's own `makemessages` over a copy of the source (so the extraction is exactly Django's),
then asks the live Thai catalogs for each msgid. Strings without Latin letters need no translation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["coopsupport", "cooperatives", "projects", "loans", "reports", "templates", "manage.py"]
LATIN = re.compile(r"[A-Za-z]{2,}")
# msgids that are proper names or codes, the same in both languages.
SAME_IN_BOTH = {
    "CoopSupport",
    "EN",
    "PDF",
    "CSV",
    "XLSX",
    "Excel",
    "IRR",
    "NPV",
    "MIRR",
    "BCR",
    "DSCR",
    "PAR30",
    "PAR90",
}


def _msgids(po_text: str) -> list[str]:
    ids = []
    for block in po_text.split("\n\n"):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        text = "\n".join(lines)
        m = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        if not m:
            continue
        raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
        msgid = re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)), raw)
        if msgid:
            ids.append(msgid)
    return ids


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_every_user_facing_string_has_a_thai_translation(tmp_path):
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.po", "*.mo")
            )
        else:
            shutil.copy(src, tmp_path / name)
    (tmp_path / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "coopsupport.settings",
            "PATH": "/usr/bin:/bin",
            "COOPSUPPORT_VAR_DIR": str(tmp_path / "var"),
        },
    )
    missing = []
    with translation.override("th"):
        for po in tmp_path.rglob("*.po"):
            for msgid in _msgids(po.read_text(encoding="utf-8")):
                if not LATIN.search(msgid) or msgid in SAME_IN_BOTH:
                    continue
                if translation.gettext(msgid) == msgid:
                    missing.append(f"{po.relative_to(tmp_path).parts[0]}: {msgid!r}")
    assert not missing, f"{len(missing)} strings have no Thai translation:\n" + "\n".join(
        sorted(missing)[:80]
    )


THIRD_PARTY_LOCALES = {
    "django_tables2": "de",
    "django_filters": "de",
}


@pytest.mark.parametrize("package", sorted(THIRD_PARTY_LOCALES))
def test_third_party_strings_have_a_thai_translation(package):
    import importlib

    module = importlib.import_module(package)
    po = Path(module.__file__).parent / "locale" / THIRD_PARTY_LOCALES[package] / "LC_MESSAGES" / "django.po"
    with translation.override("th"):
        missing = [m for m in _msgids(po.read_text(encoding="utf-8")) if translation.gettext(m) == m]
    assert not missing, missing
