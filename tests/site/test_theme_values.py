"""Settings the theme writes into HTML attributes unescaped: the build refuses breaking ones."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from build_tools.errors import BuildError, Problems
from build_tools.site.theme_values import attribute_problem, check_config, check_page_meta
from tests.helpers import build_site
from tests.locations import FIXTURES, ROOT


def problems_in(tmp_path: Path, text: str) -> list[str]:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    problems = Problems()
    check_config(config, tmp_path, problems)
    return [p.format() for p in problems]


@pytest.mark.parametrize(("value", "fine"), [
    ("Guides that answer “what do I do now?”", True),
    ("Guides that answer 'what do I do now?'", True),
    ("R&D, Q&A and 5 < 6", True),
    ('Guides that answer "what do I do now?"', False),
    ("Fish &amp; chips", False),
    ("Fish &#38; chips", False),
])
def test_what_an_attribute_value_may_hold(value: str, fine: bool) -> None:
    """A double quote or a character reference is refused; anything else is fine."""
    assert (attribute_problem(value) is None) is fine


def test_site_description_with_double_quotes_is_refused_with_its_line(tmp_path: Path) -> None:
    """The problem names mkdocs.yml, the line and column of the value, the key and a fix."""
    found = problems_in(tmp_path, 'site_name: Policy\nsite_description: >-\n'
                                  '  Guides that answer\n  "what do I do now?"\n')
    assert found == [
        'mkdocs.yml:2:19: error: site_description contains a double quote ("), which ends '
        "the HTML attribute the theme writes it into, and breaks the markup of every page\n"
        "  hint: write typographic quotes instead (“what do I do now?”), or single quotes "
        "('what do I do now?')"
    ]


def test_extra_and_palette_values_are_checked_too(tmp_path: Path) -> None:
    """Every value the theme writes into an attribute, lists and palettes included."""
    found = problems_in(tmp_path, """\
site_name: The "best" site
extra:
  status:
    new: Recently "added"
  social:
    - link: https://example.org/?a="b"
      name: Fine
  policy:
    title: Not written into an attribute, "so" fine
theme:
  palette:
    - media: "(prefers-color-scheme: light)"
      toggle:
        name: Switch to &quot;dark&quot;
""")
    assert [re.match(r"\S+ error: \S+", problem).group(0) for problem in found] == [
        "mkdocs.yml:1:12: error: site_name",
        "mkdocs.yml:4:10: error: extra.status.new",
        "mkdocs.yml:6:13: error: extra.social[0].link",
        "mkdocs.yml:14:15: error: theme.palette[0].toggle.name",
    ]


def test_the_sites_own_settings_are_fine() -> None:
    """The real mkdocs.yml passes (its description uses typographic quotes)."""
    problems = Problems()
    check_config(ROOT / "mkdocs.yml", ROOT, problems)
    assert list(problems) == []


def test_a_pages_front_matter_description_is_checked() -> None:
    """A page's own description goes into the same attribute: refused the same way."""
    check_page_meta("docs/index.md", {"description": "Answers to “what now?”"})
    with pytest.raises(BuildError, match=re.escape(
            "docs/index.md: the front matter's 'description' contains a double quote")):
        check_page_meta("docs/index.md", {"description": 'Answers to "what now?"'})


def test_mkdocs_build_stops_on_a_breaking_description(tmp_path: Path) -> None:
    """End to end: exit 1, the file:line:col error and its hint, no traceback, no site."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "site", project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: Plugin fixture site\n",
        'site_name: Plugin fixture site\nsite_description: Answers to "what now?"\n'),
        encoding="utf-8")
    site = tmp_path / "out"
    result = build_site(site, config)
    assert result.returncode == 1
    assert "mkdocs.yml:3:19: error: site_description contains a double quote" in result.stderr
    assert "hint: write typographic quotes instead" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "index.html").exists()
