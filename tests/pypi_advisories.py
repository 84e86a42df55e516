"""Known vulnerabilities of the installed dependencies, from PyPI's project JSON (``make audit``).

``pip-audit`` asks PyPI for each pinned version (``/pypi/NAME/VERSION/json``) or asks osv.dev. Where
neither answers (this project's build machines reach only a PyPI mirror that serves the project-level
JSON), this looks up the same advisories (PyPI's, from the Python Packaging Advisory Database) in
``/pypi/NAME/json``, which lists those of the project's newest release. A dependency pinned at the
newest release is therefore checked exactly; one pinned at an older release is listed as not checked.

Exit status 1 when an installed version has a known vulnerability; 0 otherwise (what could not be
checked is printed).
"""
from __future__ import annotations

import json
import os
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

PYPI = os.environ.get("PYPI_JSON_URL", "https://pypi.org/pypi")


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def installed() -> dict[str, str]:
    """Every installed distribution but this project itself (installed from the working tree)."""
    own = _normalise(tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
                     ["project"]["name"])
    found = {}
    for dist in metadata.distributions():
        name = _normalise(dist.metadata["Name"] or "")
        if name and name != own:
            found[name] = dist.version
    return found


def advisories(name: str, version: str) -> tuple[str, str, list[dict]]:
    """("checked", newest, vulnerabilities) | ("older", newest, []) | ("unreachable", reason, [])."""
    try:
        with urllib.request.urlopen(f"{PYPI}/{name}/json", timeout=30) as answer:  # nosec B310 - a fixed https URL
            data = json.load(answer)
    except (urllib.error.URLError, TimeoutError, ValueError) as problem:
        return "unreachable", str(problem), []
    newest = data.get("info", {}).get("version", "")
    if newest != version:
        return "older", newest, []
    return "checked", newest, [v for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]


def main() -> int:
    packages = installed()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(packages, pool.map(lambda item: advisories(*item), packages.items())))
    vulnerable = {name: found for name, (state, _newest, found) in results.items() if state == "checked" and found}
    checked = sum(1 for state, *_rest in results.values() if state == "checked")
    for name, found in sorted(vulnerable.items()):
        for vulnerability in found:
            ids = ", ".join([vulnerability.get("id", "")] + vulnerability.get("aliases", []))
            fixed = ", ".join(vulnerability.get("fixed_in") or []) or "no fixed release"
            print(f"VULNERABLE {name} {packages[name]}: {ids} (fixed in {fixed})")
    older = sorted(f"{name} {packages[name]} (newest {newest})" for name, (state, newest, _f) in results.items()
                   if state == "older")
    unreachable = sorted(name for name, (state, *_rest) in results.items() if state == "unreachable")
    print(f"PyPI advisories: {checked} of {len(packages)} installed distributions checked at their newest release, "
          f"{len(vulnerable)} with a known vulnerability.")
    if older:
        print("Not checked here, pinned below the newest release: " + "; ".join(older))
    if unreachable:
        print("Not checked here, PyPI did not answer for: " + ", ".join(unreachable))
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
