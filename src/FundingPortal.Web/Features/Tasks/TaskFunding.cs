using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;

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

    /// <summary>The funding of each task's fund, keyed by fund id; every sum runs in the database (four grouped queries for any number of tasks).</summary>
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

        var committed = await (from installment in db.Installments
                               join pledge in db.Pledges on installment.PledgeId equals pledge.Id
                               where ids.Contains(pledge.FundId)
                                     && pledge.Kind == PledgeKind.Money
                                     && (pledge.Status == PledgeStatus.Active || pledge.Status == PledgeStatus.Paused)
                                     && (installment.Status == InstallmentStatus.Scheduled || installment.Status == InstallmentStatus.PartiallyFulfilled
                                         || installment.Status == InstallmentStatus.Failed)
                                     && installment.AmountDueMinor > installment.AmountReceivedMinor
                               group installment by new { pledge.FundId, installment.Currency } into g
                               select new { g.Key.FundId, g.Key.Currency, Sum = g.Sum(i => i.AmountDueMinor - i.AmountReceivedMinor) })
            .ToListAsync(cancellationToken);

        var pledgedHours = await (from installment in db.Installments
                                  join pledge in db.Pledges on installment.PledgeId equals pledge.Id
                                  where ids.Contains(pledge.FundId)
                                        && pledge.Kind == PledgeKind.EngineerTime
                                        && (pledge.Status == PledgeStatus.Active || pledge.Status == PledgeStatus.Paused)
                                        && installment.Status != InstallmentStatus.Cancelled
                                  group installment by pledge.FundId into g
                                  select new { FundId = g.Key, Sum = g.Sum(i => i.HoursDueMinutes) })
            .ToDictionaryAsync(r => r.FundId, r => r.Sum, cancellationToken);

        var deliveredHours = await (from entry in db.TimeEntries
                                    join pledge in db.Pledges on entry.PledgeId equals pledge.Id
                                    where ids.Contains(pledge.FundId) && entry.Status == ConfirmationStatus.Confirmed
                                    group entry by pledge.FundId into g
                                    select new { FundId = g.Key, Sum = g.Sum(e => e.Minutes) })
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
