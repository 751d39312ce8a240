"""ygmon's admin REST API: the contract's "Admin Job Monitoring" endpoints and extensions."""

from ygmon.api.app import create_app

__all__ = ["create_app"]
