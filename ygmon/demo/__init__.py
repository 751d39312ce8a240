"""The demo: realistic seed data, real media files and a mix of jobs for `ygmon demo`."""

from ygmon.demo.seed import SeedSummary, seed_database

__all__ = ["SeedSummary", "seed_database"]
