#!/usr/bin/env python3
"""Recompute every figure of FundingPortal's public transparency API from its public exports, and compare.

    python3 scripts/verify-public-figures.py BASE_URL          (for example http://127.0.0.1:5000)

docs/transparency.md is the specification this script follows, formula by formula. It downloads the exports (ledger,
pledges, installments, time entries, in-kind deliveries, CI usage) and the published figures (/api/public/summary, /tasks,
/sponsors, /ci-costs), recomputes each figure from the exports alone and prints one line per figure:

    ok    summary.balanceMinor = 123456
    DIFF  summary.moneyPerMonth[2026-10].inMinor published 5000 recomputed 4000

and, last, "N of M figures match". The first line, exports.ledger.inconsistentLines, checks the ledger export itself: its
`month` and `reversed_kind` columns (which every flow figure reads) against `occurred_at` and the reversed line. Exit code 0 when every figure matches, 1 when any differs (or an export cannot be
read), 2 when the site cannot be reached. Of the published JSON only the summary's `asOf` (which fixes "today" and "this
month"), `currency` (the base currency) and `honouredGraceDays` (the grace period after which an installment counts towards
an honoured rate, an admin's setting) are inputs; everything else is recomputed.

Standard library only and no code shared with the portal, so that anyone can read it next to the specification and run it.
Numbers are exact throughout: money as integers of minor units, sums of the exports' decimals as Decimal (which is set
to raise rather than round), quotients as fractions; each figure is rounded once, half away from zero, exactly where the
specification says.
"""

import argparse
import csv
import io
import json
import re
import sys
import urllib.error
import urllib.request
from datetime import date, timedelta
from decimal import Decimal, Inexact, InvalidOperation, Rounded, getcontext, localcontext
from fractions import Fraction

# ----------------------------------------------------------------------------------------------------------------------
# Names. Every export and JSON field this script reads is named here, so that a rename in the portal is a one-line change.
# ----------------------------------------------------------------------------------------------------------------------

# Export file (under /api/public/) and the columns read from it (others may be present and are ignored); a tuple lists
# alternatives, of which one must be present.
EXPORTS = {
    "ledger": ("ledger.csv", ["id", "occurred_at", "month", "kind", "reverses_id", "reversed_kind", "fund", "fund_kind",
                              "task_slug", "counterparty", "amount", "currency"]),
    "pledges": ("pledges.csv", ["id", "task_slug", "sponsor", "kind", "status", "frequency", "amount_per_period",
                                "currency"]),
    "installments": ("installments.csv", ["id", "pledge_id", "due_date", "unit", "asked", "delivered", "status"]),
    "time": ("time-entries.csv", ["id", "task_slug", "sponsor", ("hours", "minutes"), "status"]),
    "in_kind": ("in-kind.csv", ["id", "value", "currency", "status"]),
    "ci": ("ci-usage.csv", ["month", "provider", "project", "job", "status", "is_retry", "currency", "runs", "minutes",
                            "list_price", "paid"]),
}

# Engineer time: docs/transparency.md writes it in hours (time-entries `hours`, installment `unit` "hours"); the portal's
# exports since commit 588d9c5 write minutes (`minutes`, unit "minutes"). Either is read, as minutes per unit.
MINUTES_PER = {"hours": 60, "minutes": 1}

# The published figures: name used in the output -> path under /api/public/.
PUBLISHED = {
    "summary": "summary",
    "tasks": "tasks",
    "sponsors": "sponsors",
    "ci-costs": "ci-costs",
    "ci-costs?groupBy=month": "ci-costs?groupBy=month",
    "ci-costs?groupBy=provider": "ci-costs?groupBy=provider",
    "ci-costs?groupBy=job": "ci-costs?groupBy=job",
}

# JSON field names (camelCase of the portal's records). A field that is, or may be, spelled in more than one way lists
# every spelling; the first one present wins. Fields not listed here are looked up under their own name.
JSON_NAMES = {
    "label": ("label", "name", "sponsor"),      # a sponsor's public label ("Acme", "Anonymous sponsor 17", "Undisclosed")
    "taskSlug": ("taskSlug", "slug"),
    "money": ("minorUnits",),                   # inside a Money object
    "hours": ("minutes",),                      # inside an Hours object
}

# ----------------------------------------------------------------------------------------------------------------------
# Rules of docs/transparency.md.
# ----------------------------------------------------------------------------------------------------------------------

