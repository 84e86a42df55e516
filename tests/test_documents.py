"""The PDF renderer: every script renders, nothing outside the application is fetched."""
from __future__ import annotations

import re
import zlib

from webapp.services import documents


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for the embedded fonts' names."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def test_tigrinya_arabic_and_swedish_all_get_a_real_font(caplog):
    caplog.set_level("WARNING")
    pdf = documents.render_pdf('<html lang="ti"><body><p>ሰላም ትግርኛ</p><p>العربية och svenska</p></body></html>',
                               f"body {{ font-family: {documents.FONT_STACK}; }}")
    assert pdf.startswith(b"%PDF-")
    content = _pdf_text(pdf)
    assert b"Min-SIP-Ethiopic" in content and b"DejaVu-Sans" in content
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]  # no glyph left blank


def test_only_the_shipped_fonts_may_be_loaded(caplog):
    caplog.set_level("WARNING", logger="webapp.services.documents")
    documents.render_pdf('<img src="file:///etc/passwd"><img src="https://example.org/x.png">',
                         '@font-face { font-family: X; src: url("file:///etc/hostname"); } body { font-family: X; }')
    refused = {r.args[0] for r in caplog.records if r.name == "webapp.services.documents"}
    assert refused == {"file:///etc/passwd", "https://example.org/x.png", "file:///etc/hostname"}
