#!/usr/bin/env python3
"""Self-test of scripts/verify-public-figures.py, standard library only, no portal needed.

    python3 scripts/verify-public-figures-selftest.py

Serves a tiny, consistent set of exports and the figures the portal should publish for them (worked out by hand from
docs/transparency.md, written below as literal numbers with the reasoning beside them, never computed by the verifier) on
127.0.0.1, and checks that:
  1. the verifier finds every figure matching and exits 0, with engineer time in hours (as docs/transparency.md says) and
     in minutes (as the portal's exports write it);
  2. with one published number (or export cell) changed, it prints the DIFF line(s) for it and exits 1;
  3. with an export missing (HTTP 404) or nothing listening, it prints one error line and exits 2.

The fixture's "today" is 2026-11-15: this month is 2026-11, the twelve months shown are 2025-12 … 2026-11 and the spend
window is 2026-08, 2026-09 and 2026-10. It has: a contribution (Globex, September) reversed in October; a transfer reversed
(and one that stays); a hidden payment shown as Undisclosed (contribution, fee, and the pledge it paid); an anonymous sponsor;
a paused time pledge; a paused and a cancelled money pledge; JPY (0 decimals) and KWD (3 decimals) amounts; CI rows with
cancelled, timed-out and retried runs and a month outside the range.
"""

import copy
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
from urllib.parse import urlsplit

VERIFIER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify-public-figures.py")

