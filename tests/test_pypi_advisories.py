"""``make audit``'s look-up of known vulnerabilities in PyPI's project JSON (tests/pypi_advisories.py),
against a stand-in for PyPI."""
from __future__ import annotations

import io
import json
import urllib.error

from tests import pypi_advisories

PROJECTS = {
    "safe": {"info": {"version": "2.0"}, "vulnerabilities": []},
    "leaky": {"info": {"version": "1.0"}, "vulnerabilities": [
        {"id": "PYSEC-2026-1", "aliases": ["CVE-2026-0001"], "fixed_in": ["1.1"], "withdrawn": None},
        {"id": "PYSEC-2025-9", "aliases": [], "fixed_in": [], "withdrawn": "2025-01-01"}]},
    "stale": {"info": {"version": "5.0"}, "vulnerabilities": [{"id": "PYSEC-2026-2", "aliases": []}]},
}


def _pypi(monkeypatch, installed: dict[str, str]) -> None:
    def urlopen(url, timeout):
        name = url.rsplit("/", 2)[-2]
        if name not in PROJECTS:
            raise urllib.error.URLError("no answer")
        return io.BytesIO(json.dumps(PROJECTS[name]).encode())

    monkeypatch.setattr(pypi_advisories.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(pypi_advisories, "installed", lambda: installed)


def test_a_known_vulnerability_of_the_installed_version_fails_the_audit(monkeypatch, capsys):
    _pypi(monkeypatch, {"safe": "2.0", "leaky": "1.0"})
    assert pypi_advisories.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE leaky 1.0: PYSEC-2026-1, CVE-2026-0001 (fixed in 1.1)" in out
    assert "PYSEC-2025-9" not in out  # withdrawn
    assert "2 of 2 installed distributions checked at their newest release, 1 with a known vulnerability" in out


def test_what_cannot_be_checked_is_said_and_does_not_fail(monkeypatch, capsys):
    _pypi(monkeypatch, {"safe": "2.0", "stale": "4.0", "unknown": "1.0"})
    assert pypi_advisories.main() == 0
    out = capsys.readouterr().out
    assert "1 of 3 installed distributions checked" in out
    assert "pinned below the newest release: stale 4.0 (newest 5.0)" in out
    assert "PyPI did not answer for: unknown" in out


def test_this_project_itself_is_not_looked_up():
    found = pypi_advisories.installed()
    assert "min-sip" not in found and "minsip" not in found
    assert found["flask"]  # a real dependency is
