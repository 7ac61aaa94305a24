"""The browser runtime: pinned Pyodide, the engine wheel, and the loader that boots them."""

from build_tools.runtime.bundle import RuntimeBuildError, RuntimeBundle, prepare_runtime
from build_tools.runtime.wheel import build_engine_wheel

__all__ = ["RuntimeBuildError", "RuntimeBundle", "build_engine_wheel", "prepare_runtime"]
