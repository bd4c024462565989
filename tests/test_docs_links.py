"""Every link and image in README.md and docs/*.md points at a file that exists, and every
#anchor at a heading of its target, slugged as GitHub slugs headings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# [text](target) and ![alt](target); the text may hold one level of brackets (an image in a link).
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
EXTERNAL = ("http://", "https://", "mailto:")


def without_code(text: str) -> str:
    """The text with fenced blocks and inline code spans removed: links there are not links."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lowercase, punctuation other than
    hyphens and underscores removed, each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings; a repeated one gets -1, -2, ..."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for match in HEADING.finditer(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[str]:
    """Every link and image target on the page, in order."""
    return LINK.findall(without_code(page.read_text(encoding="utf-8")))


def broken_links(page: Path) -> list[str]:
    """What is wrong with the page's links, one line each; empty if every one resolves."""
    problems = []
    for target in links(page):
        if not target or target.startswith(EXTERNAL):
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            problems.append(f"{target}: no such file")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            problems.append(f"{target}: no heading #{fragment} in {file.name}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_link_resolves(page: Path) -> None:
    assert broken_links(page) == []


def test_the_docs_are_linked_from_the_readme() -> None:
    targets = {target.partition("#")[0] for target in links(ROOT / "README.md")}
    for page in PAGES[1:]:
        assert f"docs/{page.name}" in targets, f"README.md does not link docs/{page.name}"


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("# A `setting`: its meaning\n\n## Twice\n## Twice\n")
    page = tmp_path / "README.md"
    page.write_text(
        "[fine](docs/here.md#a-setting-its-meaning) [twice](docs/here.md#twice-1)\n"
        "[gone](docs/missing.md) ![gone too](assets/missing.png)\n"
        "[no such heading](docs/here.md#elsewhere) [nor here](#top)\n"
        "[web](https://example.com/none) `[in code](docs/missing.md)`\n"
        "```\n[in a block](docs/missing.md)\n```\n",
    )
    problems = broken_links(page)
    assert [problem.split(":")[0] for problem in problems] == [
        "docs/missing.md",
        "assets/missing.png",
        "docs/here.md#elsewhere",
        "#top",
    ]


def test_slugs_follow_github() -> None:
    assert slug("`dqn`: a deep Q-network (torch)") == "dqn-a-deep-q-network-torch"
    assert slug("Gridworlds: planners and Dyna-Q") == "gridworlds-planners-and-dyna-q"
    assert slug("On the bounded defaults (2026-11-22)") == "on-the-bounded-defaults-2026-11-22"
    assert slug("snake_case and  two spaces") == "snake_case-and--two-spaces"
