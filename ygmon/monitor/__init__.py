"""What the UI reads: the Monitor protocol, its typed models, and its two backends."""