EXPORTS = {
    # Balance: Σ of all 22 amounts = 530392 cents. Central 489367, faster-ci 33475, arm-runners 7550.
    "ledger.csv": """\
id,occurred_at,month,kind,reverses_id,reversed_kind,payment_id,fund,fund_kind,task_slug,counterparty,amount,currency
1,2025-11-20T08:00:00Z,2025-11,Contribution,,Contribution,101,Central,Central,,Globex,600.00,USD
2,2026-06-03T10:00:00Z,2026-06,Contribution,,Contribution,102,Central,Central,,Acme Corp,3000.00,USD
3,2026-07-10T09:00:00Z,2026-07,Contribution,,Contribution,103,Central,Central,,Anonymous sponsor 17,1200.00,USD
4,2026-07-10T09:00:01Z,2026-07,Fee,,Fee,103,Central,Central,,Anonymous sponsor 17,-36.31,USD
5,2026-08-05T12:00:00Z,2026-08,Expense,,Expense,,Central,Central,,,-800.00,USD
6,2026-08-20T15:00:00Z,2026-08,Contribution,,Contribution,104,Faster CI,Task,faster-ci,Undisclosed,500.00,USD
7,2026-08-20T15:00:01Z,2026-08,Fee,,Fee,104,Faster CI,Task,faster-ci,Undisclosed,-15.25,USD
8,2026-09-01T09:30:00Z,2026-09,Contribution,,Contribution,105,Central,Central,,Globex,1000.00,USD
9,2026-09-12T11:00:00Z,2026-09,Transfer,,Transfer,,Central,Central,,,-400.00,USD
10,2026-09-12T11:00:00Z,2026-09,Transfer,,Transfer,,Faster CI,Task,faster-ci,,400.00,USD
11,2026-09-25T16:00:00Z,2026-09,Expense,,Expense,,Faster CI,Task,faster-ci,,-350.00,USD
12,2026-10-02T10:00:00Z,2026-09,Reversal,8,Contribution,105,Central,Central,,Globex,-1000.00,USD
13,2026-10-03T10:00:00Z,2026-09,Reversal,9,Transfer,,Central,Central,,,400.00,USD
14,2026-10-03T10:00:00Z,2026-09,Reversal,10,Transfer,,Faster CI,Task,faster-ci,,-400.00,USD
15,2026-10-10T10:00:00Z,2026-10,Transfer,,Transfer,,Central,Central,,,-200.00,USD
16,2026-10-10T10:00:00Z,2026-10,Transfer,,Transfer,,Faster CI,Task,faster-ci,,200.00,USD
17,2026-10-15T10:00:00Z,2026-10,Expense,,Expense,,Central,Central,,,-900.02,USD
18,2026-10-20T10:00:00Z,2026-10,Refund,,Refund,102,Central,Central,,Acme Corp,-100.00,USD
19,2026-10-21T10:00:00Z,2026-10,Contribution,,Contribution,106,Central,Central,,Globex,250.00,USD
20,2026-11-02T10:00:00Z,2026-11,Contribution,,Contribution,107,Central,Central,,Acme Corp,2000.00,USD
21,2026-11-05T10:00:00Z,2026-11,Expense,,Expense,,Central,Central,,,-120.00,USD
22,2026-11-06T10:00:00Z,2026-11,Contribution,,Contribution,108,Arm runners,Task,arm-runners,Anonymous sponsor 17,75.50,USD
""",
    "pledges.csv": """\
id,fund,task_slug,sponsor,kind,status,frequency,start_date,end_date,period_count,amount_per_period,hours_per_period,currency,infrastructure_kind
1,Central,,Acme Corp,Money,Active,Monthly,2026-10-01,,,1000.00,,USD,
2,Central,,Globex,Money,Active,Quarterly,2026-10-01,,,250.01,,EUR,
3,Central,,Anonymous sponsor 17,Money,Active,Yearly,2026-07-01,,,100000,,JPY,
4,Faster CI,faster-ci,Undisclosed,Money,Fulfilled,OneOff,2026-08-20,,1,500.00,,USD,
5,Faster CI,faster-ci,Globex,EngineerTime,Active,Monthly,2026-09-01,2027-02-28,6,,10.50,,
6,Arm runners,arm-runners,Acme Corp,EngineerTime,Paused,Monthly,2026-08-01,,,,8.00,,
7,Central,,Acme Corp,Infrastructure,Active,Monthly,2026-09-01,2026-11-30,3,120.500,,KWD,Build servers
8,Faster CI,faster-ci,Acme Corp,Money,Cancelled,Monthly,2026-05-01,,,300.00,,USD,
9,Faster CI,faster-ci,Globex,Money,Paused,Monthly,2026-09-01,,,50.00,,EUR,
10,Central,,Globex,Money,Active,Yearly,2027-01-01,,,99.90,,USD,
11,Arm runners,arm-runners,Globex,Infrastructure,Cancelled,OneOff,2026-07-01,,1,500.00,,GBP,ARM machines
12,Arm runners,arm-runners,Anonymous sponsor 17,Money,Active,OneOff,2026-12-01,,1,75000,,JPY,
""",
    "installments.csv": """\
id,pledge_id,sequence,period_start,period_end,due_date,unit,asked,delivered,status
1,1,1,2026-10-01,2026-10-31,2026-10-05,USD,1000.00,1000.00,Fulfilled
2,1,2,2026-11-01,2026-11-30,2026-11-05,USD,1000.00,400.00,PartiallyFulfilled
3,1,3,2026-12-01,2026-12-31,2026-12-05,USD,1000.00,0.00,Scheduled
4,2,1,2026-10-01,2026-12-31,2026-10-01,EUR,250.01,0.00,Failed
5,3,1,2026-07-01,2027-06-30,2026-07-01,JPY,100000,100000,Fulfilled
6,4,1,2026-08-20,2026-08-20,2026-08-20,USD,500.00,500.00,Fulfilled
7,5,1,2026-09-01,2026-09-30,2026-09-30,hours,10.50,7.00,PartiallyFulfilled
8,5,2,2026-10-01,2026-10-31,2026-10-31,hours,10.50,12.25,Fulfilled
9,5,3,2026-11-01,2026-11-30,2026-11-30,hours,10.50,0.00,Scheduled
10,6,1,2026-08-01,2026-08-31,2026-08-31,hours,8.00,8.00,Fulfilled
11,6,2,2026-09-01,2026-09-30,2026-09-30,hours,8.00,0.00,Paused
12,7,1,2026-09-01,2026-09-30,2026-09-30,KWD,120.500,120.500,Fulfilled
13,7,2,2026-10-01,2026-10-31,2026-10-31,KWD,120.500,60.250,PartiallyFulfilled
14,7,3,2026-11-01,2026-11-30,2026-11-30,KWD,120.500,0.000,Scheduled
15,8,1,2026-05-01,2026-05-31,2026-05-31,USD,300.00,300.00,Fulfilled
16,8,2,2026-06-01,2026-06-30,2026-06-30,USD,300.00,0.00,Cancelled
17,9,1,2026-09-01,2026-09-30,2026-09-30,EUR,50.00,20.00,PartiallyFulfilled
18,9,2,2026-10-01,2026-10-31,2026-10-31,EUR,50.00,0.00,Failed
19,9,3,2026-11-01,2026-11-30,2026-11-30,EUR,50.00,0.00,Paused
20,10,1,2027-01-01,2027-12-31,2027-01-01,USD,99.90,0.00,Scheduled
21,11,1,2026-07-01,2026-07-01,2026-07-01,GBP,500.00,0.00,Cancelled
22,12,1,2026-12-01,2026-12-01,2026-12-01,JPY,75000,0,Scheduled
""",
    "time-entries.csv": """\
id,pledge_id,date,fund,task_slug,sponsor,hours,status
1,5,2026-09-20,Faster CI,faster-ci,Globex,7.00,Confirmed
2,5,2026-10-15,Faster CI,faster-ci,Globex,12.25,Confirmed
3,5,2026-11-03,Faster CI,faster-ci,Globex,2.50,Submitted
4,6,2026-08-15,Arm runners,arm-runners,Acme Corp,8.00,Confirmed
5,6,2026-09-02,Arm runners,arm-runners,Acme Corp,1.25,Rejected
""",
    "in-kind.csv": """\
id,pledge_id,delivered_on,fund,task_slug,sponsor,infrastructure_kind,value,currency,status
1,7,2026-09-30,Central,,Acme Corp,Build servers,120.500,KWD,Confirmed
2,7,2026-10-31,Central,,Acme Corp,Build servers,60.250,KWD,Confirmed
3,7,2026-11-10,Central,,Acme Corp,Build servers,10.000,KWD,Submitted
""",
    "ci-usage.csv": """\
month,provider,project,job,status,is_retry,currency,runs,duration_seconds,minutes,list_price,paid
2025-10,GitHub Actions,portal,build,Succeeded,false,USD,1,60,1,0.008000,0.008000
2026-10,GitHub Actions,portal,build,Succeeded,false,USD,40,24000,412.5,3.300000,3.300000
2026-10,GitHub Actions,portal,build,Cancelled,false,USD,3,900,15.25,0.122000,0.122000
2026-10,GitHub Actions,portal,test,Failed,true,USD,5,1500,25.125,0.201000,0.201000
2026-10,Buildkite,portal,e2e,Succeeded,false,USD,4,3600,60,0.504999,0.254999
2026-11,GitHub Actions,portal,build,Succeeded,false,USD,10,6000,100,0.805000,0.805000
2026-11,Buildkite,portal,e2e,TimedOut,false,USD,2,7200,120,1.000005,0.500005
2026-11,Hetzner,infra,deploy,Succeeded,false,EUR,6,1800,30,0.000000,1.225000
""",
}


# The same engineer time as the portal's exports write it (commit 588d9c5): minutes, and installments in unit "minutes".
# docs/transparency.md says hours; the verifier reads either, so every figure must still match.
IN_MINUTES = {
    "time-entries.csv": """\
id,pledge_id,date,fund,task_slug,sponsor,minutes,status
1,5,2026-09-20,Faster CI,faster-ci,Globex,420,Confirmed
2,5,2026-10-15,Faster CI,faster-ci,Globex,735,Confirmed
3,5,2026-11-03,Faster CI,faster-ci,Globex,150,Submitted
4,6,2026-08-15,Arm runners,arm-runners,Acme Corp,480,Confirmed
5,6,2026-09-02,Arm runners,arm-runners,Acme Corp,75,Rejected
""",
    "installments.csv": EXPORTS["installments.csv"]
    .replace("hours,10.50,7.00,", "minutes,630,420,").replace("hours,10.50,12.25,", "minutes,630,735,")
    .replace("hours,10.50,0.00,", "minutes,630,0,").replace("hours,8.00,8.00,", "minutes,480,480,")
    .replace("hours,8.00,0.00,", "minutes,480,0,"),
}
assert "hours" not in IN_MINUTES["installments.csv"]


def month_flows():
    # Non-transfer lines by the month they count in. September: Globex +1000 and its October reversal −1000 (side in,
    # counted in September) cancel; the transfers 9/10 and their reversals 13/14 are not flows; expense 11 is out.
    # October out: 900.02 + refund 100.00. November in: 2000.00 + 75.50.
    nonzero = {"2026-06": (300000, 0), "2026-07": (120000, 3631), "2026-08": (50000, 80000 + 1525),
               "2026-09": (0, 35000), "2026-10": (25000, 100002), "2026-11": (207550, 12000)}
    months = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]
    return [{"month": f"{m}-01", "inMinor": nonzero.get(m, (0, 0))[0], "outMinor": nonzero.get(m, (0, 0))[1]} for m in months]


