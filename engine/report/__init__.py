"""The readiness report: pure computation from responses to findings."""
