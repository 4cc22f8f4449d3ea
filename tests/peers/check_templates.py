#!/usr/bin/env python3
"""Check every device template in templates/ (or the files given) against the format.

    python3 tests/peers/check_templates.py [FILE.toml ...]

Errors (exit status 1): unreadable TOML, unknown or missing keys, key not equal to the
file name, duplicate tag names, register numbers outside the function's Modicon range
(00001-09999 coil, written 1..9999; 1xxxx discrete, 3xxxx input, 4xxxx holding, and the
6-digit forms 1xxxxx, 3xxxxx, 4xxxxx), both or neither of register/address, type/bit/length/order/scale rules.
Warnings: tags sharing registers (the peer leaves the later one out of its expected
values), style (order = "ABCD", scale = 1 or offset = 0 written out), a template missing
from templates/README.md.  Standard library only (Python 3.11+).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_values import TemplateError, overlaps, parse_template  # noqa: E402

TEMPLATES = HERE.parent.parent / "templates"


def check(paths: list[Path]) -> int:
    readme = TEMPLATES / "README.md"
    readme_text = readme.read_text() if readme.exists() else ""
    errors = 0
    warnings = 0
    for path in paths:
        try:
            tpl = parse_template(path)
        except TemplateError as exc:
            print(f"ERROR {exc}")
            errors += 1
            continue
        notes = list(tpl.warnings)
        for earlier, later in overlaps(tpl.tags):
            notes.append(
                f"tags {earlier.name!r} and {later.name!r} share {later.function} registers "
                f"(wire {later.wire})"
            )
        if readme_text and f"{tpl.key}.toml" not in readme_text and tpl.key not in readme_text:
            notes.append(f"{tpl.key} is not listed in templates/README.md")
        kinds = {}
        for t in tpl.tags:
            kinds[t.function] = kinds.get(t.function, 0) + 1
        summary = ", ".join(f"{n} {f}" for f, n in sorted(kinds.items()))
        print(f"ok    {path.name}: {tpl.meta['maker']} {tpl.meta['model']} - "
              f"{len(tpl.tags)} tags ({summary})")
        for n in notes:
            print(f"WARN  {path.name}: {n}")
        warnings += len(notes)
    print(f"{len(paths)} templates checked, {errors} with errors, {warnings} warnings")
    return 1 if errors else 0


def main(argv: list[str]) -> int:
    if argv:
        paths = [Path(a) for a in argv]
    else:
        paths = sorted(TEMPLATES.glob("*.toml"))
        if not paths:
            print(f"no templates in {TEMPLATES}")
            return 1
    return check(paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
