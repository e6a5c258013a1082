using System.Linq.Expressions;

using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.Web.Features.CiCosts;

/// <summary>Usage figures added up: runs, minutes (raw and quota), credits, list-price value and the amount actually paid (millionths).</summary>
public sealed record CiFigures(long Runs, long DurationSeconds, decimal RawMinutes, decimal QuotaMinutes, decimal Credits, long ListMicros, long PaidMicros);

/// <summary>One line of a spend report. The keys a report does not group by are null.</summary>
public sealed record CiSpendRow(DateOnly? Month, int? ProviderId, string? Provider, string? Project, string? Job, string Currency, CiFigures Figures)
{
    public Money List => CiAmounts.ToMoney(Figures.ListMicros, Currency);

    public Money Paid => CiAmounts.ToMoney(Figures.PaidMicros, Currency);
}

/// <summary>The months imported usage covers: the first and the last month with any record.</summary>
public sealed record CiDataRange(DateOnly First, DateOnly Last);

public enum CiSpendGrouping
{
    MonthAndProvider,
    Provider,
    Project,
    Job,
}

/// <summary>
/// Minutes and money lost on runs that produced nothing: cancelled, timed out, and failed runs that were retried. A retried
/// run counts once, under its own status when that is cancelled or timed out, otherwise as a retry.
/// </summary>
public sealed record CiWasteRow(DateOnly Month, int ProviderId, string Provider, string Currency,
    long CancelledRuns, decimal CancelledMinutes, long CancelledMicros,
    long TimedOutRuns, decimal TimedOutMinutes, long TimedOutMicros,
    long RetriedRuns, decimal RetriedMinutes, long RetriedMicros,
    decimal AllMinutes, long AllMicros)
{
    public decimal WastedMinutes => CancelledMinutes + TimedOutMinutes + RetriedMinutes;

    public long WastedMicros => CancelledMicros + TimedOutMicros + RetriedMicros;
}

/// <summary>One month of one job's run times in seconds (runs that ended: succeeded, failed or timed out).</summary>
public sealed record CiDurationSpread(DateOnly Month, long Runs, decimal MedianSeconds, decimal P95Seconds, long MaxSeconds);

public enum CiLimitSource
{
    Configured,
    LongestTimedOutRun,
}

/// <summary>A job whose longest completed run reached the share of its time limit that counts as close, or that timed out.</summary>
public sealed record CiNearTimeoutRow(int ProviderId, string Provider, string Project, string Job, long Runs, long LongestCompletedSeconds, long TimedOutRuns,
    long LimitSeconds, CiLimitSource LimitSource)
{
    public decimal PercentOfLimit => LimitSeconds == 0 ? 0 : decimal.Round(LongestCompletedSeconds * 100m / LimitSeconds, 1);
}

public enum CiBudgetState
{
    Under,
    Warning,
    Over,
}

public sealed record CiBudgetRow(DateOnly Month, int ProviderId, string Provider, Money Budget, int AlertThresholdPercent, long ActualMicros)
{
    public Money Actual => CiAmounts.ToMoney(ActualMicros, Budget.Currency);

    public decimal PercentUsed => Budget.MinorUnits == 0 ? 0 : decimal.Round(ActualMicros * 100m / CiAmounts.ToMicros(Budget), 1);

    /// <summary>Warning from the threshold (inclusive), over from the full budget (exclusive: spending exactly the budget is fine).</summary>
    public CiBudgetState State =>
        ActualMicros > CiAmounts.ToMicros(Budget) ? CiBudgetState.Over
        : ActualMicros * 100 >= CiAmounts.ToMicros(Budget) * AlertThresholdPercent ? CiBudgetState.Warning
        : CiBudgetState.Under;
}

/// <summary>What usage says a provider's month cost, next to what its invoices (expenses linked to the provider and month) billed.</summary>
public sealed record CiBillRow(DateOnly Month, int ProviderId, string Provider, string Currency, long EstimatedMicros, long BilledMinor, int Bills)
{
    public Money Estimated => CiAmounts.ToMoney(EstimatedMicros, Currency);

    public Money Billed => new(BilledMinor, Currency);

    public Money Difference => Billed - Estimated;
}

