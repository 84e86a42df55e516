"""Finding every form a user can reach: the pages are crawled, their POST forms parsed.

The hostile-input tests fill each form's text fields with payloads; knowing the forms from the pages
themselves means a form added later is fuzzed without anyone listing it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "email", "tel", "url", "search", "password", "number", "date", "time", "datetime-local", ""}


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)   # name -> a valid default value
    text_fields: list[str] = field(default_factory=list)   # the names to fuzz

    @property
    def key(self) -> tuple:
        return (self.action, tuple(sorted(self.fields)))


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = Form(action=a.get("action") or self.page_url)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if name not in form.fields or "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind in ("submit", "button", "file"):
                return
            else:
                form.fields[name] = a.get("value", "")
                if kind in TEXT_TYPES and name != "csrf_token" and kind != "hidden":
                    form.text_fields.append(name)
        elif tag == "textarea" and name:
            form.fields[name] = ""
            form.text_fields.append(name)
            self._textarea = name
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            if not form.fields.get(self._select) or "selected" in a:
                form.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms
