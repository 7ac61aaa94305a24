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
    "Tree": "build_tools.trees.model",
    "Question": "build_tools.trees.model",
    "Option": "build_tools.trees.model",
    "Outcome": "build_tools.trees.model",
    "Scenario": "build_tools.trees.model",
    "load_and_validate": "build_tools.trees.validate",
    "engine_data": "build_tools.trees.engine_data",
    "enumerate_paths": "build_tools.trees.paths",
    "TreePath": "build_tools.trees.paths",
    "TooManyPaths": "build_tools.trees.paths",
    "Engine": "build_tools.trees.engine",
    "InvalidAnswer": "build_tools.trees.engine",
    "outcome_for": "build_tools.trees.engine",
    "collect_anchors": "build_tools.site.anchors",
    "generate_schema": "build_tools.trees.schema",
    "TreeRenderer": "build_tools.site.widget",
    "Clause": "build_tools.site.clauses",
    "collect_clauses": "build_tools.site.clauses",
    "render_svgs": "build_tools.site.diagram",
    "diagram_html": "build_tools.site.diagram",
    "tree_to_dot": "build_tools.site.diagram",
    "paths_text": "build_tools.trees.paths_text",
    "prepare_runtime": "build_tools.runtime.bundle",
    "RuntimeBundle": "build_tools.runtime.bundle",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'build_tools' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
