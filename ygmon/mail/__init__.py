"""Sending e-mail: one small Mailer interface, an SMTP sender behind a circuit breaker,
and a local outbox of .eml files (the default, so nothing leaves a developer's machine).

`open_mailer(profile)` picks the one the profile names; messages are built with the
standard library's `email` package in ygmon.mail.message.
"""
