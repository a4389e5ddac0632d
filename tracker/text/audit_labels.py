"""Screen names of the audit log's actions and objects (the log stores "object.verb" codes).

Every AuditAction has a label here (a test holds the two together); the access log
page and the per-case CSV, which answers a citizen's request for access, show these.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tracker.audit import AuditAction

AUDIT_ACTION_LABELS = {
    AuditAction.USER_LOGIN: _l("Signed in"),
    AuditAction.USER_LOGIN_FAILED: _l("Failed sign-in"),
    AuditAction.USER_LOGOUT: _l("Signed out"),
    AuditAction.SIGN_IN_LOCK_LIFT: _l("Lifted a sign-in lock"),
    AuditAction.USER_SIGN_OUT_EVERYWHERE: _l("Ended all sessions"),
    AuditAction.TEAM_CREATE: _l("Created a team"),
    AuditAction.TEAM_RENAME: _l("Renamed a team"),
    AuditAction.USER_CREATE: _l("Created a user"),
    AuditAction.USER_VIEW: _l("Viewed a user"),
    AuditAction.USER_UPDATE: _l("Changed a user"),
    AuditAction.USER_CHANGE_EMAIL: _l("Changed an e-mail address"),
    AuditAction.USER_SET_PASSWORD: _l("Set a password"),
    AuditAction.USER_CHANGE_OWN_PASSWORD: _l("Changed their own password"),
    AuditAction.USER_SET_LANGUAGE: _l("Chose the language of the pages"),
    AuditAction.USER_DEACTIVATE: _l("Deactivated a user"),
    AuditAction.USER_GRANT_CASE_ACCESS: _l("Gave access to a team's cases"),
    AuditAction.USER_REROUTE_ALERTS: _l("Sent a user's alerts to the leaders"),
    AuditAction.API_TOKEN_CREATE: _l("Created an API key"),
    AuditAction.API_TOKEN_REVOKE: _l("Revoked an API key"),
    AuditAction.CALENDAR_TOKEN_ISSUE: _l("Made a calendar address"),
    AuditAction.CALENDAR_TOKEN_REVOKE: _l("Turned the calendar feed off"),
    AuditAction.SETTINGS_DIGEST: _l("Changed the daily digest"),
    AuditAction.NOTIFICATION_CREATE: _l("Registered the case"),
    AuditAction.NOTIFICATION_VIEW: _l("Viewed the case"),
    AuditAction.NOTIFICATION_LIST_VIEW: _l("Viewed the list of cases"),
    AuditAction.NOTIFICATION_RECORD_OUTCOME: _l("Recorded the assessment's outcome"),
    AuditAction.NOTIFICATION_REASSIGN: _l("Gave the case to another caseworker"),
    AuditAction.NOTIFICATION_CLOSE: _l("Closed the case"),
    AuditAction.NOTIFICATION_REOPEN: _l("Reopened the case"),
    AuditAction.NOTE_ADD: _l("Wrote a note on the case"),
    AuditAction.STEP_RECORD: _l("Recorded a step of the action card"),
    AuditAction.TIMELINE_CORRECT: _l("Corrected an entry of the case's timeline"),
    AuditAction.DEADLINE_COMPLETE: _l("Marked a deadline as met"),
    AuditAction.DEADLINE_MARK_NOT_APPLICABLE: _l("Marked a deadline as not applicable"),
    AuditAction.DECISION_CREATE: _l("Recorded a decision"),
    AuditAction.DEADLINE_RECOMPUTE: _l("Recomputed a deadline"),
    AuditAction.INVESTIGATION_START: _l("Started an investigation"),
    AuditAction.CHECKLIST_TICK: _l("Ticked an item of the action card"),
    AuditAction.CHILD_REFERENCE_LOOKUP: _l("Looked up a child's case reference"),
    AuditAction.CHILD_REFERENCE_LOOKUP_REFUSED: _l("Refused a lookup (too many)"),
    AuditAction.DEADLINE_LIST_VIEW: _l("Viewed the deadline list"),
    AuditAction.DASHBOARD_EXPORT: _l("Exported the deadline list"),
    AuditAction.CALENDAR_EXPORT: _l("Read the calendar feed"),
    AuditAction.REPORT_VIEW: _l("Viewed a report"),
    AuditAction.REPORT_EXPORT: _l("Exported a report"),
    AuditAction.AUDIT_LOG_EXPORT: _l("Exported the access log"),
    AuditAction.RULES_APPLY: _l("Applied the rules file"),
    AuditAction.ALERT_RETRY: _l("Sent an e-mail again"),
    AuditAction.NOTIFICATION_ANONYMISE: _l("Removed the case's personal data"),
    AuditAction.RETENTION_PURGE: _l("Ran the retention clean-up"),
    AuditAction.INTAKE_ITEM_CREATE: _l("Received an arrival in the intake"),
    AuditAction.INTAKE_ITEM_VIEW: _l("Viewed an arrival"),
    AuditAction.INTAKE_ITEM_DOWNLOAD: _l("Downloaded an arrival's message"),
    AuditAction.INTAKE_ITEM_REGISTER: _l("Registered an arrival as a notification"),
    AuditAction.INTAKE_ITEM_DISMISS: _l("Marked an arrival as not a notification"),
    AuditAction.INTAKE_ITEM_PURGE: _l("Removed an arrival's content"),
    AuditAction.INTAKE_LIST_VIEW: _l("Viewed the arrivals not registered"),
    AuditAction.ALERT_RETRY_ALL: _l("Sent all failed e-mails again"),
    AuditAction.ALERT_ACKNOWLEDGE: _l("Took an alert (Jeg har den)"),
    AuditAction.ON_CALL_SHIFT_CREATE: _l("Added a shift to the on-call rota"),
    AuditAction.ON_CALL_SHIFT_WITHDRAW: _l("Withdrew a shift from the on-call rota"),
}

AUDIT_OBJECT_LABELS = {
    "notification": _l("Case"),
    "notification_list": _l("List of cases"),
    "deadline": _l("Deadline"),
    "deadline_list": _l("Deadline list"),
    "dashboard": _l("Deadline list"),
    "user": _l("User"),
    "team": _l("Team"),
    "api_token": _l("API key"),
    "calendar": _l("Calendar feed"),
    "report": _l("Report"),
    "audit_log": _l("Access log"),
    "child_reference": _l("Child's case reference"),
    "rules": _l("Rules file"),
    "alert": _l("E-mail"),
    "settings": _l("Settings"),
    "intake_item": _l("Arrival"),
    "intake_list": _l("Arrivals not registered"),
    "on_call_shift": _l("On-call shift"),
}


def action_label(action: str) -> str:
    """Return the screen name of an action (as today's name), or "Other action"."""
    for key, text in AUDIT_ACTION_LABELS.items():
        if key == action:
            return str(text)
    return str(_l("Other action"))


def object_label(object_type: str | None) -> str:
    """Return the screen name of an audited object's type ("" for none)."""
    if not object_type:
        return ""
    text = AUDIT_OBJECT_LABELS.get(object_type)
    return str(text) if text is not None else str(_l("Other"))
