namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>
/// Honoured rates (delivered ÷ due) computed in the database. Each installment due by today counts as the share of it delivered,
/// capped at one, so money, hours and in-kind value can be combined per organisation and overall; for one pledge (whose installments
/// are all alike) this equals <see cref="Pledge.HonouredRate"/>. The rules of what is due are <see cref="Core.Domain.Fulfilment"/>'s.
/// </summary>
public static class HonouredRates
{
    public static IQueryable<Installment> DueBy(this IQueryable<Installment> installments, DateOnly today) =>
        installments.Where(i => i.DueDate <= today
            && i.Status != InstallmentStatus.Cancelled && i.Status != InstallmentStatus.Paused
            && (i.HoursDueMinutes > 0 || i.AmountDueMinor > 0));

    public static Task<double?> ForOrganisationAsync(AppDbContext db, int organisationId, DateOnly today, CancellationToken cancellationToken = default) =>
        Shares(db.Installments.Where(i => i.Pledge!.OrganisationId == organisationId).DueBy(today)).Select(s => (double?)s.Share).AverageAsync(cancellationToken);

    /// <summary>Over every organisation: the months before this one from the roll-up, this month's installments due by today directly.</summary>
    public static async Task<double?> OverallAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken = default) =>
        Overall(await PerOrganisationAsync(db, today, cancellationToken));

    /// <summary>The overall rate from the per-organisation ones, each weighted by the installments it rests on.</summary>
    public static double? Overall(IReadOnlyDictionary<int, (double Rate, int Installments)> perOrganisation)
    {
        var count = perOrganisation.Values.Sum(r => (long)r.Installments);
        return count == 0 ? null : perOrganisation.Values.Sum(r => r.Rate * r.Installments) / count;
    }

    /// <summary>Per organisation that has anything due: its honoured rate and how many installments it rests on.</summary>
    public static async Task<Dictionary<int, (double Rate, int Installments)>> PerOrganisationAsync(AppDbContext db, DateOnly today,
        CancellationToken cancellationToken = default) =>
        (await SumsAsync(db, today, cancellationToken)).Where(s => s.Value.Count > 0)
            .ToDictionary(s => s.Key, s => (s.Value.RateSum / s.Value.Count, (int)s.Value.Count));

    /// <summary>
    /// Per organisation, the sum of the honoured shares and the number of installments due by today: full months from
    /// <see cref="HonouredMonth"/> (kept by a trigger, ADR 0009), the current month from its installments through the due-date index.
    /// </summary>
    private static async Task<Dictionary<int, (double RateSum, long Count)>> SumsAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var months = await db.HonouredMonths.Where(m => m.Month < thisMonth)
            .GroupBy(m => m.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, RateSum = g.Sum(m => m.RateSum), Count = g.Sum(m => m.Installments) })
            .ToListAsync(cancellationToken);
        var current = await Shares(db.Installments.Where(i => i.DueDate >= thisMonth).DueBy(today))
            .GroupBy(s => s.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, RateSum = g.Sum(s => s.Share), Count = (long)g.Count() })
            .ToListAsync(cancellationToken);
        return months.Concat(current)
            .GroupBy(r => r.OrganisationId)
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.RateSum), g.Sum(r => r.Count)));
    }

    /// <summary>Per organisation, the sum of the honoured shares and the count of the given installments that are due by today.</summary>
    public static async Task<Dictionary<int, (double RateSum, long Count)>> SharesByOrganisationAsync(AppDbContext db, IQueryable<Installment> installments,
        DateOnly today, CancellationToken cancellationToken = default) =>
        (await Shares(installments.DueBy(today))
            .GroupBy(s => s.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, RateSum = g.Sum(s => s.Share), Count = (long)g.Count() })
            .ToListAsync(cancellationToken))
        .ToDictionary(r => r.OrganisationId, r => (r.RateSum, r.Count));

    // A ratio, not money: a double is exact enough to show as a percentage and every provider can sum it. The same share is summed by
    // the roll-up's trigger in the migrations.
    private static IQueryable<DueShare> Shares(IQueryable<Installment> due) =>
        due.Select(i => new DueShare
        {
            OrganisationId = i.Pledge!.OrganisationId,
            Share = i.HoursDueMinutes > 0
                ? (i.HoursDeliveredMinutes >= i.HoursDueMinutes ? 1.0 : (double)i.HoursDeliveredMinutes / i.HoursDueMinutes)
                : (i.AmountReceivedMinor >= i.AmountDueMinor ? 1.0 : (double)i.AmountReceivedMinor / i.AmountDueMinor),
        });

    private sealed class DueShare
    {
        public int OrganisationId { get; init; }

        public double Share { get; init; }
    }
}
