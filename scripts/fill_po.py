"""Fill msgstr entries of a .po file from a {msgid: msgstr} JSON/py dict (dev helper).

Usage: python scripts/fill_po.py path/to/django.po translations.py
The translations file defines TRANSLATIONS = {msgid: msgstr or (singular, plural)}.
Entries already translated are kept unless --force.
"""

import re
import runpy
import sys


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def main() -> None:
    po_path, tr_path = sys.argv[1], sys.argv[2]
    force = "--force" in sys.argv
    table = runpy.run_path(tr_path)["TRANSLATIONS"]
    with open(po_path, encoding="utf-8") as fh:
        text = fh.read()
    blocks = text.split("\n\n")
    out, missing = [], []
    for block in blocks:
        m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not m:
            out.append(block)
            continue
        msgid = (
            "".join(re.findall(r'"(.*)"', m.group(1)))
            .encode()
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8")
        )
        if msgid == "":
            out.append(block)
            continue
        block = block.replace("#, fuzzy\n", "")
        if msgid not in table:
            if 'msgstr ""' in block and not re.search(r'msgstr(\[0\])? ".+"', block):
                missing.append(msgid)
            out.append(block)
            continue
        value = table[msgid]
        if "msgid_plural" in block:
            plural = value if isinstance(value, str) else value[0]
            block = re.sub(r'msgstr\[0\] (".*"\n?)+', f'msgstr[0] "{esc(plural)}"\n', block)
            block = re.sub(r'\nmsgstr\[1\] (".*"\n?)+', "\n", block).rstrip("\n")
        else:
            if force or re.search(r'msgstr ""\s*$', block):
                block = re.sub(r'msgstr (".*"\n?)+', f'msgstr "{esc(value)}"', block)
        out.append(block.rstrip("\n"))
    text = "\n\n".join(out)
    text = text.replace(
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"'
    )
    text = text.replace(
        "Content-Type: text/plain; charset=CHARSET", "Content-Type: text/plain; charset=UTF-8"
    )
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write(text.rstrip("\n") + "\n")
    if missing:
        print("untranslated:", *missing, sep="\n  ")


if __name__ == "__main__":
    main()
