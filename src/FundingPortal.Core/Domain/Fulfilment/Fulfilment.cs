namespace FundingPortal.Core.Domain;

/// <summary>
/// How much of what was due has been delivered. An installment counts up to what it asked (paying double one month does not
/// make up for another); cancelled and paused installments are not due; a forgiven shortfall still counts as not delivered.
/// </summary>
public static class Fulfilment
{
    /// <summary>
    /// The honoured rate of totals: Σ delivered ÷ Σ due over the installments due by <paramref name="today"/> (a large installment weighs
    /// more); null when nothing is due yet. Not <c>HonouredRates</c>' mean honoured share, the mean of each installment's share.
    /// </summary>
    public static decimal? HonouredRateOfTotals(IEnumerable<Installment> installments, DateOnly today, int graceDays)
    {
        long due = 0;
        long delivered = 0;
        var countsThrough = CountsThrough(today, graceDays);
        foreach (var installment in installments.Where(i => CountsTowardsRate(i, countsThrough)))
        {
            due += installment.DueUnits;
            delivered += Math.Min(installment.DeliveredUnits, installment.DueUnits);
        }
        return due == 0 ? null : (decimal)delivered / due;
    }

    /// <summary>
    /// The last due date an honoured rate counts on <paramref name="today"/>: an installment counts once its due date plus the grace
    /// period is strictly before today, so one due today (or still within its grace days) is not yet late and weighs nothing — the
    /// rule that lapses a pledge (<see cref="Pledge.Settle"/>) too.
    /// </summary>
    public static DateOnly CountsThrough(DateOnly today, int graceDays) => today.AddDays(-Math.Max(0, graceDays) - 1);

    /// <summary>Whether the installment counts towards an honoured rate: due on or before <paramref name="countsThrough"/>, owed and asking for something.</summary>
    public static bool CountsTowardsRate(Installment installment, DateOnly countsThrough) =>
        installment.DueDate <= countsThrough && installment.Status is not (InstallmentStatus.Cancelled or InstallmentStatus.Paused) && installment.DueUnits > 0;
}