def runway_line():
    # Balance at the end of m = 530392 − Σ net of later months (nets: Jun +300000, Jul +116369, Aug −31525, Sep −35000,
    # Oct −75002, Nov +195550). Spend = round(out of m−2..m ÷ 3); November uses the spend window (Aug..Oct).
    points = [(f"{m}-01", 60000, 0, None) for m in ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]]
    points += [("2026-06-01", 360000, 0, None),
               ("2026-07-01", 476369, 1210, 393.7),      # 3631 ÷ 3 = 1210.33; 476369 ÷ 1210 = 393.69
               ("2026-08-01", 444844, 28385, 15.7),      # 85156 ÷ 3 = 28385.33; 15.67
               ("2026-09-01", 409844, 40052, 10.2),      # 120156 ÷ 3 = 40052; 10.23
               ("2026-10-01", 334842, 72176, 4.6),       # 216527 ÷ 3 = 72175.67 → 72176; 4.64
               ("2026-11-01", 530392, 72176, 7.3)]       # 7.35 → 7.3
    return [{"month": m, "balanceMinor": b, "monthlySpendMinor": s, "months": r} for m, b, s, r in points]


def ci_row(month, provider, currency, list_minor, paid, waste, minutes, waste_minutes):
    return {"month": f"{month}-01", "provider": provider, "currency": currency, "listMinor": list_minor, "paidMinor": paid,
            "wasteMinor": waste, "minutes": minutes, "wasteMinutes": waste_minutes}


def cost_row(group, currency, runs, minutes, list_minor, paid, waste, waste_minutes):
    return {"group": group, "currency": currency, "runs": runs, "minutes": minutes, "listMinor": list_minor, "paidMinor": paid,
            "wasteMinor": waste, "wasteMinutes": waste_minutes}


def money(minor, currency):
    return {"minorUnits": minor, "currency": currency, "isZero": minor == 0}


def hours(minutes):
    return {"minutes": minutes, "totalHours": minutes / 60}


