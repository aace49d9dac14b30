"""Keeps a script's own section of models/README.md up to date (scripts/make_models.py rewrites that
README from its template without the sections of the other model scripts: rerun them after it)."""
from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "models" / "README.md"


def update_section(title: str, section: str) -> None:
    """Replaces the section that starts with `title` (up to the next '## ' heading), or appends it."""
    text = README.read_text()
    start = text.find(title)
    if start >= 0:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    README.write_text(text)
