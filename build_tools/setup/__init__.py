"""Set-up: pinned npm packages and their fetching, the test browser, the bootstrap script."""
