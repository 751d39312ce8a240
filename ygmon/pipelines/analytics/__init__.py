"""The analytics pipeline: event enrichment and the hourly, daily, weekly and monthly
rollups, each run recorded in metrics_aggregation_jobs_log. Services take a Database and
know nothing of Huey (ygmon/jobs/tasks/analytics.py wraps them)."""
