"""The privacy page the session-start message links to (``/webchat/confidentialite``).

Its text is ``docs/confidentialite.md``, which the project keeps up to date; this module turns it
into an accessible French page. The markdown it uses is small (headings, paragraphs, lists,
bold, code), so a few lines do instead of a new dependency. Everything is escaped before the
few inline marks are turned into tags, so the page can contain no markup of its own.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

PRIVACY_FILE = Path(__file__).resolve().parents[2] / "docs" / "confidentialite.md"

PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/webchat/page.css">
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def inline(text: str) -> str:
    """Escape, then ``**bold**`` and ```code``` only."""
    escaped = html.escape(text, quote=True)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


def markdown_to_html(markdown: str) -> tuple[str, str]:
    """The page's title (its first heading) and its body."""
    title, blocks = "", []
    paragraph: list[str] = []
    items: list[list[str]] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>\n" + "\n".join(f"<li>{inline(' '.join(i))}</li>" for i in items) + "\n</ul>")
            items.clear()

    for line in markdown.splitlines():
        stripped = line.strip()
        heading = re.match(r"(#{1,6})\s+(.*)", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = len(heading.group(1))
            title = title or heading.group(2)
            blocks.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif stripped.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append([stripped[2:]])
        elif items and line.startswith((" ", "\t")):
            items[-1].append(stripped)
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return title, "\n".join(blocks)


@lru_cache(maxsize=1)
def privacy_page(path: Path = PRIVACY_FILE) -> str:
    title, body = markdown_to_html(path.read_text(encoding="utf-8"))
    return PAGE.format(title=html.escape(title), body=body)
