"""Search indexing (issue 10)."""
