"""Text between Markdown (skillprobe) and Moodle's formats (HTML, plain, auto-format).

* Markdown to HTML uses markdown-it-py, the CommonMark parser skillprobe's own
  screens use (through Rich and Textual), so Moodle shows what skillprobe shows.
  Raw HTML in an item is escaped, never passed through: item text is untrusted.
* HTML to Markdown uses markdownify (on BeautifulSoup's parser), which also
  drops scripts and styles. Images and other embedded files cannot travel in a
  YAML bank: they are reported, and their alternative text is kept.
* An exported HTML text carries its Markdown source in an HTML comment, which
  Moodle stores but never shows. On the way back the source is used only when
  the HTML is still exactly what that source renders to, so an edit made in
  Moodle is never overwritten by a stale source.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdownify import MarkdownConverter

from engine.interop.question import RichText, TextFormat

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

SOURCE_COMMENT = "skillprobe-markdown"
_COMMENT = re.compile(r"<!--(?P<name>skillprobe[a-z-]*):(?P<payload>.*?)-->", re.DOTALL)
_MOODLE_FILE = "@@PLUGINFILE@@"


def markdown_to_html(markdown: str, *, inline: bool = False) -> str:
    """CommonMark rendered to HTML; `inline` for option texts (no paragraph around)."""
    if inline and "\n" not in markdown.strip():
        return str(_MARKDOWN.renderInline(markdown))
    return str(_MARKDOWN.render(markdown))


def with_comment(html_text: str, name: str, payload: str) -> str:
    """`html_text` followed by ``<!--name:payload-->``, the payload escaped to stay inside."""
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"{html_text}<!--{name}:{escaped}-->"


def take_comments(html_text: str) -> tuple[str, dict[str, str]]:
    """Remove skillprobe's comments from `html_text`; return the rest and the payloads."""
    payloads: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        payloads.setdefault(match.group("name"), html.unescape(match.group("payload")))
        return ""

    return _COMMENT.sub(keep, html_text), payloads


def take_comment(html_text: str, name: str) -> tuple[str, str | None]:
    """Remove the first skillprobe comment called `name`; return the rest and its payload."""
    found: list[str] = []

    def keep(match: re.Match[str]) -> str:
        if match.group("name") != name or found:
            return match.group()
        found.append(html.unescape(match.group("payload")))
        return ""

    return _COMMENT.sub(keep, html_text), (found[0] if found else None)


def html_with_markdown_source(markdown: str, *, inline: bool = False) -> str:
    return with_comment(markdown_to_html(markdown, inline=inline), SOURCE_COMMENT, markdown)


@dataclass(frozen=True)
class Converted:
    markdown: str
    losses: tuple[str, ...] = ()


def to_markdown(text: RichText, *, inline: bool = False) -> Converted:
    """A text in any of Moodle's formats as Markdown, with what could not be kept."""
    if text.format is TextFormat.MARKDOWN:
        return Converted(text.text)
    if text.format is TextFormat.HTML:
        rest, payloads = take_comments(text.text)
        source = payloads.get(SOURCE_COMMENT)
        if source is not None and markdown_to_html(source, inline=inline).strip() == rest.strip():
            return Converted(source)
        return _html_to_markdown(rest)
    body = text.text if text.format is TextFormat.MOODLE else html.escape(text.text, quote=False)
    return _html_to_markdown(_paragraphs_as_html(body))


def _paragraphs_as_html(body: str) -> str:
    # Moodle shows plain and auto-formatted text with its line breaks: blank lines
    # separate paragraphs, single line breaks stay breaks.
    paragraphs = re.split(r"\n[ \t]*\n", body.strip())
    return "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())


class _Converter(MarkdownConverter):
    """markdownify, noting embedded files instead of linking to files that will not exist."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            heading_style="ATX",
            bullets="-",
            newline_style="backslash",
            code_language_callback=_code_language,
            **options,
        )
        self.losses: list[str] = []

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        source = str(el.get("src", ""))
        alt = str(el.get("alt", "")).strip()
        self.losses.append(f"image {_file_name(source)!r} not carried over")
        return f"[image: {alt}]" if alt else "[image]"

    def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
        href = str(el.get("href", ""))
        if _MOODLE_FILE in href:
            self.losses.append(f"linked file {_file_name(href)!r} not carried over")
            return text
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

    def _embedded(self, el: Any, text: str, parent_tags: Any) -> str:
        source = str(el.get("src", "") or el.get("data", ""))
        name = f" {_file_name(source)!r}" if source else ""
        self.losses.append(f"embedded {el.name}{name} not carried over")
        return text

    convert_video = convert_audio = convert_iframe = convert_object = _embedded
    convert_embed = convert_source = _embedded


def _code_language(el: Any) -> str:
    code = el.find("code")
    for name in (code.get("class", []) if code is not None else []) + el.get("class", []):
        if name.startswith("language-"):
            return str(name.removeprefix("language-"))
    return ""


def _file_name(source: str) -> str:
    name = source.replace(_MOODLE_FILE, "").strip("/")
    if name.startswith("data:"):
        return "inline data"
    return name.rsplit("/", 1)[-1] or source


def _html_to_markdown(html_text: str) -> Converted:
    converter = _Converter()
    markdown = converter.convert(html_text).strip()
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    return Converted(markdown, tuple(dict.fromkeys(converter.losses)))
