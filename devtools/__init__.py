"""Tools for running the assistant on a developer's machine. Nothing in the assistant imports them."""
