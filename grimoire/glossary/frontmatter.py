"""Front matter of content pages: read with line numbers, checked against a schema.

Glossary and derivation pages declare ``title`` and ``summary`` (required),
and ``aliases``, ``tags``, ``related`` (lists of strings). A paper page
(``papers/``) adds ``kind: paper`` and ``cite: KEY``, its entry in
``references.bib``; the one needs the other. Keys Material for
MkDocs itself reads are allowed too, each checked for the type Material
expects. Anything else is an error naming the file, the line and the key, with
the closest valid key when it looks misspelt.

A problem in one key never costs the others: the page keeps its title,
aliases and tags when, say, an unknown key sits beside them, so one typo is
one problem and not one more per reference to an alias. The YAML is read with
bounds (size, no aliases; see ``grimoire.yaml_text``), and the front matter is
found exactly as MkDocs finds it, so reported lines match what MkDocs renders.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

from ..problems import Problem
from ..yaml_text import error_line, error_text, load_bounded

MAX_FRONT_MATTER_CHARS = 32 * 1024
REQUIRED = ("title", "summary")
LISTS = ("aliases", "tags", "related")
# Keys Material for MkDocs reads from front matter, accepted as they are.
MATERIAL_KEYS = ("description", "hide", "icon", "search", "status", "template", "subtitle", "comments")
PAGE_KINDS = ("paper",)
KNOWN = REQUIRED + LISTS + ("kind", "cite") + MATERIAL_KEYS
# A sentence end followed by a capital: the summary has a second sentence.
_SECOND_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")
# The same pattern MkDocs uses (mkdocs.utils.meta), so both agree on where the body starts.
_MKDOCS_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
HIDDEN_PARTS = ("navigation", "toc", "footer", "tags", "feedback", "path")
_NAME = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_.-]+)*$")  # icons, statuses: no "..", no markup
_TEMPLATE = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.html$")


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_text_list(value: object, allowed: tuple[str, ...] | None = None) -> bool:
    return isinstance(value, list) and all(
        is_text(v) and (allowed is None or v in allowed) for v in value
    )


def _is_search(value: object) -> bool:
    if not isinstance(value, dict) or not set(value) <= {"exclude", "boost"}:
        return False
    boost = value.get("boost", 1)
    return isinstance(value.get("exclude", False), bool) and isinstance(boost, (int, float)) and not isinstance(boost, bool)


# What Material accepts for each of its keys, and how to write it.
MATERIAL_TYPES: dict[str, tuple[Callable[[object], bool], str]] = {
    "description": (is_text, "one line of text"),
    "subtitle": (is_text, "one line of text"),
    "hide": (lambda v: is_text_list(v, HIDDEN_PARTS), f"a list of parts to hide: {', '.join(HIDDEN_PARTS)}"),
    "icon": (lambda v: isinstance(v, str) and bool(_NAME.match(v)), "an icon name such as material/sigma"),
    "status": (lambda v: isinstance(v, str) and bool(_NAME.match(v)), "a status name such as new"),
    "template": (lambda v: isinstance(v, str) and bool(_TEMPLATE.match(v)), "a template file such as main.html"),
    "comments": (lambda v: isinstance(v, bool), "true or false"),
    "search": (_is_search, "a mapping such as {exclude: true} or {boost: 2}"),
}


@dataclass(frozen=True)
class PageMeta:
    path: str  # project-relative, for messages
    title: str
    summary: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    kind: str | None = None  # "paper" for a paper page
    cite: str | None = None  # a paper page's key in references.bib
    # 1-based source line of each key, for later messages (e.g. an unknown related term)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    related_lines: tuple[int, ...] = ()
    alias_lines: tuple[int, ...] = ()


def split_front_matter(text: str) -> tuple[str | None, int]:
    """The YAML between the leading ``---`` lines, and the body's first line number."""
    m = _MKDOCS_FRONT_MATTER.match(text)
    if m is None:
        return None, 1
    return m.group(1).removesuffix("\n"), m.group(0).count("\n") + 1


def body_text(text: str) -> str:
    """A page's text after its front matter, at the source's own line numbers from ``split_front_matter``."""
    yaml_text, body_line = split_front_matter(text)
    return "\n".join(text.split("\n")[body_line - 1 :]) if yaml_text is not None else text


def body_first_line(text: str) -> int:
    """The source line of the first line of the Markdown MkDocs hands to plugins.

    MkDocs drops the front matter and the empty lines after it.
    """
    yaml_text, body_line = split_front_matter(text)
    if yaml_text is None:
        return 1
    rest = text.split("\n")[body_line - 1 :]
    blank = next((i for i, line in enumerate(rest) if line), len(rest))
    return body_line + blank


def without_front_matter(markdown: str, source: str) -> str:
    """``markdown`` without the page's front matter when MkDocs left it in.

    MkDocs keeps front matter it cannot read (invalid YAML) as page text;
    the problem is reported from ``read_meta``, and the page should neither
    show the YAML nor shift the lines of every later problem.
    """
    m = _MKDOCS_FRONT_MATTER.match(source)
    if m is not None and markdown.startswith(m.group(0)):
        return markdown[m.end() :].lstrip("\n")
    return markdown