SUMMARY = {
    "currency": "USD",
    "asOf": "2026-11-15T12:00:00.1234567Z",
    "balanceMinor": 530392,
    "funds": [{"name": "Central", "kind": "Central", "taskSlug": None, "balanceMinor": 489367},
              {"name": "Faster CI", "kind": "Task", "taskSlug": "faster-ci", "balanceMinor": 33475},
              {"name": "Arm runners", "kind": "Task", "taskSlug": "arm-runners", "balanceMinor": 7550}],
    "moneyPerMonth": month_flows(),
    "monthlySpendMinor": 72176,                     # (81525 + 35000 + 100002) ÷ 3 = 72175.67
    "runwayMonths": 7.3,                            # 530392 ÷ 72176 = 7.35
    "runwayLine": runway_line(),
    "recurringPerMonth": [
        {"currency": "EUR", "perMonthMinor": 8334, "pledges": 1},      # 25001 × 4 ÷ 12 = 8333.67
        {"currency": "JPY", "perMonthMinor": 8333, "pledges": 1},      # 100000 ÷ 12 = 8333.33
        {"currency": "USD", "perMonthMinor": 100833, "pledges": 2},    # (100000 × 12 + 9990) ÷ 12 = 100832.5, half up
    ],
    "concentration": {
        # Last twelve months, Contribution/Refund lines: Acme 300000 − 10000 + 200000 = 490000; Anonymous sponsor 17
        # 120000 + 7550 = 127550; Undisclosed 50000; Globex 100000 − 100000 + 25000 = 25000 (its 2025-11 line is older).
        "lastYearMinor": 692550,
        "topShare": 0.7075,
        "topThreeShare": 0.9639,                    # 667550 ÷ 692550
        "sponsorsFor80Percent": 2,                  # 490000 < 554040 ≤ 617550
        "runwayWithEveryoneMonths": 11.2,           # income (50000 + 0 + 25000) ÷ 3 = 25000; 530392 ÷ 47176 = 11.24
        "ifSponsorLeft": [
            {"name": "Acme Corp", "lastYearMinor": 490000, "share": 0.7075, "runwayAfterMonths": 7.3},  # income 0
            {"name": "Anonymous sponsor 17", "lastYearMinor": 127550, "share": 0.1842, "runwayAfterMonths": 9.2},  # 25000 − 10629
            {"name": "Undisclosed", "lastYearMinor": 50000, "share": 0.0722, "runwayAfterMonths": 10.3},  # 25000 − 4167
            {"name": "Globex", "lastYearMinor": 25000, "share": 0.0361, "runwayAfterMonths": 10.8},       # 25000 − 2083
        ],
    },
    "hoursPledgedMinutes": 2370,                    # 10.5 × 3 + 8 (the paused installment left out) = 39.5 h
    "hoursDeliveredMinutes": 1635,                  # 7 + 12.25 + 8 = 27.25 h
    "honouredRate": 0.6897,                         # (1 + .4 + 0 + 1 + 1 + 2/3 + 1 + 1 + 1 + .5 + 1 + .4 + 0) ÷ 13
    "inKind": [{"currency": "KWD", "pledgedValueMinor": 361500, "deliveredValueMinor": 180750, "pledges": 1}],
    "ciSpend": [
        ci_row("2026-10", "Buildkite", "USD", 50, 25, 0, 60, 0),
        ci_row("2026-10", "GitHub Actions", "USD", 362, 362, 32, 452.875, 40.375),
        ci_row("2026-11", "Buildkite", "USD", 100, 50, 50, 120, 120),
        ci_row("2026-11", "GitHub Actions", "USD", 81, 81, 0, 100, 0),      # 80.5 cents, half up
        ci_row("2026-11", "Hetzner", "EUR", 0, 123, 0, 30, 0),              # 122.5 cents, half up
    ],
    # The last 20 lines, newest first (ids 22 … 3).
    "latestLedger": [{"id": i, "occurredAt": "2026-01-01T00:00:00Z", "kind": "Contribution", "fund": "Central",
                      "counterparty": None, "amountMinor": a}
                     for i, a in [(22, 7550), (21, -12000), (20, 200000), (19, 25000), (18, -10000), (17, -90002),
                                  (16, 20000), (15, -20000), (14, -40000), (13, 40000), (12, -100000), (11, -35000),
                                  (10, 40000), (9, -40000), (8, 100000), (7, -1525), (6, 50000), (5, -80000),
                                  (4, -3631), (3, 120000)]],
}

