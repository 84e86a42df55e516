"""What a complete catalogue is: every message translated, nothing fuzzy, the same placeholders, and
nothing left in English unless it is a name (``translations/<code>/same-as-english.txt``).

``python -m tests.catalogue_check fa`` lists the problems of one catalogue (the translators' check).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")
#: Nothing a reader reads: placeholders, punctuation, numbers and spaces only.
NOTHING_TO_TRANSLATE = re.compile(r"^(?:%\(\w+\)[sdif]|[\W\d_])*$")


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def allowed_same(code: str) -> set[str]:
    path = TRANSLATIONS / code / "same-as-english.txt"
    if not path.is_file():
        return set()
    return {line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def problems(code: str) -> list[str]:
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    same_ok = allowed_same(code)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ident = message.id if isinstance(message.id, str) else message.id[0]
        label = repr(ident[:70])
        if message.fuzzy:
            found.append(f"fuzzy: {label}")
        if message.pluralizable:
            forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
            if len(forms) != catalogue.num_plurals or not all(forms):
                found.append(f"untranslated plural ({len(forms)} of {catalogue.num_plurals} forms): {label}")
                continue
            expected = placeholders(message.id[1]) - {"%(num)d"}
            for form in forms:
                if placeholders(form) - {"%(num)d"} != expected:
                    found.append(f"placeholders differ: {label}: {form!r}")
            same = forms[0] == message.id[0] and forms[-1] == message.id[1]
        else:
            if not message.string:
                found.append(f"untranslated: {label}")
                continue
            if placeholders(message.string) != placeholders(message.id):
                found.append(f"placeholders differ: {label}: {message.string!r}")
            same = message.string == message.id
        if same and ident not in same_ok and not NOTHING_TO_TRANSLATE.match(ident):
            found.append(f"left in English (add it to same-as-english.txt if it is a name): {label}")
    return found


if __name__ == "__main__":  # pragma: no cover - the translators' command line
    listed = problems(sys.argv[1])
    print("\n".join(listed) or "complete")
    print(f"{len(listed)} problem(s)", file=sys.stderr)
    sys.exit(1 if listed else 0)
