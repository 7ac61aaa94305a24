"""Build tools for the CWC confidentiality-policy site.

The public API is listed in ``__all__`` and loaded lazily, so ``import build_tools`` stays
cheap (no pydantic, no YAML parser) for code that only needs a submodule.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Problem": "build_tools.errors",
    "Problems": "build_tools.errors",
    "TreeErrors": "build_tools.errors",
    "BuildError": "build_tools.errors",
    "Tree": "build_tools.model",
    "Question": "build_tools.model",
    "Option": "build_tools.model",
    "Outcome": "build_tools.model",
    "Scenario": "build_tools.model",
    "load_and_validate": "build_tools.validate",
    "engine_data": "build_tools.compile",
    "enumerate_paths": "build_tools.paths",
    "TreePath": "build_tools.paths",
    "TooManyPaths": "build_tools.paths",
    "Engine": "build_tools.engine",
    "InvalidAnswer": "build_tools.engine",
    "outcome_for": "build_tools.engine",
    "collect_anchors": "build_tools.anchors",
    "generate_schema": "build_tools.schema",
    "TreeRenderer": "build_tools.render",
    "Clause": "build_tools.clauses",
    "collect_clauses": "build_tools.clauses",
    "render_svgs": "build_tools.diagram",
    "diagram_html": "build_tools.diagram",
    "tree_to_dot": "build_tools.diagram",
    "paths_text": "build_tools.review",
    "prepare_runtime": "build_tools.runtime.assets",
    "RuntimeBundle": "build_tools.runtime.assets",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'build_tools' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
