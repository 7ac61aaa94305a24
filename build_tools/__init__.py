"""Build tools for the CWC confidentiality-policy site."""
