"""CSS selectors compiled once to XPath, and the text of an element as a reader sees it."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from cssselect import HTMLTranslator, Selector, parse
from cssselect.parser import CombinedSelector
from cssselect.xpath import XPathExpr
from lxml import etree
from lxml.html import HtmlElement


class _Translator(HTMLTranslator):
    """cssselect's translation, with each step that tests one attribute of its elements
    (``.caption``, ``[class*=advert]``, ``a[href*="/tag/"]``, ``div#story-body``, both steps
    of ``main.content-wrap div.story``) walking that attribute's nodes instead of the
    elements: libxml2 then evaluates the test only on the elements that carry the attribute
    (a quarter of a story page's), up to ~3x faster; the same elements in the same order
    (``tests/pages/test_css.py``). In a group, the selectors that walk the same attribute of
    the same elements walk it once, with their tests joined by ``or`` (the body's furniture
    list: 3 walks of the body instead of 17)."""

    def css_to_xpath(self, css: str, prefix: str = "descendant-or-self::") -> str:
        return " | ".join(_joined_walks(
            [self.selector_to_xpath(selector, prefix, translate_pseudo_elements=True)
             for selector in parse(css)]))

    def selector_to_xpath(self, selector: Selector, prefix: str = "descendant-or-self::",
                          translate_pseudo_elements: bool = False) -> str:
        if translate_pseudo_elements and selector.pseudo_element:
            return super().selector_to_xpath(selector, prefix, translate_pseudo_elements)
        return (prefix or "") + str(_by_attribute(self.xpath(selector.parsed_tree)))

    def xpath_combinedselector(self, combined: CombinedSelector) -> XPathExpr:
        # The combinators put the left side into the path as it stands: its last step is
        # written here, before they do.
        combinator = self.combinator_mapping[combined.combinator]
        method = getattr(self, f"xpath_{combinator}_combinator")
        joined = method(_by_attribute(self.xpath(combined.selector)),
                        self.xpath(combined.subselector))
        assert isinstance(joined, XPathExpr)
        return joined


def _by_attribute(step: XPathExpr) -> XPathExpr:
    """The last step ``E[<test of @a>]`` as ``E/@a[<test>]/..`` (``E`` an element name or
    ``*``), and ``E[(<other tests>) and (<test of @a>)]`` as ``E/@a[<test>]/parent::*[<other
    tests>]``: the attribute of the last test is walked, the others are tested on the few
    elements that carry it; any other step as it is.

    Only a test that no element without ``@a`` passes: a conjunction (no ``or``) whose first
    term is ``@a`` itself or ``@a = …``, as cssselect writes the tests of classes, ids and
    attribute selectors; and only with functions of the attribute's string (a position,
    a name or another axis would mean something else on the attribute node). The leading
    ``@a and`` of such a test is dropped on the attribute node (where it is always true: one
    evaluation less per attribute).
    """
    test = step.condition
    if not test or not _ELEMENT_RE.fullmatch(step.element):
        return step
    others, test = _split_last(test)
    if others is not None and not _plain(others):
        return step
    names = {token for token in _TOKEN_RE.findall(test) if token.startswith("@")}
    if len(names) != 1:
        return step
    name = names.pop()
    unquoted = _LITERAL_RE.sub("''", test)
    if (not _plain(test)
            or not (unquoted == name
                    or unquoted.startswith((f"{name} and ", f"({name} and ", f"{name} = ")))):
        return step
    if unquoted == name:
        walked = f"{step.element}/{name}"
    else:
        on_node = _TOKEN_RE.sub(lambda m: "." if m[0].startswith("@") else m[0], test)
        walked = f"{step.element}/{name}[{_without_self_terms(on_node)}]"
    if others is None:
        return XPathExpr(step.path, f"{walked}/..")
    return XPathExpr(step.path, f"{walked}/parent::*", others)


def _joined_walks(paths: list[str]) -> list[str]:
    """``E/@a[T1]/.. | E/@a[T2]/..`` as ``E/@a[(T1) or (T2)]/..``: the same elements (a union
    is in document order whatever its order), the attribute walked once. Only tests that are
    true or false (a number would be read as a position): a comparison or a string test."""
    walks: dict[str, list[str] | None] = {}
    out: list[str] = []
    for path in paths:
        walk = _WALK_RE.fullmatch(path)
        if walk is None or (walk["test"] is not None and not _BOOLEAN_RE.fullmatch(
                _LITERAL_RE.sub("''", walk["test"]))):
            out.append(path)
            continue
        step = walk["step"]
        if step not in walks:
            walks[step] = []
            out.append(step)
        tests = walks[step]
        if walk["test"] is None:
            walks[step] = None  # the attribute alone: every test is within it
        elif tests is not None:
            tests.append(walk["test"])
    for n, step in enumerate(out):
        if step in walks:
            tests = walks[step]
            if tests is None:
                out[n] = f"{step}/.."
            elif len(tests) == 1:
                out[n] = f"{step}[{tests[0]}]/.."
            else:
                out[n] = f"{step}[{' or '.join(f'({test})' for test in tests)}]/.."
    return out


def _plain(test: str) -> bool:
    """A test of attribute strings only: no ``or``, no step, no union, no function of the
    position or the node (whose meaning would change on another step)."""
    unquoted = _LITERAL_RE.sub("''", test)
    return not (any(part in unquoted for part in ("[", "]", "|", "::")) or _OR_RE.search(unquoted)
                or not _STRING_FUNCTIONS.issuperset(_FUNCTION_RE.findall(unquoted)))


def _split_last(test: str) -> tuple[str | None, str]:
    """``(X) and (Y)`` (how cssselect joins a step's tests) as ``("X", "Y")``; any other test
    as ``(None, test)``."""
    parts = _PARTS_RE.findall(test)
    if not parts or parts[0] != "(":
        return None, test
    depth = 0
    for n, part in enumerate(parts):
        depth += part == "("
        depth -= part == ")"
        if depth == 0:
            rest = "".join(parts[n + 1:])
            if rest.startswith(" and (") and _closes_at_end(rest[len(" and "):]):
                return "".join(parts[1:n]), rest[len(" and ("):-1]
            return None, test
    return None, test


def _without_self_terms(test: str) -> str:
    """``test`` on the attribute node without the ``. and`` that opens each of its
    conjunctions (the node itself, always true there)."""
    parts = _PARTS_RE.findall(test)
    for n, part in enumerate(parts):
        if part.startswith(". and ") and (n == 0 or parts[n - 1] == "("):
            parts[n] = part[len(". and "):]
    return "".join(parts)


def _closes_at_end(test: str) -> bool:
    """Whether the ``(`` that opens ``test`` is closed by its last character."""
    depth = 0
    parts = _PARTS_RE.findall(test)
    for n, part in enumerate(parts):
        depth += part == "("
        depth -= part == ")"
        if depth == 0:
            return n == len(parts) - 1
    return False


_ELEMENT_RE = re.compile(r"\*|[\w-]+")
_LITERAL_RE = re.compile(r"'[^']*'|\"[^\"]*\"")
_FUNCTION_RE = re.compile(r"([\w-]+)\s*\(")
# "and (" reads as a call too.
_STRING_FUNCTIONS = frozenset({"contains", "starts-with", "concat", "normalize-space",
                               "substring", "string-length", "and"})
_OR_RE = re.compile(r"(?<![\w@-])or(?![\w-])")
# A literal (left as it is) or an attribute reference.
_TOKEN_RE = re.compile(r"'[^']*'|\"[^\"]*\"|@[\w-]+")
# One attribute walk as _by_attribute writes it; the test unquoted: a boolean.
_WALK_RE = re.compile(
    r"(?P<step>descendant-or-self::(?:\*|[\w-]+)/@[\w-]+)(?:\[(?P<test>.*)\])?/\.\.")
_BOOLEAN_RE = re.compile(r"(?:contains|starts-with)\(.*\)|(?:\.|substring\(.*\)) = ''")
# A literal, a parenthesis, or a run of anything else: what _split_last counts.
_PARTS_RE = re.compile(r"'[^']*'|\"[^\"]*\"|[()]|[^'\"()]+")
_TRANSLATOR = _Translator()
# Only runs that need collapsing: a single space is left alone, which keeps sub() cheap.
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]")
# Tags whose content is never prose, wherever they sit.
_NEVER_TEXT = frozenset({"script", "noscript", "style", "template", "iframe", "svg", "button"})
# Descendants that itertext() would read wrongly: walked one by one instead.
_SLOW_TAGS = _NEVER_TEXT | {"br"}


@lru_cache(maxsize=1024)
def compiled(css: str) -> etree.XPath:
    """The XPath of a CSS selector; cached so each selector is translated once per process."""
    return etree.XPath(_TRANSLATOR.css_to_xpath(css))


def select(node: HtmlElement, css: str) -> list[HtmlElement]:
    """Elements matching ``css`` under ``node``, in document order."""
    found = compiled(css)(node)
    assert isinstance(found, list)
    return [el for el in found if isinstance(el, HtmlElement)]


def select_first(node: HtmlElement, *selectors: str) -> HtmlElement | None:
    """The first element of the first selector that matches: selectors are tried in order."""
    for css in selectors:
        found = select(node, css)
        if found:
            return found[0]
    return None


def is_inside(el: HtmlElement, container: HtmlElement) -> bool:
    # ``in`` compares in C, by identity first (elements define no equality of their own).
    return el is container or container in el.iterancestors()


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values, each once, in their first order."""
    return tuple(dict.fromkeys(value for value in values if value))


def squash(text: str) -> str:
    """Collapse runs of ASCII whitespace; a no-break space is kept as published."""
    # Most text has nothing to collapse, and these scans cost a tenth of the regex's (which
    # tries a run at every space); they find exactly what it would replace.
    if ("  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text
            or "\v" in text):
        return _SPACE_RE.sub(" ", text).strip()
    return text.strip()


def text_of(el: HtmlElement, skip: Collection[HtmlElement] = ()) -> str:
    """Visible text of ``el``, leaving out scripts and any element in ``skip`` (tails kept)."""
    if len(el) == 0:
        return squash(el.text or "")
    # The tag test in C (lxml's iter by tag); each descendant is looked at in Python only
    # when there is something to skip.
    if (next(el.iterdescendants(*_SLOW_TAGS), None) is None
            and not (skip and any(d in skip for d in el.iterdescendants()))):
        return squash("".join(el.itertext()))
    parts: list[str] = []
    _collect(el, skip, parts)
    return squash("".join(parts))


def _collect(el: HtmlElement, skip: Collection[HtmlElement], parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in _NEVER_TEXT and child not in skip:
            if tag == "br":
                parts.append(" ")
            else:
                _collect(child, skip, parts)
        if child.tail:
            parts.append(child.tail)
