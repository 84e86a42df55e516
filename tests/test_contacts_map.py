"""The contact map's picture laid out on the server, and the interpreter languages from Babel."""
from __future__ import annotations

from webapp.models import Contact, Sector
from webapp.services import contact_map, interpreter_languages


def _contact(name, sector, role="", phone="", email=""):
    return Contact(name=name, role_title=role, sector=sector, phone=phone, email=email, organisation_name="")


def _groups(count: int, per_sector: int = 2):
    sectors = list(Sector)[:count]
    return [(sector, [_contact(f"Kontakt {sector.value} {i}", sector, "Roll", "+46701234567")
                      for i in range(per_sector)]) for sector in sectors]


def _overlap(a, b) -> bool:
    return not (a.x + contact_map.BOX_WIDTH <= b.x or b.x + contact_map.BOX_WIDTH <= a.x
                or a.y + a.height <= b.y or b.y + b.height <= a.y)


def test_an_empty_map_has_no_picture():
    assert contact_map.layout("Anna", [], str) is None


def test_every_sector_gets_a_box_inside_the_picture_and_none_overlap():
    for count in range(1, len(Sector) + 1):
        picture = contact_map.layout("Anna Andersson", _groups(count), lambda sector: sector.value)
        assert len(picture.boxes) == count
        for box in picture.boxes:
            assert 0 <= box.x and box.x + contact_map.BOX_WIDTH <= picture.width
            assert 0 <= box.y and box.y + box.height <= picture.height
            assert not (box.y < picture.person_y + picture.person_height and picture.person_y < box.y + box.height
                        and box.x < picture.person_x + picture.person_width
                        and picture.person_x < box.x + contact_map.BOX_WIDTH), "a box covers the person"
        for i, a in enumerate(picture.boxes):
            for b in picture.boxes[i + 1:]:
                assert not _overlap(a, b), (count, a.sector, b.sector)
        # One line from the person to each box.
        assert len(picture.lines) == count
        assert all((line.x1, line.y1) == (picture.centre_x, picture.centre_y) for line in picture.lines)


def test_half_the_sectors_above_the_person_and_half_below():
    picture = contact_map.layout("Anna", _groups(5), str)
    above = [box for box in picture.boxes if box.y < picture.person_y]
    below = [box for box in picture.boxes if box.y > picture.person_y]
    assert (len(above), len(below)) == (3, 2)


def test_taps_call_or_write_and_long_names_are_shortened():
    groups = [(Sector.RELATIVE, [
        _contact("Erik", Sector.RELATIVE, phone="+46701234502", email="erik@example.org"),
        _contact("Only Mail", Sector.RELATIVE, email="mail@example.org"),
        _contact("Neither", Sector.RELATIVE),
        _contact("Bartholomew Maximilian Featherstonehaugh-Wolfeschlegelsteinhausen", Sector.RELATIVE),
    ])]
    entries = contact_map.layout("Anna", groups, str).boxes[0].entries
    assert [entry.href for entry in entries] == ["tel:+46701234502", "mailto:mail@example.org", "", ""]
    assert entries[3].name.endswith("…") and len(entries[3].name) <= contact_map.NAME_CHARS
    assert entries[3].full.startswith("Bartholomew Maximilian Featherstonehaugh")


def test_sector_names_wrap_to_two_lines():
    assert contact_map.wrap("Social services in the municipality", 18) == ["Social services in", "the municipality"]
    assert contact_map.wrap("Kort", 18) == ["Kort"]
    assert contact_map.wrap("A very long sector name that goes on and on", 18)[-1].endswith("…")


def test_spoken_languages_are_every_babel_language_named_and_sorted_for_the_reader():
    english = interpreter_languages.spoken_languages("en")
    codes = [code for code, _name in english]
    assert len(codes) > 600 and len(set(codes)) == len(codes)
    assert "sv" not in codes and "und" not in codes and all("_" not in code for code in codes)
    assert ("ar", "Arabic") in english and ("ti", "Tigrinya") in english
    names = [name for _code, name in english]
    assert names.index("Abkhazian") < names.index("Zulu")
    swedish = [name for _code, name in interpreter_languages.spoken_languages("sv")]
    assert swedish.index("Zulu") < swedish.index("Östfrisiska")
    assert swedish.index("Engelska") < swedish.index("Estniska")
    arabic = interpreter_languages.spoken_languages("ar")
    assert arabic[0][1][0] not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # Arabic names first, English fall-backs after
    assert dict(arabic)["ar"] == "العربية"
    assert interpreter_languages.collation_key("Äpple", "sv") > interpreter_languages.collation_key("Zebra", "sv")
    assert interpreter_languages.collation_key("Äpple", "en") < interpreter_languages.collation_key("Zebra", "en")
    assert interpreter_languages.collation_key("Élan", "en") < interpreter_languages.collation_key("Fable", "en")


def test_sign_languages():
    signs = interpreter_languages.sign_languages("en")
    assert signs[0] == ("swl", "Swedish Sign Language")
    assert ("ase", "American Sign Language") in signs
    assert signs[-1] == ("sgn", "Another sign language")
    assert interpreter_languages.is_sign_language("swl") and not interpreter_languages.is_sign_language("ar")
    assert interpreter_languages.is_known("swl") and interpreter_languages.is_known("ar")
    assert not interpreter_languages.is_known("xx-nonsense")


def test_names_of_stored_codes(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert interpreter_languages.name_of("ar") == "Arabic"
        assert interpreter_languages.name_of("sgn", "Finlandssvenskt teckenspråk") == "Finlandssvenskt teckenspråk"
        assert interpreter_languages.name_of("sgn") == "Another sign language"
        assert interpreter_languages.name_of("swl") == "Swedish Sign Language"
        assert interpreter_languages.name_of("qqq") == "qqq"


def test_an_interpreter_is_suggested_for_every_interface_language_but_swedish():
    assert interpreter_languages.preferred_for("sv") is None
    assert interpreter_languages.preferred_for("ar") == "ar"
    assert interpreter_languages.preferred_for("en") == "en"
    assert interpreter_languages.preferred_for("fa-AF") == "fa"
    assert interpreter_languages.preferred_for("") is None
