using FundingPortal.Web.Features.FollowUp;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>
/// Mean honoured shares computed in the database: each installment past its grace period counts as the share of it delivered (min(1,
/// delivered ÷ due)), and the rate is the mean of those shares, so money, hours and in-kind value can be combined per organisation and
/// overall. Not <see cref="Pledge.HonouredRateOfTotals"/> (Σ delivered ÷ Σ due), which equals it only when a pledge's installments are
/// all alike. Which installments count is <see cref="Core.Domain.Fulfilment.CountsThrough"/>'s rule, with the follow-up grace period
/// (<see cref="FollowUpSettings.GracePeriodDays"/>): one due today is not late yet, so a new sponsor starts with nothing due.
/// </summary>
public static class HonouredRates
{
    /// <summary>The grace period the honoured rates use today: the follow-up setting admins change.</summary>
    public static async Task<int> GraceDaysAsync(AppDbContext db, CancellationToken cancellationToken = default) =>
        (await FollowUpSettings.ReadAsync(db, cancellationToken)).GracePeriodDays;

    /// <summary>The installments an honoured rate counts: due on or before <paramref name="countsThrough"/> (<see cref="Core.Domain.Fulfilment.CountsThrough"/>), owed, asking for something.</summary>
    public static IQueryable<Installment> CountedThrough(this IQueryable<Installment> installments, DateOnly countsThrough) =>
        installments.Where(i => i.DueDate <= countsThrough
            && i.Status != InstallmentStatus.Cancelled && i.Status != InstallmentStatus.Paused
            && (i.HoursDueMinutes > 0 || i.AmountDueMinor > 0));

    private static async Task<DateOnly> CountsThroughAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken) =>
        Core.Domain.Fulfilment.CountsThrough(today, await GraceDaysAsync(db, cancellationToken));

    /// <summary>The mean honoured share of one organisation's installments past their grace period, read directly.</summary>
    public static async Task<double?> MeanHonouredShareForOrganisationAsync(AppDbContext db, int organisationId, DateOnly today, CancellationToken cancellationToken = default) =>
        await Shares(db.Installments.Where(i => i.Pledge!.OrganisationId == organisationId).CountedThrough(await CountsThroughAsync(db, today, cancellationToken)))
            .Select(s => (double?)s.Share).AverageAsync(cancellationToken);

    /// <summary>The mean honoured share over every organisation: full months from the roll-up, the last month that counts from its installments directly.</summary>
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
    /// Per organisation, the sum of the honoured shares and the number of installments that count: the full months before the last
    /// due date that counts from <see cref="HonouredMonth"/> (kept by a trigger, ADR 0009), that date's month from its installments
    /// through the due-date index.
    /// </summary>
    private static async Task<Dictionary<int, (double ShareSum, long Count)>> SumsAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken)
    {
        var countsThrough = await CountsThroughAsync(db, today, cancellationToken);
        var thisMonth = new DateOnly(countsThrough.Year, countsThrough.Month, 1);
        var months = await db.HonouredMonths.Where(m => m.Month < thisMonth)
            .GroupBy(m => m.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, ShareSum = g.Sum(m => m.ShareSum), Count = g.Sum(m => m.Installments) })
            .ToListAsync(cancellationToken);
        var current = await Shares(db.Installments.Where(i => i.DueDate >= thisMonth).CountedThrough(countsThrough))
            .GroupBy(s => s.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, ShareSum = g.Sum(s => s.Share), Count = (long)g.Count() })
            .ToListAsync(cancellationToken);
        return months.Concat(current)
            .GroupBy(r => r.OrganisationId)
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.ShareSum), g.Sum(r => r.Count)));
    }

    /// <summary>Per organisation, the sum of the honoured shares and the count of the given installments that count today.</summary>
    public static async Task<Dictionary<int, (double ShareSum, long Count)>> SharesByOrganisationAsync(AppDbContext db, IQueryable<Installment> installments,
        DateOnly today, CancellationToken cancellationToken = default) =>
        (await Shares(installments.CountedThrough(await CountsThroughAsync(db, today, cancellationToken)))
            .GroupBy(s => s.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, ShareSum = g.Sum(s => s.Share), Count = (long)g.Count() })
            .ToListAsync(cancellationToken))
        .ToDictionary(r => r.OrganisationId, r => (r.ShareSum, r.Count));

    // A ratio, not money: a double is exact enough to show as a percentage and every provider can sum it. The same share is summed by
    // the roll-up's trigger in the migrations.
    public static IQueryable<DueShare> Shares(IQueryable<Installment> due) =>
        due.Select(i => new DueShare
        {
            OrganisationId = i.Pledge!.OrganisationId,
            PledgeId = i.PledgeId,
            Share = i.HoursDueMinutes > 0
                ? (i.HoursDeliveredMinutes >= i.HoursDueMinutes ? 1.0 : (double)i.HoursDeliveredMinutes / i.HoursDueMinutes)
                : (i.AmountReceivedMinor >= i.AmountDueMinor ? 1.0 : (double)i.AmountReceivedMinor / i.AmountDueMinor),
        });

    /// <summary>One counted installment's honoured share, min(1, delivered ÷ due).</summary>
    public sealed class DueShare
    {
        public int OrganisationId { get; init; }

        public int PledgeId { get; init; }

        public double Share { get; init; }
    }
}
