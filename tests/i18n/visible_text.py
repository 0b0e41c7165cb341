"""The text of an HTML page a user sees or hears: text nodes outside script and style, and the attributes
that browsers show or read out (placeholder, title, alt, aria-label, the value of buttons).

Text in ``<code>`` is left out: it is what a machine reads (a CSV column to type, a database column, a job's
name for the command line) and stays the same in every language."""

from __future__ import annotations

from html.parser import HTMLParser

SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
HIDDEN_CONTENT = {"script", "style", "template", "code"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button", "reset") and values.get("value"):
            self.texts.append(values["value"] or "")
        if tag in HIDDEN_CONTENT:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_CONTENT and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.texts
