"""Every string the user sees is translatable: literal text in a template or a form fails this test.

Templates: the text between tags and the attributes people read (alt, title, aria-label, placeholder,
label-like values) must come from ``_()``/``{% trans %}``; only names, symbols and the few strings in
``ALLOWED`` may be written as they are. Forms: every label, description and validator message is a
lazy translated string.
"""
from __future__ import annotations

import inspect
import pkgutil
import re
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path

import pytest
from flask_wtf import FlaskForm

TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "templates"
#: Written as they are in every language: names, the product, and the switcher's hint in English.
ALLOWED = {"Min SIP", "SIP", "(Language)", "vCard", "PDF", "E.164", "QR", "axe-core", "WCAG", "https://", "Digg"}
#: Templates whose text is Swedish by definition (the easy-to-read Swedish variant) or not shown.
NOT_TRANSLATED = {"pwa/sw.js", "main/about_easy.html"}
READABLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}

_STATEMENTS = re.compile(r"{#.*?#}|{%.*?%}", re.S)
_EXPRESSIONS = re.compile(r"{{.*?}}", re.S)
_MARK = "\ue000"  # where an expression was: text on either side of it is seen separately
_IDENTIFIER = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)+$")  # a CSS class or id, not words


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg") and tag != "svg":
            self._skip += 1
        for name, value in attrs:
            if name in READABLE_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.found.append(data)


def _literal_texts(source: str) -> list[str]:
    # Statements vanish; expressions become a marker, so that literal text around them is still seen.
    parser = _Texts()
    source = re.sub(r"<(/?){{.*?}}", r"<\1span", source)  # a tag whose name is computed: any tag will do
    parser.feed(_EXPRESSIONS.sub(_MARK, _STATEMENTS.sub("", source)))
    texts = []
    for text in parser.found:
        for piece in text.split(_MARK):
            piece = piece.strip()
            words = piece
            for name in sorted(ALLOWED, key=len, reverse=True):
                words = words.replace(name, " ")
            if re.search(r"[^\W\d_]{2,}", words) and not _IDENTIFIER.match(piece):
                texts.append(piece)
    return texts


def _templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in NOT_TRANSLATED:
            yield name


@pytest.mark.parametrize("name", list(_templates()))
def test_templates_have_no_literal_text(name):
    assert _literal_texts((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_the_checker_finds_literal_text():
    assert _literal_texts("<p>Hello there</p>") == ["Hello there"]
    assert _literal_texts('<img alt="A house">') == ["A house"]
    assert _literal_texts("<p>{{ _('Hello') }}</p><p>{{ name }}: Min SIP</p>") == []
    assert _literal_texts("<p>{{ x }} or later</p>") == ["or later"]


def _form_classes():
    import webapp.forms

    for module_info in pkgutil.iter_modules(webapp.forms.__path__):
        module = import_module(f"webapp.forms.{module_info.name}")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, FlaskForm) and value.__module__ == module.__name__:
                yield value


def _is_translated(value) -> bool:
    return value is None or value == "" or type(value).__name__ == "LazyString"


def _untranslated_in(form_class) -> list[tuple]:
    problems = []
    for name, unbound in vars(form_class).items():
        if not hasattr(unbound, "field_class"):
            continue
        kwargs = unbound.kwargs
        label = kwargs.get("label", unbound.args[0] if unbound.args else None)
        if not _is_translated(label):
            problems.append((name, "label", label))
        if not _is_translated(kwargs.get("description")):
            problems.append((name, "description", kwargs.get("description")))
        for validator in kwargs.get("validators") or []:
            message = getattr(validator, "message", None)
            if not _is_translated(message):
                problems.append((name, type(validator).__name__, message))
    return problems


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_form_labels_hints_and_messages_are_translated(form_class):
    assert _untranslated_in(form_class) == []


def test_the_form_checker_finds_plain_strings():
    from flask_babel import lazy_gettext as _l
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class Careless(FlaskForm):
        good = StringField(_l("Name"), validators=[DataRequired(message=_l("Fill in."))])
        bad = StringField("Name", description="A hint", validators=[DataRequired(message="Fill in.")])

    assert [problem[:2] for problem in _untranslated_in(Careless)] == [
        ("bad", "label"), ("bad", "description"), ("bad", "DataRequired")]
