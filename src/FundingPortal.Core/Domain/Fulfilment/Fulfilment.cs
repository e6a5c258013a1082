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
    public static decimal? HonouredRateOfTotals(IEnumerable<Installment> installments, DateOnly today)
    {
        long due = 0;
        long delivered = 0;
        foreach (var installment in installments.Where(i => IsDue(i, today)))
        {
            due += installment.DueUnits;
            delivered += Math.Min(installment.DeliveredUnits, installment.DueUnits);
        }
        return due == 0 ? null : (decimal)delivered / due;
    }

    public static bool IsDue(Installment installment, DateOnly today) =>
        installment.DueDate <= today && installment.Status is not (InstallmentStatus.Cancelled or InstallmentStatus.Paused) && installment.DueUnits > 0;
}