MONTHS_SHOWN = 12          # "the last twelve months": this month and the eleven before it
SPEND_WINDOW = 3           # "the three full months before this month"
LATEST_LINES = 20
ACCEPTED = {"Active", "Paused", "Fulfilled", "PartiallyFulfilled", "Lapsed"}
RUNNING = {"Active", "Paused"}                                   # pledges whose outstanding money is "committed"
NOT_COUNTED = {"Cancelled", "Paused"}                            # installments left out of pledged hours, values, rates
OUTSTANDING = {"Scheduled", "PartiallyFulfilled", "Failed"}      # installments whose rest is still committed
GIVING = {"Contribution", "Refund"}                              # the kinds that make up what a sponsor gave
CI_WASTE = {"Cancelled", "TimedOut"}
PER_YEAR = {"Monthly": 12, "Quarterly": 4, "Yearly": 1}
UNDISCLOSED = "Undisclosed"
ANONYMOUS = re.compile(r"Anonymous sponsor \d+")
# Digits after the decimal point (ISO 4217); a currency not listed gets as many as the export wrote.
EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}
TWO_DECIMALS = {"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "INR", "CNY", "SGD",
                "HKD", "BRL", "MXN", "ZAR", "ILS", "HUF"}

# Sums of the exports' decimals must be exact: 80 digits, and an inexact Decimal operation raises instead of rounding.
getcontext().prec = 80
getcontext().traps[Inexact] = getcontext().traps[Rounded] = True

MISSING = type("Missing", (), {"__repr__": lambda self: "(missing)"})()


class ExportError(Exception):
    """An export or a JSON answer that cannot be read as the specification describes."""


class Unreachable(Exception):
    """The site did not answer (connection refused, time-out, DNS, or an HTTP error status)."""


# ----------------------------------------------------------------------------------------------------------------------
# Exact arithmetic.
# ----------------------------------------------------------------------------------------------------------------------

def round_half_away(value, places=0):
    """The one rounding rule: half away from zero. An int for places=0, else a Decimal with that many places."""
    value = Fraction(value)
    scaled = abs(value) * 10 ** places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    whole = -whole if value < 0 else whole
    return whole if places == 0 else Decimal(whole).scaleb(-places)


def number(text, where):
    """A CSV number as an exact Decimal; an empty cell is zero (e.g. the hours of a money pledge)."""
    text = text.strip()
    try:
        value = Decimal(text or "0")
    except InvalidOperation:
        raise ExportError(f"{where}: {text!r} is not a number") from None
    if not value.is_finite():
        raise ExportError(f"{where}: {text!r} is not a number")
    return value


def exponent(currency, text=""):
    if currency in EXPONENTS:
        return EXPONENTS[currency]
    if currency in TWO_DECIMALS:
        return 2
    return len(text.strip().partition(".")[2])


def to_minor(text, currency, where):
    """Major units as written in the CSV to minor units; money in the exports is always a whole number of minor units."""
    value = number(text, where).scaleb(exponent(currency, text))
    if value != value.to_integral_value():
        raise ExportError(f"{where}: {text} {currency} is not a whole number of minor units")
    return int(value)


def to_minutes(minutes):
    """An exact sum of minutes (60 × a sum of hours) as the whole minutes the JSON publishes."""
    return round_half_away(minutes)


def average(total):
    """The average per month over the spend window, rounded to the minor unit."""
    return round_half_away(Fraction(total, SPEND_WINDOW))


def runway(balance, net_spend):
    """Months the balance lasts at a monthly net spend (money out less money in); null ("not shrinking") when income covers spend."""
    return None if net_spend <= 0 else round_half_away(Fraction(max(0, balance), net_spend), 1)


def share(part, total):
    return Decimal(0) if total == 0 else round_half_away(Fraction(part, total), 4)


