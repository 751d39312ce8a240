"""Notifications: creating one (in-app row + its delivery job), immediate e-mail per the
user's preferences, and the daily and weekly digests. Services take a Database, a
Mailer, a clock and an enqueue function; they know nothing of Huey."""
