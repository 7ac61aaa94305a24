"""The decision-tree core: the format, loading, validation, the engine, paths and the schema.

Nothing here knows about pages or site generators.
"""
