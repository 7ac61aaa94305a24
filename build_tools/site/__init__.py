"""The site layer: pages, widgets, coverage, board pack, induction, diagrams, CSP.

Knows no site generator: the MkDocs plugin (``build_tools.mkdocs_plugin``) only wires it in.
"""
