"""Paper: what a printed document carries in its page margins, on every page.

A printed document (the board pack, the acknowledgement; the printed record of a result
makes the same rule in the browser, ``printResult`` in ``static/widget.js``) names itself
at the top of each page and says at the foot which version of the policy it is, of what
date, and "Page 3 of 65". These are CSS paged-media margin boxes (``@page { @bottom-left
{ … } }``), which Chromium prints (version 131 and later); a browser without them prints
no running header or footer but loses nothing else: the document-control stamp still
closes the document and the pack's contents list still opens it.

The values come from the document control (``extra.policy`` in ``mkdocs.yml``), so they
are written into a ``<style>`` for the page that prints (margin boxes cannot read the page:
``string-set`` is not in Chromium); the Content-Security-Policy allows inline styles.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

PAGE_NUMBER = '"Page " counter(page) " of " counter(pages)'
"""The page number, as a margin box's content."""


def build_date() -> dt.date:
    """The date this copy is built (UTC; ``SOURCE_DATE_EPOCH`` when set, as MkDocs reads it)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.UTC))
    return moment.date()


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quoted; quotes, backslashes and line ends escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


def version_line(policy: Mapping[str, Any], built: dt.date) -> str:
    """What a page's foot says of the document: its version, approval and date."""
    line = str(policy.get("title") or "Policy")
    if policy.get("version"):
        line += f", version {policy['version']}"
    by = f" by {policy['approved_by']}" if policy.get("approved_by") else ""
    if policy.get("approved_on"):
        line += f", approved{by} on {policy['approved_on']}"
    else:
        line += f", awaiting approval{by}"
    return line + f". This copy {built.isoformat()}."


def margin_style(policy: Mapping[str, Any], document: str,
                 built: dt.date | None = None) -> str:
    """A ``<style>`` whose pages name ``document`` at the top and the version at the foot.

    It sits alone in a hidden ``<div>``: HTML allows a ``<style>`` in the body only as the
    first child of its parent.

    Args:
        policy: ``extra.policy`` of ``mkdocs.yml`` (title, organisation, version, approval).
        document: What the printed document is ("Board pack", "Volunteer's acknowledgement").
        built: The date of this copy (default: :func:`build_date`).
    """
    top = " · ".join(x for x in (str(policy.get("organisation") or ""), document) if x)
    foot = version_line(policy, built or build_date())
    return (
        '<div class="cwc-page-margins" hidden><style data-cwc="page-margins">\n'
        "@media print {\n  @page {\n"
        f"    @top-left {{ content: {css_string(top)}; }}\n"
        f"    @bottom-left {{ content: {css_string(foot)}; }}\n"
        f"    @bottom-right {{ content: {PAGE_NUMBER}; }}\n"
        "  }\n}\n</style></div>"
    )
