"""pytest plugin: grading submissions as tests (see comprende.grading)."""