TASKS = [
    {"slug": "faster-ci", "title": "Faster CI", "status": "Funding",
     "funding": {"goal": money(500000, "USD"), "received": money(50000, "USD"),
                 "committed": [money(8000, "EUR")],                         # 30.00 + 50.00 (the paused one left out)
                 "hoursGoal": hours(6000), "hoursDelivered": hours(1155), "hoursPledged": hours(1890), "receivedPercent": 10.0},
     "dueDate": None, "issueUrl": None},
    {"slug": "arm-runners", "title": "Arm runners", "status": "Funding",
     "funding": {"goal": money(100000, "USD"), "received": money(7550, "USD"), "committed": [money(75000, "JPY")],
                 "hoursGoal": hours(0), "hoursDelivered": hours(480), "hoursPledged": hours(480), "receivedPercent": 7.55},
     "dueDate": "2027-03-01", "issueUrl": None},
]

SPONSORS = [
    {"name": "Acme Corp", "listed": True, "givenMinor": 490000, "hoursDeliveredMinutes": 480, "honouredRate": 0.8167,
     "website": "https://acme.example"},                                   # 4.9 ÷ 6
    {"name": "Globex", "listed": True, "givenMinor": 85000, "hoursDeliveredMinutes": 1155, "honouredRate": 0.4133,
     "website": None},                                                     # (0 + 2/3 + 1 + .4 + 0) ÷ 5
    {"name": "Anonymous sponsor 17", "listed": False, "givenMinor": 127550, "hoursDeliveredMinutes": 0, "honouredRate": 1,
     "website": None},
    {"name": "Undisclosed", "listed": False, "givenMinor": 50000, "hoursDeliveredMinutes": 0, "honouredRate": 1.0, "website": None},
]

CI_BY_MONTH = [cost_row("2026-10", "USD", 52, 512.875, 413, 388, 32, 40.375),
               cost_row("2026-11", "USD", 12, 220, 181, 131, 50, 120),
               cost_row("2026-11", "EUR", 6, 30, 0, 123, 0, 0)]
CI_BY_PROVIDER = [cost_row("GitHub Actions", "USD", 58, 552.875, 443, 443, 32, 40.375),
                  cost_row("Buildkite", "USD", 6, 180, 151, 76, 50, 120),
                  cost_row("Hetzner", "EUR", 6, 30, 0, 123, 0, 0)]
CI_BY_JOB = [cost_row("portal / build", "USD", 53, 527.75, 423, 423, 12, 15.25),
             cost_row("portal / e2e", "USD", 6, 180, 151, 76, 50, 120),
             cost_row("portal / test", "USD", 5, 25.125, 20, 20, 20, 25.125),
             cost_row("infra / deploy", "EUR", 6, 30, 0, 123, 0, 0)]


def site(summary):
    """Every URL the verifier reads -> body."""
    files = {f"/api/public/{name}": text.encode() for name, text in EXPORTS.items()}
    for path, value in {"summary": summary, "tasks": TASKS, "sponsors": SPONSORS, "ci-costs": CI_BY_MONTH,
                        "ci-costs?groupBy=month": CI_BY_MONTH, "ci-costs?groupBy=provider": CI_BY_PROVIDER,
                        "ci-costs?groupBy=job": CI_BY_JOB}.items():
        files[f"/api/public/{path}"] = json.dumps(value).encode()
    return files


def serve(files):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            body = files.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/csv" if self.path.endswith(".csv") else "application/json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def verify(base):
    return subprocess.run([sys.executable, VERIFIER, base], capture_output=True, text=True, timeout=120)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def altered(change):
    """The site with one change: change(summary, files) edits a copy of the published summary and the served files."""
    summary = copy.deepcopy(SUMMARY)
    files = site(summary)
    change(summary, files)
    files["/api/public/summary"] = json.dumps(summary).encode()
    return files


def set_field(path, value):
    def change(summary, files):
        target = summary
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


def edit_export(name, old, new):
    def change(summary, files):
        text = files[f"/api/public/{name}"].decode()
        assert old in text, old
        files[f"/api/public/{name}"] = text.replace(old, new).encode()
    return change


def drop_sponsor(label):
    def change(summary, files):
        files["/api/public/sponsors"] = json.dumps([s for s in SPONSORS if s["name"] != label]).encode()
    return change


