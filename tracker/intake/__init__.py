"""Intake: every arrival becomes an item with its own clock, before anyone registers it.

- message: read a raw e-mail (sender, subject, text, attachments, Message-ID)
- mailboxes: the IMAP side (settings, fetching with INTERNALDATE, moving to the done folder)
- items: the use cases (store an arrival, view, register from it, "ikke en underretning")
- alerts: the sweep's part for unregistered items; recipients: who hears of them
- poll: the edge that polls every mailbox and commits (the scheduler and `tracker intake poll`)
"""
