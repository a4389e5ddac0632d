"""Alerts: the sweep, the outbox and its dispatch, the digest, alert e-mails, the scheduler."""