/// <summary>
/// The CI cost reports. Every figure is added up in the database: spend, waste, budgets and bills from the monthly roll-up
/// (<c>CiUsageMonths</c>); only the per-job duration spread and the near-timeout list read usage records, through the
/// (provider, project, job, start) index and a date range. Plain methods over a context, so the public page can reuse them.
/// </summary>
public static class CiCostQueries
{
    private static IQueryable<CiUsageMonth> Months(AppDbContext db, CiPeriod period)
    {
        var (first, last, providerId) = (period.First, period.Last, period.ProviderId);
        var months = db.CiUsageMonths.AsNoTracking().Where(m => m.Month >= first && m.Month <= last);
        return providerId is { } id ? months.Where(m => m.ProviderId == id) : months;
    }

    private static async Task<Dictionary<int, string>> ProviderNamesAsync(AppDbContext db, CancellationToken cancellationToken) =>
        await db.CiProviders.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);

    /// <summary>The first and last month with imported usage (of one provider, if given), from the monthly roll-up; null before any import.</summary>
    public static async Task<CiDataRange?> DataRangeAsync(AppDbContext db, int? providerId, CancellationToken cancellationToken = default)
    {
        var months = db.CiUsageMonths.Where(m => providerId == null || m.ProviderId == providerId);
        var first = await months.MinAsync(m => (DateOnly?)m.Month, cancellationToken);
        var last = await months.MaxAsync(m => (DateOnly?)m.Month, cancellationToken);
        return first is { } f && last is { } l ? new CiDataRange(f, l) : null;
    }

    public static async Task<IReadOnlyList<CiSpendRow>> SpendAsync(AppDbContext db, CiPeriod period, CiSpendGrouping grouping, int limit = 1000,
        CancellationToken cancellationToken = default)
    {
        Expression<Func<CiUsageMonth, SpendKey>> key = grouping switch
        {
            // Every member is set in every key (null where the report does not group by it), so EF can order by any of them.
            CiSpendGrouping.MonthAndProvider => m => new SpendKey { Month = m.Month, ProviderId = m.ProviderId, Project = null, Job = null, Currency = m.Currency },
            CiSpendGrouping.Provider => m => new SpendKey { Month = null, ProviderId = m.ProviderId, Project = null, Job = null, Currency = m.Currency },
            CiSpendGrouping.Project => m => new SpendKey { Month = null, ProviderId = m.ProviderId, Project = m.Project, Job = null, Currency = m.Currency },
            _ => m => new SpendKey { Month = null, ProviderId = m.ProviderId, Project = m.Project, Job = m.JobName, Currency = m.Currency },
        };
        var totals = Months(db, period).GroupBy(key).Select(g => new SpendTotals
        {
            Key = g.Key,
            Runs = g.Sum(m => m.Runs),
            DurationSeconds = g.Sum(m => m.DurationSeconds),
            RawMinutes = g.Sum(m => m.RawMinutes),
            QuotaMinutes = g.Sum(m => m.QuotaMinutes),
            Credits = g.Sum(m => m.Credits),
            ListMicros = g.Sum(m => m.ListAmountMicros),
            PaidMicros = g.Sum(m => m.PaidAmountMicros),
        });
        totals = grouping == CiSpendGrouping.MonthAndProvider
            ? totals.OrderBy(t => t.Key.Month).ThenBy(t => t.Key.ProviderId).ThenBy(t => t.Key.Currency)
            : totals.OrderByDescending(t => t.PaidMicros).ThenByDescending(t => t.ListMicros).ThenBy(t => t.Key.ProviderId)
                .ThenBy(t => t.Key.Project).ThenBy(t => t.Key.Job);
        var rows = await totals.Take(limit).ToListAsync(cancellationToken);
        var names = await ProviderNamesAsync(db, cancellationToken);
        return rows.Select(t => new CiSpendRow(t.Key.Month, t.Key.ProviderId, names.GetValueOrDefault(t.Key.ProviderId, ""), t.Key.Project, t.Key.Job,
            t.Key.Currency, new CiFigures(t.Runs, t.DurationSeconds, t.RawMinutes, t.QuotaMinutes, t.Credits, t.ListMicros, t.PaidMicros))).ToList();
    }

    private sealed class SpendKey
    {
        public DateOnly? Month { get; init; }

        public int ProviderId { get; init; }

        public string? Project { get; init; }

        public string? Job { get; init; }

        public string Currency { get; init; } = "";
    }

    private sealed class SpendTotals
    {
        public required SpendKey Key { get; init; }

        public long Runs { get; init; }

        public long DurationSeconds { get; init; }

        public decimal RawMinutes { get; init; }

        public decimal QuotaMinutes { get; init; }

        public decimal Credits { get; init; }

        public long ListMicros { get; init; }

        public long PaidMicros { get; init; }
    }

    /// <summary>The jobs that cost the most money actually paid in the period (list-price value breaks ties, so free minutes still rank).</summary>
    public static Task<IReadOnlyList<CiSpendRow>> MostExpensiveJobsAsync(AppDbContext db, CiPeriod period, int top = 10, CancellationToken cancellationToken = default) =>
        SpendAsync(db, period, CiSpendGrouping.Job, top, cancellationToken);

    public static async Task<IReadOnlyList<CiWasteRow>> WasteAsync(AppDbContext db, CiPeriod period, CancellationToken cancellationToken = default)
    {
        var names = await ProviderNamesAsync(db, cancellationToken);
        var rows = await Months(db, period)
            .GroupBy(m => new { m.Month, m.ProviderId, m.Currency })
            .Select(g => new
            {
                g.Key,
                CancelledRuns = g.Sum(m => m.Status == CiJobStatus.Cancelled ? m.Runs : 0),
                CancelledMinutes = g.Sum(m => m.Status == CiJobStatus.Cancelled ? m.RawMinutes : 0m),
                CancelledMicros = g.Sum(m => m.Status == CiJobStatus.Cancelled ? m.PaidAmountMicros : 0),
                TimedOutRuns = g.Sum(m => m.Status == CiJobStatus.TimedOut ? m.Runs : 0),
                TimedOutMinutes = g.Sum(m => m.Status == CiJobStatus.TimedOut ? m.RawMinutes : 0m),
                TimedOutMicros = g.Sum(m => m.Status == CiJobStatus.TimedOut ? m.PaidAmountMicros : 0),
                RetriedRuns = g.Sum(m => m.IsRetry && m.Status != CiJobStatus.Cancelled && m.Status != CiJobStatus.TimedOut ? m.Runs : 0),
                RetriedMinutes = g.Sum(m => m.IsRetry && m.Status != CiJobStatus.Cancelled && m.Status != CiJobStatus.TimedOut ? m.RawMinutes : 0m),
                RetriedMicros = g.Sum(m => m.IsRetry && m.Status != CiJobStatus.Cancelled && m.Status != CiJobStatus.TimedOut ? m.PaidAmountMicros : 0),
                AllMinutes = g.Sum(m => m.RawMinutes),
                AllMicros = g.Sum(m => m.PaidAmountMicros),
            })
            .OrderBy(r => r.Key.Month).ThenBy(r => r.Key.ProviderId).ThenBy(r => r.Key.Currency)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CiWasteRow(r.Key.Month, r.Key.ProviderId, names.GetValueOrDefault(r.Key.ProviderId, ""), r.Key.Currency,
            r.CancelledRuns, r.CancelledMinutes, r.CancelledMicros, r.TimedOutRuns, r.TimedOutMinutes, r.TimedOutMicros,
            r.RetriedRuns, r.RetriedMinutes, r.RetriedMicros, r.AllMinutes, r.AllMicros)).ToList();
    }

    /// <summary>Budgets in the period with what the provider's usage cost (paid) in the budget's currency that month.</summary>
    public static async Task<IReadOnlyList<CiBudgetRow>> BudgetsAsync(AppDbContext db, CiPeriod period, CancellationToken cancellationToken = default)
    {
        var (first, last, providerId) = (period.First, period.Last, period.ProviderId);
        var names = await ProviderNamesAsync(db, cancellationToken);
        var budgets = db.Budgets.AsNoTracking().Where(b => b.ProviderId != null && b.Month >= first && b.Month <= last);
        if (providerId is { } id)
        {
            budgets = budgets.Where(b => b.ProviderId == id);
        }
        var actuals = Months(db, period).GroupBy(m => new { m.ProviderId, m.Month, m.Currency })
            .Select(g => new { g.Key.ProviderId, g.Key.Month, g.Key.Currency, Paid = g.Sum(m => m.PaidAmountMicros) });
        var rows = await (from budget in budgets
                          join actual in actuals on new { ProviderId = budget.ProviderId!.Value, budget.Month, budget.Currency }
                              equals new { actual.ProviderId, actual.Month, actual.Currency } into joined
                          from actual in joined.DefaultIfEmpty()
                          orderby budget.Month, budget.ProviderId
                          select new { budget.Month, ProviderId = budget.ProviderId!.Value, budget.AmountMinor, budget.Currency, budget.AlertThresholdPercent, Paid = (long?)actual.Paid })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CiBudgetRow(r.Month, r.ProviderId, names.GetValueOrDefault(r.ProviderId, ""), new Money(r.AmountMinor, r.Currency),
            r.AlertThresholdPercent, r.Paid ?? 0)).ToList();
    }

    /// <summary>Per provider and month: the usage estimate (amount paid) and the sum of the CI bills recorded as expenses (not rejected).</summary>
    public static async Task<IReadOnlyList<CiBillRow>> BillsAsync(AppDbContext db, CiPeriod period, CancellationToken cancellationToken = default)
    {
        var (first, last, providerId) = (period.First, period.Last, period.ProviderId);
        var names = await ProviderNamesAsync(db, cancellationToken);
        var estimates = await Months(db, period).GroupBy(m => new { m.ProviderId, m.Month, m.Currency })
            .Select(g => new { g.Key.ProviderId, g.Key.Month, g.Key.Currency, Paid = g.Sum(m => m.PaidAmountMicros) })
            .ToListAsync(cancellationToken);
        var expenses = db.Expenses.AsNoTracking()
            .Where(e => e.CiProviderId != null && e.BillingMonth != null && e.BillingMonth >= first && e.BillingMonth <= last && e.Status != ExpenseStatus.Rejected);
        if (providerId is { } id)
        {
            expenses = expenses.Where(e => e.CiProviderId == id);
        }
        var bills = await expenses.GroupBy(e => new { ProviderId = e.CiProviderId!.Value, Month = e.BillingMonth!.Value, e.Currency })
            .Select(g => new { g.Key.ProviderId, g.Key.Month, g.Key.Currency, Billed = g.Sum(e => e.AmountMinor), Bills = g.Count() })
            .ToListAsync(cancellationToken);
        // Both sides are already a few aggregated rows per provider and month; they are matched here.
        var keys = estimates.Select(e => (e.ProviderId, e.Month, e.Currency)).Union(bills.Select(b => (b.ProviderId, b.Month, b.Currency)))
            .Order().ToList();
        return keys.Select(k => new CiBillRow(k.Month, k.ProviderId, names.GetValueOrDefault(k.ProviderId, ""), k.Currency,
            estimates.Where(e => (e.ProviderId, e.Month, e.Currency) == k).Sum(e => e.Paid),
            bills.Where(b => (b.ProviderId, b.Month, b.Currency) == k).Sum(b => b.Billed),
            bills.Where(b => (b.ProviderId, b.Month, b.Currency) == k).Sum(b => b.Bills))).ToList();
    }

    private static IQueryable<CiUsageRecord> EndedRuns(AppDbContext db) =>
        db.CompletedCiUsageRecords().Where(r => r.Status == CiJobStatus.Success || r.Status == CiJobStatus.Failed || r.Status == CiJobStatus.TimedOut);

    /// <summary>
    /// One job's median, 95th percentile and longest run per UTC month, from its runs that ended (cancelled and skipped runs
    /// say nothing about how long the job takes). Percentiles interpolate between neighbouring runs like PostgreSQL's
    /// <c>percentile_cont</c>; SQLite has no such function, so there the two neighbours are read by ORDER BY … LIMIT 2 OFFSET n.
    /// </summary>
    public static async Task<IReadOnlyList<CiDurationSpread>> DurationSpreadAsync(AppDbContext db, int providerId, string project, string job, CiPeriod period,
        CancellationToken cancellationToken = default)
    {
        if (db.Database.IsNpgsql())
        {
            var (start, end) = (period.Start, period.End);
            var rows = await db.Database.SqlQuery<SpreadRow>($"""
                SELECT CAST(date_trunc('month', "StartedAt" AT TIME ZONE 'UTC') AS date) AS "Month", COUNT(*) AS "Runs",
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY "DurationSeconds") AS "Median",
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY "DurationSeconds") AS "P95",
                       MAX("DurationSeconds") AS "Max"
                FROM "CiUsageRecords"
                WHERE "ProviderId" = {providerId} AND "Project" = {project} AND "JobName" = {job}
                  AND "StartedAt" >= {start} AND "StartedAt" < {end} AND "Status" IN ('Success', 'Failed', 'TimedOut')
                GROUP BY 1
                ORDER BY 1
                """).ToListAsync(cancellationToken);
            return rows.Select(r => new CiDurationSpread(r.Month, r.Runs, RoundSeconds((decimal)r.Median), RoundSeconds((decimal)r.P95), r.Max)).ToList();
        }

        var spread = new List<CiDurationSpread>();
        foreach (var month in period.Months())
        {
            var (from, to) = (month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), month.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            var runs = EndedRuns(db).Where(r => r.ProviderId == providerId && r.Project == project && r.JobName == job && r.StartedAt >= from && r.StartedAt < to);
            var count = await runs.LongCountAsync(cancellationToken);
            if (count == 0)
            {
                continue;
            }
            var ordered = runs.OrderBy(r => r.DurationSeconds).Select(r => r.DurationSeconds);
            async Task<decimal> PercentileAsync(decimal fraction)
            {
                var position = fraction * (count - 1);
                var below = (int)decimal.Floor(position);
                var neighbours = await ordered.Skip(below).Take(2).ToListAsync(cancellationToken);
                var upper = neighbours.Count > 1 ? neighbours[1] : neighbours[0];
                return RoundSeconds(neighbours[0] + ((position - below) * (upper - neighbours[0])));
            }
            var median = await PercentileAsync(0.5m);
            var p95 = await PercentileAsync(0.95m);
            var max = await runs.MaxAsync(r => r.DurationSeconds, cancellationToken);
            spread.Add(new CiDurationSpread(month, count, median, p95, max));
        }
        return spread;
    }

    private static decimal RoundSeconds(decimal seconds) => decimal.Round(seconds, 1, MidpointRounding.AwayFromZero);

    private sealed record SpreadRow(DateOnly Month, long Runs, double Median, double P95, long Max);

    /// <summary>The jobs of the period that ran at or above <paramref name="closePercent"/> of their limit, or timed out, closest first.</summary>
    public static async Task<IReadOnlyList<CiNearTimeoutRow>> NearTimeoutAsync(AppDbContext db, CiPeriod period, int closePercent = 80,
        CancellationToken cancellationToken = default)
    {
        var (first, last, providerId) = (period.First, period.Last, period.ProviderId);
        // The roll-up keeps each key's longest run, so the longest per job is a MAX over a few roll-up rows, not over the records.
        var months = db.CiUsageMonths.AsNoTracking().Where(m => m.Month >= first && m.Month <= last
            && (m.Status == CiJobStatus.Success || m.Status == CiJobStatus.Failed || m.Status == CiJobStatus.TimedOut));
        var limits = db.CiJobTimeouts.AsNoTracking();
        if (providerId is { } id)
        {
            months = months.Where(m => m.ProviderId == id);
            limits = limits.Where(t => t.ProviderId == id);
        }
        var jobs = await months.GroupBy(m => new { m.ProviderId, m.Project, m.JobName })
            .Select(g => new
            {
                g.Key,
                Runs = g.Sum(m => m.Runs),
                LongestCompleted = g.Max(m => m.Status != CiJobStatus.TimedOut ? m.LongestDurationSeconds : 0),
                TimedOut = g.Sum(m => m.Status == CiJobStatus.TimedOut ? m.Runs : 0),
                LongestTimedOut = g.Max(m => m.Status == CiJobStatus.TimedOut ? m.LongestDurationSeconds : 0),
            })
            .ToListAsync(cancellationToken);
        var configured = await limits.ToDictionaryAsync(t => (t.ProviderId, t.Project, t.JobName), t => t.TimeoutMinutes * 60L, cancellationToken);
        var names = await ProviderNamesAsync(db, cancellationToken);
        return jobs
            .Select(j => configured.TryGetValue((j.Key.ProviderId, j.Key.Project, j.Key.JobName), out var limit)
                ? new CiNearTimeoutRow(j.Key.ProviderId, names.GetValueOrDefault(j.Key.ProviderId, ""), j.Key.Project, j.Key.JobName, j.Runs, j.LongestCompleted,
                    j.TimedOut, limit, CiLimitSource.Configured)
                : new CiNearTimeoutRow(j.Key.ProviderId, names.GetValueOrDefault(j.Key.ProviderId, ""), j.Key.Project, j.Key.JobName, j.Runs, j.LongestCompleted,
                    j.TimedOut, j.LongestTimedOut, CiLimitSource.LongestTimedOutRun))
            .Where(r => r.LimitSeconds > 0 && (r.TimedOutRuns > 0 || r.LongestCompletedSeconds * 100 >= r.LimitSeconds * closePercent))
            .OrderByDescending(r => r.PercentOfLimit).ThenByDescending(r => r.TimedOutRuns).ThenBy(r => r.Job)
            .ToList();
    }
}
