"""Fail when a Chinese translation is missing or fuzzy: every string is translated."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PO = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "houqin"
    / "locale"
    / "zh_Hans"
    / "LC_MESSAGES"
    / "django.po"
)


def entries(text: str) -> list[dict[str, str | bool]]:
    result = []
    for block in re.split(r"\n\s*\n", text):
        fuzzy = bool(re.search(r"^#,.*\bfuzzy\b", block, re.M))
        msgid = (
            "".join(
                re.findall(r'^(?:msgid|msgid_plural)? ?"(.*)"$', block.split("msgstr")[0], re.M)
            )
            if "msgid" in block
            else ""
        )
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        if "msgid" not in block:
            continue
        values = ["".join(re.findall(r'"(.*)"', m)) for m in msgstrs]
        result.append({"msgid": msgid, "fuzzy": fuzzy, "empty": any(v == "" for v in values)})
    return result


#: A translation call inside an f-string's braces: xgettext does not see it, so the string
#: never reaches the catalogue and shows in English.
HIDDEN_CALL = re.compile(r"""f["'][^"'\n]*\{\s*(?:_|gettext|gettext_lazy|pgettext)\(""")


def hidden_calls() -> list[str]:
    source = PO.parent.parent.parent.parent
    found = []
    for path in sorted(source.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HIDDEN_CALL.search(line):
                found.append(f"{path.relative_to(source.parent)}:{number}")
    return found


def main() -> None:
    if not PO.exists():
        sys.exit(f"missing {PO}")
    hidden = hidden_calls()
    for place in hidden:
        print(f"a translation call inside an f-string (not extracted): {place}")
    if hidden:
        sys.exit(f"{len(hidden)} strings cannot be extracted for translation")
    problems = [
        e
        for e in entries(PO.read_text(encoding="utf-8"))
        if e["msgid"] and (e["fuzzy"] or e["empty"])
    ]
    for entry in problems[:20]:
        print(f"untranslated or fuzzy: {entry['msgid']!r}")
    if problems:
        sys.exit(f"{len(problems)} strings lack a Chinese translation")
    print("every string has a Chinese translation")


if __name__ == "__main__":
    main()
