"""The simulated caseworkers and leaders of bench/load.py, and what they measure.

Each user is a thread with its own `requests` session on one of the two gunicorn
instances: it signs in through the login form, then until the end time picks an action
(weights below), waits a think time, and so on. Every request's time and status are
recorded under the page's name. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COMPLETE = re.compile(r'action="(/cases/\d+/deadlines/\d+/complete)"')
STEP = re.compile(r'name="step" value="([^"]+)"')
# Actions and their weights: a caseworker mostly works in cases, a leader on the dashboard.
CASEWORKER_ACTIONS = {"case_list": 2, "case": 5, "register": 1, "dashboard": 2}
LEADER_ACTIONS = {"dashboard": 5, "case_list": 1, "case": 2}
TIMEOUT = 60  # seconds: a request that takes longer counts as an error


@dataclass
class Stats:
    """Times (ms) and statuses per page; one per thread, merged at the end."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def merge(self, other: Stats) -> None:
        for page, values in other.times.items():
            self.times[page].extend(values)
        for page, counts in other.statuses.items():
            self.statuses[page].update(counts)


@dataclass
class Account:
    user_id: int
    email: str
    role: str
    team_id: int


def percentile(values: list[float], p: int) -> float:
    """Return the p-th percentile (1..99) of at least one value."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class User:
    """One simulated person on one instance."""

    def __init__(self, account: Account, base: str, password: str, cases: list[int], seed: int):
        self.account, self.base, self.password, self.cases = account, base, password, cases
        self.session = requests.Session()
        self.stats = Stats()
        self.rng = random.Random(seed)
        self.csrf = ""
        self.registered = 0

    def request(self, page: str, method: str, path: str, **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.RequestException as exc:
            self.stats.statuses[page][type(exc).__name__] += 1
            return None
        self.stats.times[page].append((time.perf_counter() - started) * 1000)
        self.stats.statuses[page][response.status_code] += 1
        return response

    def sign_in(self) -> bool:
        page = self.request("login_form", "GET", "/login")
        if page is None or page.status_code != 200:
            return False
        data = {"csrf_token": CSRF.search(page.text).group(1), "email": self.account.email}
        answer = self.request("login", "POST", "/login", data={**data, "password": self.password})
        if answer is None or answer.status_code != 302:
            return False
        home = self.request("dashboard", "GET", "/dashboard")
        found = CSRF.search(home.text) if home is not None else None
        self.csrf = found.group(1) if found else ""
        return bool(self.csrf)

    def run(self, until: float, think: float, static_path: str) -> None:
        actions = LEADER_ACTIONS if self.account.role == "leader" else CASEWORKER_ACTIONS
        names, weights = list(actions), list(actions.values())
        while time.time() < until:
            action = self.rng.choices(names, weights)[0]
            if action == "dashboard":
                self.request("dashboard", "GET", "/dashboard")
                # The static copy right after, so both are timed under the same load.
                self.request("static_page", "GET", static_path)
            elif action == "case_list":
                self.request("case_list", "GET", "/cases/")
            elif action == "case":
                self.open_case()
            elif action == "register":
                self.register()
            if think:
                pause = self.rng.uniform(0.5, 1.5) * think
                time.sleep(max(0.0, min(pause, until - time.time())))

    def open_case(self) -> None:
        if not self.cases:
            return
        case_id = self.rng.choice(self.cases)
        page = self.request("case", "GET", f"/cases/{case_id}")
        if page is None or page.status_code != 200:
            return
        roll = self.rng.random()
        if roll < 0.25:
            actions = COMPLETE.findall(page.text)
            if actions:
                self.complete(self.rng.choice(actions))
        elif roll < 0.5:
            steps = STEP.findall(page.text)
            if steps:
                local = datetime.now(COPENHAGEN)
                data = {
                    "csrf_token": self.csrf,
                    "step": self.rng.choice(steps),
                    "done_date": local.date().isoformat(),
                    "done_time": local.strftime("%H:%M"),
                }
                self.request("record_step", "POST", f"/cases/{case_id}/steps", data=data)

    def complete(self, action: str) -> None:
        local = datetime.now(COPENHAGEN)
        data = {
            "csrf_token": self.csrf,
            "completed_date": local.date().isoformat(),
            "completed_time": local.strftime("%H:%M"),
            "note": "",
        }
        self.request("complete_deadline", "POST", action, data=data)

    def register(self, page: str = "register") -> bool:
        form = self.request(f"{page}_form", "GET", "/cases/new") if page == "register" else None
        if form is not None and form.status_code != 200:
            return False
        answer = self.request(page, "POST", "/cases/new", data=self.registration())
        ok = answer is not None and answer.status_code == 302
        if ok:
            self.registered += 1
            location = answer.headers.get("Location", "")
            case = re.search(r"/cases/(\d+)", location)
            if case and page == "register":
                self.cases.append(int(case.group(1)))
        return ok

    def registration(self) -> dict[str, str]:
        local = datetime.now(COPENHAGEN)
        rng = self.rng
        notifier = rng.choice(["professional", "citizen", "anonymous"])
        return {
            "csrf_token": self.csrf,
            "received_date": local.date().isoformat(),
            "received_time": local.strftime("%H:%M"),
            "channel": rng.choice(["email", "phone", "letter", "digital_form"]),
            "notifier_kind": notifier,
            # An anonymous notifier has no contact details (the form refuses them).
            "notifier_contact": "" if notifier == "anonymous" else "Skolen, tlf. 12 34 56 78",
            "child_reference": f"LOAD-{rng.randrange(10**9)}",
            "cpr_number": "",
            "child_birth_date": "",
            "age_group": rng.choice(["0-5", "6-11", "12-14", "15-17"]),
            "concerns": rng.choice(["neglect", "violence", "school_absence"]),
            "summary": "Belastningstest: bekymring beskrevet i et par linjer. " * 3,
            "caseworker_id": str(self.account.user_id),
        }


def run_users(users: list[User], until: float, think: float, static_path: str) -> Stats:
    """Run every user in its own thread until `until`; return the merged figures."""
    threads = [
        threading.Thread(target=user.run, args=(until, think, static_path), daemon=True)
        for user in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, until - time.time()) + TIMEOUT + 5)
    merged = Stats()
    for user in users:
        merged.merge(user.stats)
    return merged


def burst(clients: int, seconds: float, work) -> tuple[int, int, float]:
    """Call `work(i)` from `clients` threads for `seconds`; return (ok, failed, elapsed)."""
    counts = Counter()
    lock = threading.Lock()
    until = time.time() + seconds

    def loop(i: int) -> None:
        ok = failed = 0
        while time.time() < until:
            if work(i):
                ok += 1
            else:
                failed += 1
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 5)
    return counts["ok"], counts["failed"], time.perf_counter() - started
