"""The platform's work, one package per pipeline (analytics, search, media,
notifications, blog): services that take a database (and storage, mailer, clock) and
know nothing of Huey. The tasks in ygmon/jobs/pipeline_tasks/ are thin wrappers."""