# One published number (or export cell) changed -> the DIFF line(s) the verifier must print.
MUTATIONS = [
    ("a month's money out", set_field(["moneyPerMonth", 10, "outMinor"], 100001),
     ["DIFF  summary.moneyPerMonth[2026-10].outMinor published 100001 recomputed 100002"]),
    ("the monthly spend truncated instead of rounded", set_field(["monthlySpendMinor"], 72175),
     ["DIFF  summary.monthlySpendMinor published 72175 recomputed 72176"]),
    ("a share", set_field(["concentration", "ifSponsorLeft", 2, "share"], 0.0721),
     ["DIFF  summary.concentration.ifSponsorLeft[Undisclosed].share published 0.0721 recomputed 0.0722"]),
    ("a sponsor missing", drop_sponsor("Undisclosed"),
     ["DIFF  sponsors[Undisclosed].givenMinor published (missing) recomputed 50000"]),
    # The reversal of Globex's September contribution booked in its own month: the export is inconsistent, and the
    # figures that read the month column move (September in 0 -> 100000, October in 25000 -> -75000).
    ("a reversal counted in its own month", edit_export("ledger.csv", "2026-10-02T10:00:00Z,2026-09,", "2026-10-02T10:00:00Z,2026-10,"),
     ["DIFF  exports.ledger.inconsistentLines published 0 recomputed 1: 12 (month)",
      "DIFF  summary.moneyPerMonth[2026-09].inMinor published 0 recomputed 100000",
      "DIFF  summary.moneyPerMonth[2026-10].inMinor published 25000 recomputed -75000"]),
]


def main():
    failures = []

    def expect(condition, message, output=""):
        print(("pass  " if condition else "FAIL  ") + message)
        if not condition:
            failures.append(message)
            print(output)

    server, base = serve(site(SUMMARY))
    try:
        result = verify(base)
        lines = result.stdout.strip().splitlines()
        last = lines[-1] if lines else ""
        total = len(lines) - 1
        expect(result.returncode == 0 and last == f"{total} of {total} figures match" and total > 150
               and not any(l.startswith("DIFF") for l in lines),
               f"all figures match: {last!r}, exit {result.returncode}", result.stdout + result.stderr)
    finally:
        server.shutdown()
        server.server_close()

    files = site(SUMMARY)
    files.update({f"/api/public/{name}": text.encode() for name, text in IN_MINUTES.items()})
    server, base = serve(files)
    try:
        result = verify(base)
        last = (result.stdout.strip().splitlines() or [""])[-1]
        expect(result.returncode == 0 and last == f"{total} of {total} figures match",
               f"engineer time in minutes (the portal's exports): {last!r}, exit {result.returncode}", result.stdout + result.stderr)
    finally:
        server.shutdown()
        server.server_close()

    for description, change, diffs in MUTATIONS:
        server, base = serve(altered(change))
        try:
            result = verify(base)
            lines = result.stdout.strip().splitlines()
            found = [l for l in lines if l.startswith("DIFF")]
            match = re.fullmatch(r"(\d+) of (\d+) figures match", lines[-1] if lines else "")
            expect(result.returncode == 1 and all(d in lines for d in diffs) and match is not None
                   and int(match[2]) - int(match[1]) == len(found) > 0,
                   f"{description}: {len(found)} DIFF line(s), {lines[-1] if lines else ''!r}, exit {result.returncode}",
                   "\n".join(found) + result.stderr)
        finally:
            server.shutdown()
        server.server_close()

    files = site(SUMMARY)
    del files["/api/public/in-kind.csv"]
    server, base = serve(files)
    try:
        result = verify(base)
        expect(result.returncode == 2 and "HTTP 404" in result.stderr and not result.stdout,
               f"an export missing: exit {result.returncode}, {result.stderr.strip()!r}", result.stdout + result.stderr)
    finally:
        server.shutdown()
        server.server_close()

    result = verify(f"http://127.0.0.1:{free_port()}")
    expect(result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and not result.stdout,
           f"site not reachable: exit {result.returncode}, {result.stderr.strip()!r}", result.stdout + result.stderr)

    print("self-test: " + ("passed" if not failures else f"{len(failures)} failed"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
