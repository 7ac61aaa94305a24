"""The MkDocs adapter: wires the core into MkDocs events, and nothing more."""
