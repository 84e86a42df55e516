"""Documents as PDF: the plan copy, invitations, the consent summary, "my data".

WeasyPrint renders our own HTML and CSS. Nothing outside the application is ever fetched for a
personal document: only the fonts shipped in ``static/fonts`` (Noto Sans Ethiopic for Tigrinya; the
machine's fonts cover Latin and Arabic) may be loaded, everything else is refused.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"

#: ``@font-face`` rules for documents, pointing at the shipped font files: TrueType, because WeasyPrint
#: would decompress the WOFF2 files the browser gets on every render (two seconds a document).
FONT_FACES = "\n".join(
    f'@font-face {{ font-family: "Min SIP Ethiopic"; font-weight: {weight}; '
    f'src: url("{(FONTS / f"noto-sans-ethiopic-ethiopic-{weight}-normal.ttf").as_uri()}") format("truetype"); }}'
    for weight in (400, 700)
)
#: The font stack documents use: Latin and Arabic from the system (DejaVu), Ethiopic shipped.
FONT_STACK = '"DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Min SIP Ethiopic", sans-serif'


def render_pdf(html: str, css: str = "") -> bytes:
    """``html`` (rendered from a template) and ``css`` as a PDF."""
    from weasyprint import CSS, HTML  # imported here: it is large and only documents need it
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    allowed = FONTS.resolve().as_uri() + "/"

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(allowed) and ".." not in url:
                return super().fetch(url, headers)
            log.warning("refused to fetch %s for a personal document", url)
            raise ValueError(f"no external resources in a personal document: {url}")

    fetcher = LocalFontsOnly()
    fonts = FontConfiguration()  # @font-face only loads through a configuration shared with the render
    stylesheets = [CSS(string=FONT_FACES, url_fetcher=fetcher, font_config=fonts),
                   CSS(string=css, url_fetcher=fetcher, font_config=fonts)]
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets, font_config=fonts)
