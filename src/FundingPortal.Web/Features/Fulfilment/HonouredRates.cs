namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>
/// Mean honoured shares computed in the database: each installment due by today counts as the share of it delivered (min(1,
/// delivered ÷ due)), and the rate is the mean of those shares, so money, hours and in-kind value can be combined per organisation and
/// overall. Not <see cref="Pledge.HonouredRateOfTotals"/> (Σ delivered ÷ Σ due), which equals it only when a pledge's installments are
/// all alike. The rules of what is due are <see cref="Core.Domain.Fulfilment"/>'s.
/// </summary>
public static class HonouredRates
{
    public static IQueryable<Installment> DueBy(this IQueryable<Installment> installments, DateOnly today) =>
        installments.Where(i => i.DueDate <= today
            && i.Status != InstallmentStatus.Cancelled && i.Status != InstallmentStatus.Paused
            && (i.HoursDueMinutes > 0 || i.AmountDueMinor > 0));

    /// <summary>The mean honoured share of one organisation's installments due by today, read directly.</summary>
    public static Task<double?> MeanHonouredShareForOrganisationAsync(AppDbContext db, int organisationId, DateOnly today, CancellationToken cancellationToken = default) =>
        Shares(db.Installments.Where(i => i.Pledge!.OrganisationId == organisationId).DueBy(today)).Select(s => (double?)s.Share).AverageAsync(cancellationToken);

    /// <summary>The mean honoured share over every organisation: the months before this one from the roll-up, this month's installments due by today directly.</summary>
    public static async Task<double?> MeanHonouredShareOverallAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken = default) =>
        MeanHonouredShareOverall(await MeanHonouredSharePerOrganisationAsync(db, today, cancellationToken));

    /// <summary>The overall mean honoured share from the per-organisation ones, each weighted by the installments it rests on.</summary>
    public static double? MeanHonouredShareOverall(IReadOnlyDictionary<int, (double MeanShare, int Installments)> perOrganisation)
    {
        var count = perOrganisation.Values.Sum(r => (long)r.Installments);
        return count == 0 ? null : perOrganisation.Values.Sum(r => r.MeanShare * r.Installments) / count;
    }

    /// <summary>Per organisation that has anything due: its mean honoured share and how many installments it rests on.</summary>
    public static async Task<Dictionary<int, (double MeanShare, int Installments)>> MeanHonouredSharePerOrganisationAsync(AppDbContext db, DateOnly today,
        CancellationToken cancellationToken = default) =>
        (await SumsAsync(db, today, cancellationToken)).Where(s => s.Value.Count > 0)
            .ToDictionary(s => s.Key, s => (s.Value.ShareSum / s.Value.Count, (int)s.Value.Count));

    /// <summary>
    /// Per organisation, the sum of the honoured shares and the number of installments due by today: full months from
    /// <see cref="HonouredMonth"/> (kept by a trigger, ADR 0009), the current month from its installments through the due-date index.
    /// </summary>
    private static async Task<Dictionary<int, (double ShareSum, long Count)>> SumsAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var months = await db.HonouredMonths.Where(m => m.Month < thisMonth)
            .GroupBy(m => m.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, ShareSum = g.Sum(m => m.ShareSum), Count = g.Sum(m => m.Installments) })
            .ToListAsync(cancellationToken);
        var current = await Shares(db.Installments.Where(i => i.DueDate >= thisMonth).DueBy(today))
            .GroupBy(s => s.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, ShareSum = g.Sum(s => s.Share), Count = (long)g.Count() })
            .ToListAsync(cancellationToken);
        return months.Concat(current)
            .GroupBy(r => r.OrganisationId)
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.ShareSum), g.Sum(r => r.Count)));
    }

    /// <summary>Per organisation, the sum of the honoured shares and the count of the given installments that are due by today.</summary>
    public static async Task<Dictionary<int, (double ShareSum, long Count)>> SharesByOrganisationAsync(AppDbContext db, IQueryable<Installment> installments,
        DateOnly today, CancellationToken cancellationToken = default) =>
        (await Shares(installments.DueBy(today))
            .GroupBy(s => s.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, ShareSum = g.Sum(s => s.Share), Count = (long)g.Count() })
            .ToListAsync(cancellationToken))
        .ToDictionary(r => r.OrganisationId, r => (r.ShareSum, r.Count));

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
