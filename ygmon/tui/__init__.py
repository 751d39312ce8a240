"""UI state that does not draw anything: refresh timing, error wording, formatting."""
