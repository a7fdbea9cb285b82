"""Page bytes to text: BOM, header, meta, then a detector; mislabelled bytes are not mangled."""

from __future__ import annotations

import pytest

from newscrawl.pages.charset import decode_html

TEXT = "Café naïve — São Paulo résumé déjà vu, Nguyễn"
PAGE = "<html><head>{meta}</head><body><p>{text}</p></body></html>"


def page(text: str = TEXT, meta: str = "") -> str:
    return PAGE.format(meta=meta, text=text)


def test_latin1_bytes_labelled_utf8_are_read_without_replacement_characters() -> None:
    body = page(TEXT.replace(", Nguyễn", "")).encode("cp1252")
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert "\ufffd" not in decoded.text
    assert "Café naïve — São Paulo" in decoded.text
    assert decoded.mislabelled


def test_a_bom_wins_over_the_header() -> None:
    body = "\ufeff".encode() + page().encode("utf-8")
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert decoded.source == "bom"
    assert TEXT in decoded.text


def test_the_header_wins_over_the_meta() -> None:
    body = page(TEXT.replace(", Nguyễn", ""), '<meta charset="utf-8">').encode("cp1252")
    decoded = decode_html(body, "text/html; charset=windows-1252")
    assert (decoded.source, decoded.mislabelled) == ("header", False)
    assert "Café" in decoded.text


def test_the_meta_is_read_when_the_header_says_nothing() -> None:
    body = page("Pattaya đón khách", '<meta http-equiv="Content-Type" content="text/html; '
                'charset=windows-1258">').encode("cp1258")
    decoded = decode_html(body, "text/html")
    assert decoded.source == "meta"
    assert "Pattaya đón khách" in decoded.text


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "shift_jis"])
def test_an_undeclared_multibyte_page_is_detected(encoding: str) -> None:
    text = {"gb18030": "东盟新闻报道东南亚国家", "big5": "東盟新聞報導東南亞國家",
            "shift_jis": "東南アジア諸国連合のニュース"}[encoding] * 30
    decoded = decode_html(page(text).encode(encoding), "text/html")
    assert text in decoded.text


def test_undeclared_utf8_stays_utf8() -> None:
    assert decode_html(page().encode("utf-8"), None).text == page()