def honoured_rate(installments, counts_through):
    """Mean of min(1, delivered ÷ asked) over the installments past their grace period; null when none is due yet.

    An installment counts once its due date plus the grace days is before today, that is when its due date is on or before
    counts_through (today − grace − 1 day; see Context)."""
    due = [i for i in installments
           if i["due_date"][:10] <= counts_through and i["status"] not in NOT_COUNTED and i["asked_n"] > 0]
    if not due:
        return None
    # Exact fractions over a million installments are slow (the denominators grow), so take the mean to 60 digits first:
    # its error is below 1e-40, so unless it lies that close to a rounding tie it rounds as the exact mean does.
    with localcontext() as approximate:
        approximate.prec, approximate.traps[Inexact], approximate.traps[Rounded] = 60, False, False
        mean = sum(min(Decimal(1), i["delivered_n"] / i["asked_n"]) for i in due) / len(due)
        distance_to_tie = abs((mean.scaleb(4) % 1) - Decimal("0.5"))
    if distance_to_tie > Decimal("1e-40"):
        return round_half_away(mean, 4)
    exact = sum(min(Fraction(1), Fraction(i["delivered_n"]) / Fraction(i["asked_n"])) for i in due) / len(due)
    return round_half_away(exact, 4)


def group(items, key):
    """Rows grouped by a key, so that per-sponsor and per-task figures read each row once (not once per sponsor)."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def add_months(month, count):
    """'2026-10' plus count months."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def is_listed(label):
    """A sponsor listed by name, as opposed to an anonymous one or the hidden counterparties."""
    return label != UNDISCLOSED and not ANONYMOUS.fullmatch(label)


# ----------------------------------------------------------------------------------------------------------------------
# Downloading and reading.
# ----------------------------------------------------------------------------------------------------------------------

