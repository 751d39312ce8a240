"""The platform's work, one package per pipeline (analytics, search, media,
notifications, blog): services that take a database (and storage, mailer, clock) and
know nothing of Huey or ygmon.jobs (an import-linter contract in pyproject.toml
holds them to it). The tasks in ygmon/jobs/tasks/ are thin wrappers that wire them."""
