"""The repository stands alone: it cites its own docs, and every cited heading exists."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / p for p in out.splitlines() if p.endswith((".py", ".js", ".md", ".css", ".toml", "Makefile"))]


class TestDocs:
    def test_no_reference_to_documents_outside_the_repository(self) -> None:
        """People who pick the project up have only the repository: no shared design pages, no ../ paths."""
        outside = re.compile(r"(DESIGN|AXIO_EVENTS|AXIO_FAKE_SERVERS|FRONTENDS_BINDER|PEERS)(\.md| §)|\.\./shared|§")
        hits = [
            f"{p.relative_to(ROOT)}:{n}"
            for p in _tracked()
            if "static" not in p.parts and p.name != "test_docs.py"
            for n, line in enumerate(p.read_text(errors="ignore").splitlines(), 1)
            if outside.search(line)
        ]
        assert hits == []

    def test_every_cited_docs_heading_exists(self) -> None:
        """`docs/facts.md#no-re-entrant-event-loop` in a comment must lead somewhere."""
        anchors = {
            page.name: {_slug(h) for h in re.findall(r"^#+ (.+)$", page.read_text(), re.M)}
            for page in (ROOT / "docs").glob("*.md")
        }
        assert anchors, "docs/ is missing"
        missing = [
            f"{p.relative_to(ROOT)}: {m.group(1)}#{m.group(2)}"
            for p in _tracked()
            for m in re.finditer(r"(?:docs/)?([a-z-]+\.md)#([a-z0-9_-]+)", p.read_text(errors="ignore"))
            if m.group(1) in anchors and m.group(2) not in anchors[m.group(1)]
        ]
        assert missing == []