def fetch(base, path, timeout):
    url = f"{base}/api/public/{path}"
    request = urllib.request.Request(url, headers={"User-Agent": "verify-public-figures"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise Unreachable(f"GET {url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Unreachable(f"cannot reach {url}: {getattr(error, 'reason', error)}") from None


def unguard(cell):
    """Undoes the exports' spreadsheet guard: text starting with = + - @ tab or CR gets a leading apostrophe."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r" else cell


def read_csv(body, name, columns):
    # Read as a stream from the downloaded bytes, and share repeated cells (statuses, units, dates, labels) between rows:
    # the full-scale exports have about a million installments.
    reader = csv.DictReader(io.TextIOWrapper(io.BytesIO(body), encoding="utf-8-sig", newline=""))
    present = reader.fieldnames or []
    missing = [" or ".join(c) if isinstance(c, tuple) else c for c in columns
               if not any(a in present for a in (c if isinstance(c, tuple) else (c,)))]
    if missing:
        raise ExportError(f"{name} has no column {', '.join(missing)}")
    kept = [a for c in columns for a in (c if isinstance(c, tuple) else (c,)) if a in present]
    return [{c: sys.intern(unguard(row[c] or "")) for c in kept} for row in reader]


def read_json(body, name):
    try:
        return json.loads(body.decode("utf-8-sig"), parse_float=Decimal)   # decimals stay exact (0.1235 is 0.1235)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"{name} is not JSON: {error}") from None


class Exports:
    """The six exports, each row a dict of its columns, with the numbers the figures need parsed once."""

    def __init__(self, bodies):
        rows = {}
        for key, (file, columns) in EXPORTS.items():
            rows[key] = read_csv(bodies[key], file, columns)
            bodies[key] = None                           # the parsed rows replace the download
        self.ledger, self.pledges, self.installments = rows["ledger"], rows["pledges"], rows["installments"]
        self.time, self.in_kind, self.ci = rows["time"], rows["in_kind"], rows["ci"]
        self.pledge = {p["id"]: p for p in self.pledges}
        self._read_ledger()
        for i in self.installments:
            where = f"installments.csv id {i['id']}"
            i["asked_n"], i["delivered_n"] = number(i["asked"], where), number(i["delivered"], where)
            i["asked_minutes"] = i["asked_n"] * MINUTES_PER[i["unit"]] if i["unit"] in MINUTES_PER else None
            i["pledge"] = self.pledge.get(i["pledge_id"], {})
        for t in self.time:
            unit = "hours" if "hours" in t else "minutes"
            t["minutes_n"] = number(t[unit], f"time-entries.csv id {t['id']}") * MINUTES_PER[unit]
        self.balance = sum(line["minor"] for line in self.ledger)
        self.flow_in, self.flow_out = self._flows()

    def _read_ledger(self):
        by_id = {line["id"]: line for line in self.ledger}
        for line in self.ledger:
            line["minor"] = to_minor(line["amount"], line["currency"], f"ledger.csv id {line['id']}")
            line["month"] = line["month"][:7]
        for line in self.ledger:
            # The side of a reversal is the side of the line it reverses (a voided contribution is negative money in).
            basis = line["minor"]
            if line["reverses_id"]:
                reversed_line = by_id.get(line["reverses_id"])
                basis = reversed_line["minor"] if reversed_line else -line["minor"]
            line["side"] = "in" if basis > 0 else "out" if basis < 0 else None

    def _flows(self):
        """Money in and out per month a line counts in; transfers between funds and their reversals are neither."""
        flow_in, flow_out = {}, {}
        for line in self.ledger:
            if line["reversed_kind"] == "Transfer" or line["side"] is None:
                continue
            if line["side"] == "in":
                flow_in[line["month"]] = flow_in.get(line["month"], 0) + line["minor"]
            else:
                flow_out[line["month"]] = flow_out.get(line["month"], 0) - line["minor"]
        return flow_in, flow_out

    def spend(self, months):
        return average(sum(self.flow_out.get(m, 0) for m in months))

    def income(self, months):
        return average(sum(self.flow_in.get(m, 0) for m in months))


class Context:
    """'Today', 'this month' and the base currency, fixed by the summary's asOf and currency."""

    def __init__(self, summary):
        as_of, currency, grace = get(summary, "asOf"), get(summary, "currency"), get(summary, "honouredGraceDays")
        try:
            today = date.fromisoformat(str(as_of)[:10])
        except ValueError:
            raise ExportError(f"the summary's asOf {as_of!r} is not a date") from None
        if not isinstance(grace, int) or isinstance(grace, bool) or grace < 0:
            raise ExportError(f"the summary's honouredGraceDays {grace!r} is not a whole number of days")
        self.today = today.isoformat()
        # The last due date an honoured rate counts: due date + grace days strictly before today.
        self.counts_through = (today - timedelta(days=grace + 1)).isoformat()
        self.currency = currency
        self.this_month = self.today[:7]
        self.shown = [add_months(self.this_month, i - MONTHS_SHOWN + 1) for i in range(MONTHS_SHOWN)]
        self.window = [add_months(self.this_month, -i) for i in range(SPEND_WINDOW, 0, -1)]


# ----------------------------------------------------------------------------------------------------------------------
# Reading the published JSON and comparing.
# ----------------------------------------------------------------------------------------------------------------------

def get(obj, name):
    if not isinstance(obj, dict):
        return MISSING
    for spelling in JSON_NAMES.get(name, (name,)):
        if spelling in obj:
            return obj[spelling]
    return MISSING


def money(value):
    """A Money object's minor units (a plain number is taken as it is)."""
    return get(value, "money") if isinstance(value, dict) else value


def minutes(value):
    """An Hours object's minutes (a plain number is taken as it is)."""
    return get(value, "hours") if isinstance(value, dict) else value


def rows(value):
    return value if isinstance(value, list) else []


def month_of(value):
    return str(value)[:7]    # a DateOnly "2026-10-01" or a month "2026-10"


def same(published, recomputed):
    if published is MISSING or recomputed is MISSING:
        return False
    if isinstance(published, bool) or isinstance(recomputed, bool):
        return published is recomputed
    return published == recomputed     # int, Decimal and str compare exactly (Decimal("7.30") == Decimal("7.3"))


def show(value):
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if value is MISSING else str(value)


class Report:
    def __init__(self):
        self.matched = self.total = 0

    def check(self, name, published, recomputed, detail=""):
        self.total += 1
        if same(published, recomputed):
            self.matched += 1
            print(f"ok    {name} = {show(recomputed)}")
        else:
            print(f"DIFF  {name} published {show(published)} recomputed {show(recomputed)}{detail}")

    def rows(self, prefix, published, recomputed, fields=None, absent=MISSING):
        """One check per row and field. A row on one side only differs, unless absent is given (a sum of nothing: 0)."""
        for key in list(recomputed) + [k for k in published if k not in recomputed]:
            mine, theirs = recomputed.get(key), published.get(key)
            names = fields or list(dict.fromkeys(list(mine or {}) + list(theirs or {})))
            for field in names:
                rec = mine.get(field, absent) if mine is not None else absent
                pub = theirs.get(field, absent) if theirs is not None else absent
                self.check(f"{prefix}[{key}].{field}", pub, rec)


# ----------------------------------------------------------------------------------------------------------------------
# The figures, one function per group of docs/transparency.md.
# ----------------------------------------------------------------------------------------------------------------------

def check_ledger_columns(report, ex, pub, ctx):
    """Every figure trusts the ledger's month and reversed_kind columns, so check them first against occurred_at and the
    reversed line (a reversal counts in the month of the line it reverses, as its kind), and that the ledger is in the base
    currency."""
    by_id = {line["id"]: line for line in ex.ledger}
    bad = []
    for line in ex.ledger:
        target = by_id.get(line["reverses_id"], line) if line["reverses_id"] else line
        problems = [what for what, wrong in (
            ("reversed line missing", line["reverses_id"] and line["reverses_id"] not in by_id),
            ("month", line["month"] != target["occurred_at"][:7]),
            ("reversed_kind", line["reversed_kind"] != target["kind"]),
            ("currency", line["currency"] != ctx.currency)) if wrong]
        if problems:
            bad.append(f"{line['id']} ({', '.join(problems)})")
    report.check("exports.ledger.inconsistentLines", 0, len(bad), f": {'; '.join(bad[:10])}" if bad else "")


def check_balances(report, ex, pub, ctx):
    summary = pub["summary"]
    report.check("summary.balanceMinor", get(summary, "balanceMinor"), ex.balance)
    # The funds shown are the central fund and every public task's (the tasks list says which tasks are public).
    public_slugs = {get(t, "taskSlug") for t in rows(pub["tasks"])}
    recomputed = {}
    for line in ex.ledger:
        if line["fund_kind"] == "Central" or line["task_slug"] in public_slugs:
            key = line["task_slug"] or line["fund"]
            recomputed.setdefault(key, {"balanceMinor": 0})["balanceMinor"] += line["minor"]
    published = {}
    for fund in rows(get(summary, "funds")):
        slug = get(fund, "taskSlug")
        key = slug if slug not in (None, MISSING, "") else get(fund, "name")
        published[key] = {"balanceMinor": get(fund, "balanceMinor")}
        recomputed.setdefault(key, {"balanceMinor": 0})    # a public fund without any line has a balance of 0
    report.rows("summary.funds", published, recomputed)


def check_flows_and_runway(report, ex, pub, ctx):
    summary = pub["summary"]
    recomputed = {m: {"inMinor": ex.flow_in.get(m, 0), "outMinor": ex.flow_out.get(m, 0)} for m in ctx.shown}
    published = {month_of(get(r, "month")): {"inMinor": get(r, "inMinor"), "outMinor": get(r, "outMinor")}
                 for r in rows(get(summary, "moneyPerMonth"))}
    report.rows("summary.moneyPerMonth", published, recomputed)

    spend, income = ex.spend(ctx.window), ex.income(ctx.window)
    report.check("summary.monthlySpendMinor", get(summary, "monthlySpendMinor"), spend)
    report.check("summary.monthlyIncomeMinor", get(summary, "monthlyIncomeMinor"), income)
    report.check("summary.runwayMonths", get(summary, "runwayMonths"), runway(ex.balance, spend - income))

    # The runway at the end of each month shown: the balance then, over the net spend of the three months up to it
    # (for this month, which is not over, the spend window).
    months = set(ex.flow_in) | set(ex.flow_out)
    recomputed = {}
    for month in ctx.shown:
        later = sum(ex.flow_in.get(m, 0) - ex.flow_out.get(m, 0) for m in months if m > month)
        balance = ex.balance - later
        window = ctx.window if month == ctx.this_month else [add_months(month, -i) for i in range(SPEND_WINDOW - 1, -1, -1)]
        point_spend, point_income = ex.spend(window), ex.income(window)
        recomputed[month] = {"balanceMinor": balance, "monthlySpendMinor": point_spend, "monthlyIncomeMinor": point_income,
                             "months": runway(balance, point_spend - point_income)}
    published = {month_of(get(r, "month")): {f: get(r, f) for f in ("balanceMinor", "monthlySpendMinor", "monthlyIncomeMinor", "months")}
                 for r in rows(get(summary, "runwayLine"))}
    report.rows("summary.runwayLine", published, recomputed)


def check_recurring(report, ex, pub, ctx):
    per_year, count = {}, {}
    for p in ex.pledges:
        if p["kind"] == "Money" and p["status"] == "Active" and p["frequency"] in PER_YEAR:
            amount = to_minor(p["amount_per_period"], p["currency"], f"pledges.csv id {p['id']}")
            per_year[p["currency"]] = per_year.get(p["currency"], 0) + amount * PER_YEAR[p["frequency"]]
            count[p["currency"]] = count.get(p["currency"], 0) + 1
    recomputed = {c: {"perMonthMinor": round_half_away(Fraction(per_year[c], 12)), "pledges": count[c]}
                  for c in sorted(per_year)}
    published = {get(r, "currency"): {"perMonthMinor": get(r, "perMonthMinor"), "pledges": get(r, "pledges")}
                 for r in rows(get(pub["summary"], "recurringPerMonth"))}
    report.rows("summary.recurringPerMonth", published, recomputed, absent=0)


def pledged_minutes(installments):
    """60 × Σ asked of the hour installments of accepted pledges, cancelled and paused installments left out."""
    return sum((i["asked_minutes"] for i in installments
                if i["asked_minutes"] is not None and i["pledge"].get("status") in ACCEPTED and i["status"] not in NOT_COUNTED),
               Decimal(0))


def confirmed_minutes(entries):
    return sum((t["minutes_n"] for t in entries if t["status"] == "Confirmed"), Decimal(0))


def check_hours_and_honoured(report, ex, pub, ctx):
    summary = pub["summary"]
    report.check("summary.hoursPledgedMinutes", get(summary, "hoursPledgedMinutes"), to_minutes(pledged_minutes(ex.installments)))
    report.check("summary.hoursDeliveredMinutes", get(summary, "hoursDeliveredMinutes"), to_minutes(confirmed_minutes(ex.time)))
    report.check("summary.honouredRate", get(summary, "honouredRate"), honoured_rate(ex.installments, ctx.counts_through))


def check_in_kind(report, ex, pub, ctx):
    recomputed = {}

    def row(currency):
        return recomputed.setdefault(currency, {"pledgedValueMinor": 0, "deliveredValueMinor": 0, "pledges": 0})

    for i in ex.installments:
        if i["pledge"].get("kind") == "Infrastructure" and i["pledge"].get("status") in ACCEPTED and i["status"] not in NOT_COUNTED:
            row(i["unit"])["pledgedValueMinor"] += to_minor(i["asked"], i["unit"], f"installments.csv id {i['id']}")
    for k in ex.in_kind:
        if k["status"] == "Confirmed":
            row(k["currency"])["deliveredValueMinor"] += to_minor(k["value"], k["currency"], f"in-kind.csv id {k['id']}")
    for p in ex.pledges:
        if p["kind"] == "Infrastructure" and p["status"] in ACCEPTED:
            row(p["currency"])["pledges"] += 1
    published = {get(r, "currency"): {f: get(r, f) for f in ("pledgedValueMinor", "deliveredValueMinor", "pledges")}
                 for r in rows(get(pub["summary"], "inKind"))}
    report.rows("summary.inKind", published, dict(sorted(recomputed.items())), absent=0)


def check_latest_ledger(report, ex, pub, ctx):
    latest = list(reversed(ex.ledger[-LATEST_LINES:]))     # the export is oldest first
    recomputed = {n: {"id": int(line["id"]) if line["id"].isdigit() else line["id"], "amountMinor": line["minor"]}
                  for n, line in enumerate(latest)}
    published = {n: {"id": get(r, "id"), "amountMinor": get(r, "amountMinor")}
                 for n, r in enumerate(rows(get(pub["summary"], "latestLedger")))}
    report.rows("summary.latestLedger", published, recomputed)


def given(lines):
    """Σ amount per sponsor label over the lines with a counterparty whose (reversed) kind is Contribution or Refund."""
    totals = {}
    for line in lines:
        if line["counterparty"] and line["reversed_kind"] in GIVING:
            totals[line["counterparty"]] = totals.get(line["counterparty"], 0) + line["minor"]
    return totals


def check_concentration(report, ex, pub, ctx):
    published = get(pub["summary"], "concentration")
    last_year = set(ctx.shown)
    sponsors = {k: v for k, v in given(l for l in ex.ledger if l["month"] in last_year).items() if v > 0}
    ordered = sorted(sponsors.items(), key=lambda s: (-s[1], s[0]))
    total = sum(sponsors.values())
    running = for_80 = 0
    for _, amount in ordered:
        if total == 0 or running * 10 >= total * 8:
            break
        running += amount
        for_80 += 1
    spend, income = ex.spend(ctx.window), ex.income(ctx.window)

    def runway_with(monthly_income):
        return runway(ex.balance, spend - monthly_income)

    report.check("summary.concentration.lastYearMinor", get(published, "lastYearMinor"), total)
    report.check("summary.concentration.topShare", get(published, "topShare"), share(sum(a for _, a in ordered[:1]), total))
    report.check("summary.concentration.topThreeShare", get(published, "topThreeShare"), share(sum(a for _, a in ordered[:3]), total))
    report.check("summary.concentration.sponsorsFor80Percent", get(published, "sponsorsFor80Percent"), for_80)
    report.check("summary.concentration.runwayWithEveryoneMonths", get(published, "runwayWithEveryoneMonths"), runway_with(income))
    left = rows(get(published, "ifSponsorLeft"))
    report.check("summary.concentration.ifSponsorLeft.order", " | ".join(str(get(r, "label")) for r in left),
                 " | ".join(label for label, _ in ordered))
    recomputed = {label: {"lastYearMinor": amount, "share": share(amount, total),
                          "runwayAfterMonths": runway_with(max(0, income - round_half_away(Fraction(amount, 12))))}
                  for label, amount in ordered}
    report.rows("summary.concentration.ifSponsorLeft", {get(r, "label"): {f: get(r, f) for f in
                ("lastYearMinor", "share", "runwayAfterMonths")} for r in left}, recomputed)


def check_sponsors(report, ex, pub, ctx):
    money_given = given(ex.ledger)
    hours = {}
    for t in ex.time:
        if t["status"] == "Confirmed":
            hours[t["sponsor"]] = hours.get(t["sponsor"], Decimal(0)) + t["minutes_n"]
    labels = {s for s, v in money_given.items() if v != 0} | {s for s, v in hours.items() if v > 0}
    # Listed sponsors first, then anonymous ones and Undisclosed; within each, largest given first, then by label.
    ordered = sorted(labels, key=lambda s: (not is_listed(s), -money_given.get(s, 0), s))
    installments = group(ex.installments, lambda i: i["pledge"].get("sponsor"))
    recomputed = {s: {"givenMinor": money_given.get(s, 0), "hoursDeliveredMinutes": to_minutes(hours.get(s, 0)),
                      "honouredRate": honoured_rate(installments.get(s, []), ctx.counts_through)}
                  for s in ordered}
    published = rows(pub["sponsors"])
    report.check("sponsors.order", " | ".join(str(get(r, "label")) for r in published), " | ".join(ordered))
    report.rows("sponsors", {get(r, "label"): {f: get(r, f) for f in ("givenMinor", "hoursDeliveredMinutes", "honouredRate")}
                             for r in published}, recomputed)


def task_funding(lines, installments, entries):
    """One task's funding from its fund's ledger lines, the installments of the pledges to it, and its time entries."""
    received = sum(l["minor"] for l in lines if l["reversed_kind"] in GIVING)
    committed = {}
    for i in installments:
        p = i["pledge"]
        if p.get("kind") == "Money" and p.get("status") in RUNNING and i["status"] in OUTSTANDING:
            rest = max(0, to_minor(i["asked"], i["unit"], f"installments.csv id {i['id']}")
                       - to_minor(i["delivered"], i["unit"], f"installments.csv id {i['id']}"))
            committed[i["unit"]] = committed.get(i["unit"], 0) + rest
    row = {"funding.received": received}
    row.update({f"funding.committed[{c}]": committed[c] for c in sorted(committed)})
    row["funding.hoursPledged"] = to_minutes(pledged_minutes(installments))
    row["funding.hoursDelivered"] = to_minutes(confirmed_minutes(entries))
    return row


def check_tasks(report, ex, pub, ctx):
    published, recomputed = {}, {}
    lines = group(ex.ledger, lambda l: l["task_slug"])
    installments = group(ex.installments, lambda i: i["pledge"].get("task_slug"))
    entries = group(ex.time, lambda t: t["task_slug"])
    for task in rows(pub["tasks"]):
        slug, funding = get(task, "taskSlug"), get(task, "funding")
        row = {"funding.received": money(get(funding, "received"))}
        row.update({f"funding.committed[{get(m, 'currency')}]": money(m) for m in rows(get(funding, "committed"))})
        row["funding.hoursPledged"] = minutes(get(funding, "hoursPledged"))
        row["funding.hoursDelivered"] = minutes(get(funding, "hoursDelivered"))
        published[slug] = row
        recomputed[slug] = task_funding(lines.get(slug, []), installments.get(slug, []), entries.get(slug, []))
        # Money committed in a currency on one side only is a sum of nothing on the other: 0.
        for key in set(row) | set(recomputed[slug]):
            if key.startswith("funding.committed["):
                row.setdefault(key, 0)
                recomputed[slug].setdefault(key, 0)
    report.rows("tasks", published, recomputed)


def ci_groups(ex, months, key_of):
    """CI usage summed per group: money (six decimals) rounded to the minor unit after summing, minutes exact."""
    sums = {}
    for r in ex.ci:
        if r["month"][:7] not in months:
            continue
        where = f"ci-usage.csv {r['month']} {r['provider']} {r['project']} {r['job']}"
        wasted = r["status"] in CI_WASTE or r["is_retry"].strip().lower() in ("true", "1", "yes")
        s = sums.setdefault(key_of(r) + (r["currency"],), {"runs": 0, "minutes": Decimal(0), "list": Decimal(0),
                                                            "paid": Decimal(0), "waste": Decimal(0), "wasteMinutes": Decimal(0)})
        s["runs"] += int(number(r["runs"], where))
        s["minutes"] += number(r["minutes"], where)
        s["list"] += number(r["list_price"], where)
        s["paid"] += number(r["paid"], where)
        if wasted:
            s["waste"] += number(r["paid"], where)
            s["wasteMinutes"] += number(r["minutes"], where)
    result = {}
    for key in sorted(sums):
        s, digits = sums[key], exponent(key[-1])
        result[", ".join(key)] = {"runs": s["runs"], "minutes": s["minutes"],
                                  "listMinor": round_half_away(s["list"].scaleb(digits)),
                                  "paidMinor": round_half_away(s["paid"].scaleb(digits)),
                                  "wasteMinor": round_half_away(s["waste"].scaleb(digits)), "wasteMinutes": s["wasteMinutes"]}
    return result


def check_ci(report, ex, pub, ctx):
    months = set(ctx.shown)      # the summary's ciSpend and the ci-costs default range: the last twelve months
    spend_fields = ["listMinor", "paidMinor", "wasteMinor", "minutes", "wasteMinutes"]
    recomputed = {k: {f: v[f] for f in spend_fields} for k, v in ci_groups(ex, months, lambda r: (r["month"][:7], r["provider"])).items()}
    published = {f"{month_of(get(r, 'month'))}, {get(r, 'provider')}, {get(r, 'currency')}": {f: get(r, f) for f in spend_fields}
                 for r in rows(get(pub["summary"], "ciSpend"))}
    report.rows("summary.ciSpend", published, recomputed)

    cost_fields = ["runs", "minutes", "listMinor", "paidMinor", "wasteMinor", "wasteMinutes"]
    groupings = {"ci-costs": lambda r: (r["month"][:7],), "ci-costs?groupBy=month": lambda r: (r["month"][:7],),
                 "ci-costs?groupBy=provider": lambda r: (r["provider"],),
                 "ci-costs?groupBy=job": lambda r: (f"{r['project']} / {r['job']}",)}
    for name, key_of in groupings.items():
        published = {f"{get(r, 'group')}, {get(r, 'currency')}": {f: get(r, f) for f in cost_fields} for r in rows(pub[name])}
        report.rows(name, published, ci_groups(ex, months, key_of))


CHECKS = [check_ledger_columns, check_balances, check_flows_and_runway, check_recurring, check_hours_and_honoured,
          check_in_kind, check_latest_ledger, check_concentration, check_sponsors, check_tasks, check_ci]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Recompute FundingPortal's public figures from its public exports.")
    parser.add_argument("base_url", metavar="BASE_URL", help="the portal, e.g. http://127.0.0.1:5000")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for each download (default 60)")
    args = parser.parse_args(argv)
    base = args.base_url.rstrip("/")
    try:
        bodies = {key: fetch(base, file, args.timeout) for key, (file, _) in EXPORTS.items()}
        answers = {name: fetch(base, path, args.timeout) for name, path in PUBLISHED.items()}
    except Unreachable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        published = {name: read_json(text, f"/api/public/{PUBLISHED[name]}") for name, text in answers.items()}
        context = Context(published["summary"])
        exports = Exports(bodies)
        del bodies
        report = Report()
        for check in CHECKS:
            check(report, exports, published, context)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{report.matched} of {report.total} figures match")
    return 0 if report.matched == report.total else 1


if __name__ == "__main__":
    sys.exit(main())
