"""Search words: what people type, put in the site's search index as each page's tags.

mkdocs-material's search indexes a page's front-matter ``tags`` as a field of its own,
weighted far above the title and the text (boost 10⁶ against 10³ and 1), and the theme
shows tags on the page only when its ``tags`` plugin is on (it is not). So:

- a page that embeds a guide gets the guide's ``keywords`` and those of its questions and
  outcomes (shared outcomes included): a search for "suicide" finds the guide although it
  says "ending their life";
- a policy page gets its title and the titles of its clauses, so a clause named in the
  search ("exceptions", "subpoena") still comes among the first results, under the guides
  that handle the situation, and is not pushed down by guides whose words merely start
  the same way (the search matches every word as a prefix: "to" finds "told").

The words are never page text. The search results would show tags as chips; the site's
stylesheet hides those (``.md-search-result .md-tags``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from build_tools.site.anchors import Clause
from build_tools.trees.model import Tree


def unique(words: Iterable[str]) -> list[str]:
    """Each word once (compared without case or surrounding space), first spelling kept."""
    seen: dict[str, str] = {}
    for word in (w.strip() for w in words):
        if word:
            seen.setdefault(word.casefold(), word)
    return list(seen.values())


def guide_words(trees: Iterable[Tree]) -> list[str]:
    """Every keyword of ``trees``: each guide's own, then its questions', then its outcomes'."""
    return unique(
        word
        for tree in trees
        for words in [tree.keywords, *(q.keywords for q in tree.questions.values()),
                      *(o.keywords for o in tree.outcomes.values())]
        for word in words
    )


def clause_words(clauses: Sequence[Clause]) -> list[str]:
    """A policy page's search words: its title, then the title of each of its clauses."""
    return unique([c.page_title for c in clauses[:1]] + [c.title for c in clauses])


def with_tags(meta: Mapping[str, Any], words: Sequence[str]) -> dict[str, Any]:
    """A page's front matter with ``words`` added to its tags (the author's stay first)."""
    out = dict(meta)
    if not words:
        return out
    written = out.get("tags")
    out["tags"] = unique([*(str(t) for t in written), *words] if isinstance(written, list)
                         else words)
    return out
