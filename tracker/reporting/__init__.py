"""Reporting: dashboard queries, compliance and intake statistics, the iCalendar feed."""
