"""ygmon: a terminal monitor and job runner for the platform's background jobs."""

__version__ = "0.1.0"
