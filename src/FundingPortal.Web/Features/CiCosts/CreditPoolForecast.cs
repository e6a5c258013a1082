using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.Web.Features.CiCosts;

/// <summary>
/// A credit pool's state: what it held, what usage has drawn from it, what is left, the burn rate over the last
/// <see cref="CreditPoolForecast.BurnDays"/> days, and the date it runs out at that rate (null when nothing is burning).
/// </summary>
public sealed record CreditPoolRow(int Id, int ProviderId, string Provider, string Name, CreditUnit Unit, long Credits, decimal Used, decimal BurnPerDay,
    DateOnly StartsOn, DateOnly? ExpiresOn, int? PledgeId, DateOnly? RunsOutOn)
{
    public decimal Remaining => Math.Max(0, Credits - Used);

    public bool Exhausted => Used >= Credits;

    /// <summary>The pool expires before usage would empty it: the rest is lost unless burn goes up.</summary>
    public bool ExpiresFirst => ExpiresOn is { } end && (RunsOutOn is null || RunsOutOn > end);
}

/// <summary>
/// Draws CI usage down from credit pools. A pool counts credits for CircleCI and quota minutes for minute-based providers.
/// Usage is drawn by whole UTC months from the roll-up (the month the pool starts in counts in full), and a provider's pools
/// are drawn oldest first: each month's usage fills the pools open that month in the order they started.
/// </summary>
public static class CreditPoolForecast
{
    public const int BurnDays = 30;

    private static bool Covers(CreditPool pool, DateOnly month) =>
        new DateOnly(pool.StartsOn.Year, pool.StartsOn.Month, 1) <= month && (pool.ExpiresOn is not { } end || month <= end);

    public static async Task<IReadOnlyList<CreditPoolRow>> AllAsync(AppDbContext db, DateOnly today, int? providerId = null, CancellationToken cancellationToken = default)
    {
        var query = db.CreditPools.AsNoTracking();
        if (providerId is { } id)
        {
            query = query.Where(p => p.ProviderId == id);
        }
        var pools = await query.OrderBy(p => p.ProviderId).ThenBy(p => p.StartsOn).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var providers = await db.CiProviders.AsNoTracking().Select(p => new { p.Id, p.Name, p.Kind }).ToDictionaryAsync(p => p.Id, cancellationToken);
        var burnSince = today.AddDays(-BurnDays);
        var rows = new List<CreditPoolRow>();
        foreach (var provider in pools.GroupBy(p => p.ProviderId))
        {
            var kind = providers[provider.Key].Kind;
            var unit = CreditPool.UnitFor(kind);
            var earliest = provider.Min(p => p.StartsOn);
            var firstMonth = new DateOnly(earliest.Year, earliest.Month, 1);
            var months = db.CiUsageMonths.AsNoTracking().Where(m => m.ProviderId == provider.Key && m.Month >= firstMonth);
            var monthly = unit == CreditUnit.Credits
                ? await months.GroupBy(m => m.Month).Select(g => new { Month = g.Key, Used = g.Sum(m => m.Credits) }).ToListAsync(cancellationToken)
                : await months.GroupBy(m => m.Month).Select(g => new { Month = g.Key, Used = g.Sum(m => m.QuotaMinutes) }).ToListAsync(cancellationToken);
            // The burn rate needs days, not months: the last 30 days (and today) of the daily roll-up.
            var recent = db.CiUsageDays.AsNoTracking().Where(d => d.ProviderId == provider.Key && d.Day >= burnSince && d.Day <= today);
            var burnt = unit == CreditUnit.Credits
                ? await recent.SumAsync(d => d.Credits, cancellationToken)
                : await recent.SumAsync(d => d.QuotaMinutes, cancellationToken);
            var burnPerDay = decimal.Round(burnt / BurnDays, 4);

            // Month by month, oldest pool first: each month's usage fills the pools whose window covers it in the order they started.
            var left = provider.ToDictionary(p => p.Id, p => (decimal)p.Credits);
            foreach (var month in monthly.OrderBy(m => m.Month))
            {
                var usage = month.Used;
                foreach (var pool in provider.Where(p => Covers(p, month.Month)))
                {
                    var take = Math.Min(usage, left[pool.Id]);
                    left[pool.Id] -= take;
                    usage -= take;
                }
            }
            // A later pool only starts burning once the live pools before it are empty.
            var ahead = 0m;
            foreach (var pool in provider)
            {
                var live = pool.StartsOn <= today && (pool.ExpiresOn is not { } expires || expires >= today);
                var remaining = left[pool.Id];
                DateOnly? runsOut = remaining <= 0 || !live || burnPerDay <= 0 ? null
                    : today.AddDays((int)Math.Min(36_500, decimal.Ceiling((ahead + remaining) / burnPerDay)));
                if (live)
                {
                    ahead += remaining;
                }
                rows.Add(new CreditPoolRow(pool.Id, pool.ProviderId, providers[pool.ProviderId].Name, pool.Name, unit, pool.Credits, pool.Credits - remaining,
                    burnPerDay, pool.StartsOn, pool.ExpiresOn, pool.PledgeId, runsOut));
            }
        }
        return rows;
    }
}
