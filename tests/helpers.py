"""Small helpers the tests share: reading pages as a user would."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text(response_or_html) -> str:
    """The visible text of a page, with white space collapsed."""
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.get_data(as_text=True)
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", unescape(" ".join(parser.parts))).strip()


def html_attr(html: str, tag: str, attr: str) -> str | None:
    """The value of ``attr`` on the first ``tag`` element, e.g. ``html_attr(page, "html", "dir")``."""
    match = re.search(rf"<{tag}\b[^>]*\b{attr}=\"([^\"]*)\"", html)
    return match.group(1) if match else None
