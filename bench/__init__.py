"""A hand-run benchmark of the check sheet (see bench/README.md); never part of the test suite."""
