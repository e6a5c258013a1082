namespace FundingPortal.Web.Features.Tasks;

/// <summary>
/// How far a task is funded. <see cref="Received"/> is in the base currency (the ledger's); money committed but not yet received stays
/// in each pledge's own currency, because converting a promise at today's rate would be a guess. The bar draws the committed part only
/// in the goal's currency; other currencies are listed beside it.
/// </summary>
public sealed record TaskFunding(Money Goal, Money Received, IReadOnlyList<Money> Committed, Hours HoursGoal, Hours HoursDelivered, Hours HoursPledged)
{
    /// <summary>Received money as a share of the goal (0–100), when the goal is in the base currency.</summary>
    public double ReceivedPercent => Goal.Currency == Received.Currency ? Percent(Received.MinorUnits, Goal.MinorUnits) : 0;

    /// <summary>Committed money in the goal's currency, stacked after what was received (0–100 in total).</summary>
    public double CommittedPercent => Math.Min(100 - ReceivedPercent, Percent(CommittedIn(Goal.Currency).MinorUnits, Goal.MinorUnits));

    public Money CommittedIn(string currency) => Committed.FirstOrDefault(m => m.Currency == currency, Money.Zero(currency));

    public double HoursDeliveredPercent => Percent(HoursDelivered.Minutes, HoursGoal.Minutes);

    public double HoursPledgedPercent => Math.Min(100 - HoursDeliveredPercent, Percent(Math.Max(0, HoursPledged.Minutes - HoursDelivered.Minutes), HoursGoal.Minutes));

    private static double Percent(long part, long whole) => whole <= 0 || part <= 0 ? 0 : Math.Min(100, 100.0 * part / whole);

    /// <summary>The funding of each task's fund, keyed by fund id; every sum runs in the database over the roll-ups (four grouped queries for any number of tasks).</summary>
    public static async Task<IReadOnlyDictionary<int, TaskFunding>> ForFundsAsync(AppDbContext db, IReadOnlyCollection<(int FundId, Money Goal, Hours HoursGoal)> funds,
        string baseCurrency, CancellationToken cancellationToken = default)
    {
        var ids = funds.Select(f => f.FundId).ToList();
        // Contributions less refunds, and the reversals of either, from the ledger's monthly roll-up.
        var received = await db.LedgerMonths
            .Where(m => ids.Contains(m.FundId) && (m.OfKind == LedgerEntryKind.Contribution || m.OfKind == LedgerEntryKind.Refund))
            .GroupBy(m => m.FundId)
            .Select(g => new { FundId = g.Key, Sum = g.Sum(m => m.InMinor - m.OutMinor) })
            .ToDictionaryAsync(r => r.FundId, r => r.Sum, cancellationToken);

        // Installments and confirmed time from their roll-ups (ADR 0009).
        var running = new[] { PledgeStatus.Active, PledgeStatus.Paused };
        var committed = await db.InstallmentTotals
            .Where(t => ids.Contains(t.FundId) && t.PledgeKind == PledgeKind.Money && running.Contains(t.PledgeStatus)
                && (t.Status == InstallmentStatus.Scheduled || t.Status == InstallmentStatus.PartiallyFulfilled || t.Status == InstallmentStatus.Failed))
            .GroupBy(t => new { t.FundId, t.Currency })
            .Select(g => new { g.Key.FundId, g.Key.Currency, Sum = g.Sum(t => t.OutstandingMinor) })
            .Where(r => r.Sum > 0)
            .ToListAsync(cancellationToken);

        // Hours of accepted pledges, ended ones included (their delivered hours still count), less periods cancelled or held back by a pause.
        var accepted = Pledge.AcceptedStatuses;
        var pledgedHours = await db.InstallmentTotals
            .Where(t => ids.Contains(t.FundId) && t.PledgeKind == PledgeKind.EngineerTime && accepted.Contains(t.PledgeStatus)
                && t.Status != InstallmentStatus.Cancelled && t.Status != InstallmentStatus.Paused)
            .GroupBy(t => t.FundId)
            .Select(g => new { FundId = g.Key, Sum = g.Sum(t => t.HoursDueMinutes) })
            .ToDictionaryAsync(r => r.FundId, r => r.Sum, cancellationToken);

        var deliveredHours = await db.TimeTotals
            .Where(t => ids.Contains(t.FundId))
            .GroupBy(t => t.FundId)
            .Select(g => new { FundId = g.Key, Sum = g.Sum(t => t.ConfirmedMinutes) })
            .ToDictionaryAsync(r => r.FundId, r => r.Sum, cancellationToken);

        return funds.ToDictionary(f => f.FundId, f => new TaskFunding(
            f.Goal,
            new Money(received.GetValueOrDefault(f.FundId), baseCurrency),
            committed.Where(c => c.FundId == f.FundId && Currency.IsKnown(c.Currency)).OrderBy(c => c.Currency, StringComparer.Ordinal)
                .Select(c => new Money(c.Sum, c.Currency)).ToList(),
            f.HoursGoal,
            new Hours(deliveredHours.GetValueOrDefault(f.FundId)),
            new Hours(pledgedHours.GetValueOrDefault(f.FundId))));
    }
}