def read_meta(path: str, text: str) -> tuple[PageMeta | None, list[Problem]]:
    """The page's front matter, as much of it as is valid, and its problems.

    None when there is no front matter or it is not a YAML mapping at all.
    """
    yaml_text, _ = split_front_matter(text)
    if yaml_text is None:
        return None, [
            Problem(path, 1, "page has no front matter", hint="start the page with ---, title:, summary:, ---")
        ]
    try:
        data, node = load_bounded(yaml_text, MAX_FRONT_MATTER_CHARS)
    except yaml.YAMLError as exc:
        return None, [
            Problem(
                path,
                error_line(exc, first_line=2),
                f"front matter is not valid YAML: {error_text(exc)}",
                hint="quote text holding ': ' or starting with [ { * & ! | > ' \" % @",
            )
        ]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, [Problem(path, 2, "front matter must be a mapping of keys to values")]

    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    problems: list[Problem] = []
    for key in data:
        if key not in KNOWN:
            close = difflib.get_close_matches(str(key), KNOWN, n=1, cutoff=0.6)
            problems.append(
                Problem(
                    path,
                    lines.get(str(key), 2),
                    f"unknown front matter key '{key}'",
                    hint=f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(KNOWN)}",
                )
            )
        elif key in MATERIAL_TYPES and not MATERIAL_TYPES[key][0](data[key]):
            problems.append(
                Problem(
                    path,
                    lines.get(str(key), 2),
                    f"'{key}' must be {MATERIAL_TYPES[key][1]}, got {type(data[key]).__name__}",
                )
            )
    text_values: dict[str, str] = {}
    for key in REQUIRED:
        value = data.get(key)
        if value is None:
            problems.append(Problem(path, 2, f"front matter lacks '{key}'", hint=f"add a line '{key}: ...'"))
        elif not is_text(value):
            problems.append(
                Problem(path, lines.get(key, 2), f"'{key}' must be non-empty text, got {type(value).__name__}")
            )
        else:
            text_values[key] = value
    summary = text_values.get("summary")
    if summary is not None and _SECOND_SENTENCE.search(summary):
        problems.append(
            Problem(
                path,
                lines.get("summary", 2),
                "the summary has more than one sentence",
                hint="hover cards and search show it whole: keep one plain sentence, move the rest into the page",
            )
        )
    lists: dict[str, tuple[str, ...]] = {}
    for key in LISTS:
        value = data.get(key, [])
        if not is_text_list(value):
            problems.append(
                Problem(
                    path,
                    lines.get(key, 2),
                    f"'{key}' must be a list of text items",
                    hint=f"write it as {key}: [first, second]",
                )
            )
            value = []
        lists[key] = tuple(v.strip() for v in value)

    kind, cite, paper_problems = _paper_keys(path, data, lines)
    problems += paper_problems

    tag_lines = _item_lines(node, "tags")
    for i, tag in enumerate(lists["tags"]):
        # One convention, so the tags page lists each topic once: sentence case ("Loss functions", "LLM").
        if tag[:1].islower():
            problems.append(
                Problem(
                    path,
                    tag_lines[i] if i < len(tag_lines) else lines.get("tags", 2),
                    f"tag '{tag}' does not start with a capital letter",
                    hint=f"tags are in sentence case: write '{tag[:1].upper() + tag[1:]}'",
                )
            )

    slug = PurePosixPath(path).stem
    return (
        PageMeta(
            path=path,
            title=text_values.get("title", slug).strip(),
            summary=" ".join(text_values.get("summary", "").split()),
            aliases=lists["aliases"],
            tags=lists["tags"],
            related=lists["related"],
            kind=kind,
            cite=cite,
            lines=lines,
            related_lines=_item_lines(node, "related"),
            alias_lines=_item_lines(node, "aliases"),
        ),
        problems,
    )


def _paper_keys(path: str, data: dict, lines: dict[str, int]) -> tuple[str | None, str | None, list[Problem]]:
    """``kind`` and ``cite``, each valid or None, and their problems."""
    problems = []
    kind, cite = data.get("kind"), data.get("cite")
    if kind is not None and kind not in PAGE_KINDS:
        problems.append(Problem(path, lines.get("kind", 2), f"'kind' must be one of: {', '.join(PAGE_KINDS)}, got {kind!r}"))
        kind = None
    if cite is not None and not (is_text(cite) and " " not in cite.strip()):
        problems.append(Problem(path, lines.get("cite", 2), "'cite' must be one key of references.bib, such as vaswani2017"))
        cite = None
    if kind == "paper" and cite is None and "cite" not in data:
        problems.append(Problem(path, lines.get("kind", 2), "a paper page needs 'cite', its key in references.bib",
                                hint="add a line 'cite: vaswani2017'"))
    if "cite" in data and kind != "paper" and "kind" not in data:
        problems.append(Problem(path, lines.get("cite", 2), "'cite' belongs to paper pages: add 'kind: paper'",
                                hint="cite works in the text with [@key] instead"))
    return kind, cite.strip() if isinstance(cite, str) else None, problems


def _item_lines(node: yaml.MappingNode, key: str) -> tuple[int, ...]:
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.SequenceNode):
            return tuple(item.start_mark.line + 2 for item in v.value)
    return ()
