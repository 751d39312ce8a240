"""The job runtime: Huey tasks and schedules, and the job registry that tracks them."""
