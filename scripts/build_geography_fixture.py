#!/usr/bin/env python
"""Build coopsupport/fixtures/thai_geography.json from the PyPI package ``geothai``
(code MIT, data CC BY 4.0 (c) Pongsakorn Thipayanate / GeoThai, https://github.com/GeoThai/data).

Usage (keep the project's venv clean -- only the wheel file is needed, nothing is imported):
    python3 -m venv /tmp/geo && /tmp/geo/bin/pip download --no-deps geothai==3.2.1 -d /tmp/geo-dl
    .venv/bin/python scripts/build_geography_fixture.py /tmp/geo-dl/geothai-3.2.1-py3-none-any.whl [OUTPUT.json]

SOURCE may be the .whl file itself, an unpacked wheel / site-packages directory (containing
``geothai/_data``), the ``geothai`` package directory, or its ``_data`` directory.

Files used (JSON arrays of rows, codes are DOPA codes as strings):
  * _data/provinces.json     [code(2), name_th, name_en]
  * _data/districts.json     [code(4), name_th, name_en]             parent = code[:2]
  * _data/subdistricts.json  [code(6), name_th, name_en, "postcodes"] parent = code[:4],
                              postcodes space-separated, ascending
(_data/abolished*.json -- abolished areas -- are not used.)

Transformations (the only ones):
  * Bangkok district names carry the word "เขต" in the source ("เขตพระนคร") while every other
    district is a bare name ("เมืองกระบี่", not "อำเภอเมืองกระบี่"); the leading "เขต" is
    stripped for province 10 so all name_th are bare names, like name_en ("Phra Nakhon").
  * A sub-district with several postcodes keeps the first (= lowest) one; all are reported.

Standard library only. Every check failure aborts with an error; nothing is guessed or skipped.
"""

import collections
import json
import re
import sys
import zipfile
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "coopsupport" / "fixtures" / "thai_geography.json"
FILES = ("provinces", "districts", "subdistricts")
EXPECTED = {"province": 77, "district": 928, "subdistrict": 7436}  # geothai 3.2.1 / GeoThai data 2026.10.23


def load_source(src):
    """Return ({name: rows}, version string) from a wheel file or a directory."""
    src = Path(src)
    if src.is_file() and src.suffix == ".whl":
        with zipfile.ZipFile(src) as zf:
            names = zf.namelist()
            rows = {f: json.loads(zf.read(f"geothai/_data/{f}.json").decode("utf-8")) for f in FILES}
            meta = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            meta = zf.read(meta).decode("utf-8") if meta else ""
            schema = zf.read("geothai/_schema.py").decode("utf-8") if "geothai/_schema.py" in names else ""
    else:
        for data in (src / "geothai" / "_data", src / "_data", src):
            if (data / "subdistricts.json").is_file():
                break
        else:
            sys.exit(f"no geothai/_data/subdistricts.json under {src}")
        rows = {f: json.loads((data / f"{f}.json").read_text(encoding="utf-8")) for f in FILES}
        pkg = data.parent
        schema = (pkg / "_schema.py").read_text(encoding="utf-8") if (pkg / "_schema.py").is_file() else ""
        metas = sorted(pkg.parent.glob("geothai-*.dist-info/METADATA"))
        meta = metas[-1].read_text(encoding="utf-8") if metas else ""
    version = re.search(r"^Version: (\S+)", meta, re.M)
    data_version = re.search(r'DATA_VERSION: str = "([^"]+)"', schema)
    return rows, (
        f"geothai {version.group(1) if version else '?'}, "
        f"GeoThai data {data_version.group(1) if data_version else '?'}"
    )


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    rows, version = load_source(argv[1])
    print(f"source: {version}")

    def name(s):
        if s != re.sub(r"\s+", " ", s).strip() or not s:
            raise SystemExit(f"bad name {s!r}")
        return s

    objs = []
    for code, th, en in rows["provinces"]:
        objs.append(
            {
                "model": "coopsupport.province",
                "pk": int(code),
                "fields": {"code": code, "name_th": name(th), "name_en": name(en)},
            }
        )
    stripped = 0
    for code, th, en in rows["districts"]:
        if code.startswith("10") and th.startswith("เขต"):
            th, stripped = th[len("เขต") :], stripped + 1
        objs.append(
            {
                "model": "coopsupport.district",
                "pk": int(code),
                "fields": {"code": code, "province": int(code[:2]), "name_th": name(th), "name_en": name(en)},
            }
        )
    multi = 0
    for code, th, en, postcodes in rows["subdistricts"]:
        pcs = postcodes.split()
        if len(pcs) > 1:
            multi += 1
            print(f"  multiple postcodes {code} {th}: {' '.join(pcs)} -> kept {pcs[0]}", file=sys.stderr)
        objs.append(
            {
                "model": "coopsupport.subdistrict",
                "pk": int(code),
                "fields": {
                    "code": code,
                    "district": int(code[:4]),
                    "name_th": name(th),
                    "name_en": name(en),
                    "postcode": pcs[0] if pcs else "",
                },
            }
        )
    objs.sort(key=lambda o: (FILES.index(o["model"].split(".")[1] + "s"), o["pk"]))

    # ---- verify
    by_model = collections.defaultdict(dict)
    width = {"province": 2, "district": 4, "subdistrict": 6}
    for o in objs:
        m = o["model"].split(".")[1]
        f = o["fields"]
        assert re.fullmatch(rf"\d{{{width[m]}}}", f["code"]) and str(o["pk"]) == f["code"], ("bad code", o)
        assert o["pk"] not in by_model[m], ("duplicate code", o)
        by_model[m][o["pk"]] = o
    P, D, S = by_model["province"], by_model["district"], by_model["subdistrict"]
    for o in D.values():
        f = o["fields"]
        assert f["province"] in P and f["code"].startswith(P[f["province"]]["fields"]["code"]), ("orphan", o)
    for o in S.values():
        f = o["fields"]
        assert f["district"] in D and f["code"].startswith(D[f["district"]]["fields"]["code"]), ("orphan", o)
        assert re.fullmatch(r"\d{5}", f["postcode"]), ("bad postcode", o)
    assert not set(P) - {d["fields"]["province"] for d in D.values()}, "province without districts"
    assert not set(D) - {s["fields"]["district"] for s in S.values()}, "district without sub-districts"
    assert P.get(38, {}).get("fields", {}).get("name_th") == "บึงกาฬ", "Bueng Kan (38) missing"
    counts = {m: len(by_model[m]) for m in width}
    if counts != EXPECTED:
        print(
            f"  note: counts {counts} differ from geothai 3.2.1 {EXPECTED} (newer data release?)",
            file=sys.stderr,
        )

    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write(
            "[\n"
            + ",\n".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) for o in objs)
            + "\n]\n"
        )

    print(f"wrote {out_path}")
    print(f"  provinces:     {counts['province']}")
    print(f"  districts:     {counts['district']} ('เขต' stripped from {stripped} Bangkok names)")
    print(f"  sub-districts: {counts['subdistrict']} ({multi} with several postcodes: first kept)")
    print(
        "  checks passed: unique 2/4/6-digit codes, parents exist, codes nested, no empty parent, "
        "Thai+English names, 5-digit postcodes"
    )


if __name__ == "__main__":
    main(sys.argv)
