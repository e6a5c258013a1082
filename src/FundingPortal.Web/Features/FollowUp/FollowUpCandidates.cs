namespace FundingPortal.Web.Features.FollowUp;

/// <summary>
/// The rows one follow-up pass has to look at, found by one ids-only query each, so a pass costs what is due rather than the size of
/// the database. Everything else the job does (settling, claiming, sending) reads these rows again by primary key in bounded batches
/// and re-checks them, so a row that changed after it was listed is judged on its current state.
/// </summary>
public static class FollowUpCandidates
{
    internal static readonly InstallmentStatus[] OpenStatuses = [InstallmentStatus.Scheduled, InstallmentStatus.PartiallyFulfilled, InstallmentStatus.Failed];

    /// <summary>
    /// Running pledges the passing of time can change as of <paramref name="today"/>: nothing delivered yet and an open installment
    /// past its grace period (it may lapse), or an open-ended schedule whose installments no longer reach its horizon (it is extended).
    /// Deliveries, forgiveness and cancellation settle their pledge when they happen, so they need no look here. Ids in ascending order.
    /// </summary>
    public static IQueryable<int> PledgesToSettle(AppDbContext db, DateOnly today, int graceDays)
    {
        var lapseBefore = today.AddDays(-graceDays);
        // Pledge.ExtendOpenEnded adds periods starting on or before today + 12 periods; the next one starts the day after the last
        // period ends, so a pledge needs extending exactly when its last period ends before that horizon.
        var monthly = Horizon(today, PledgeFrequency.Monthly);
        var quarterly = Horizon(today, PledgeFrequency.Quarterly);
        var yearly = Horizon(today, PledgeFrequency.Yearly);
        return db.Pledges
            .Where(p => p.Status == PledgeStatus.Active
                && ((p.EndDate == null && p.PeriodCount == null && p.Frequency != PledgeFrequency.OneOff
                        && (p.Installments.OrderByDescending(i => i.Sequence).Select(i => (DateOnly?)i.PeriodEnd).FirstOrDefault() ?? DateOnly.MinValue)
                            < (p.Frequency == PledgeFrequency.Monthly ? monthly : p.Frequency == PledgeFrequency.Quarterly ? quarterly : yearly))
                    || (p.Installments.Any(i => OpenStatuses.Contains(i.Status) && i.DueDate < lapseBefore)
                        && !p.Installments.Any(i => i.AmountReceivedMinor > 0 || i.HoursDeliveredMinutes > 0))))
            .OrderBy(p => p.Id)
            .Select(p => p.Id);
    }

    /// <summary>
    /// Open, unsnoozed installments of active pledges due between <paramref name="from"/> and <paramref name="to"/> (one reminder
    /// stage's window of due dates, read through the (Status, DueDate) index) that have no reminder at <paramref name="stage"/> yet;
    /// ids in ascending order. A pass with nothing to send reads no installment into memory.
    /// </summary>
    public static IQueryable<int> DueWithoutReminder(AppDbContext db, DateOnly today, DateOnly from, DateOnly to, int stage) =>
        db.Installments
            .Where(i => OpenStatuses.Contains(i.Status) && i.DueDate >= from && i.DueDate <= to
                && (i.SnoozedUntil == null || i.SnoozedUntil <= today)
                && i.Pledge!.Status == PledgeStatus.Active
                && !db.InstallmentReminders.Any(r => r.InstallmentId == i.Id && r.Stage == stage))
            .OrderBy(i => i.Id)
            .Select(i => i.Id);

    /// <summary>The earliest due date of an open installment of an active pledge, due by <paramref name="today"/>; null when none is.</summary>
    public static Task<DateOnly?> OldestDueAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken) =>
        db.Installments
            .Where(i => OpenStatuses.Contains(i.Status) && i.DueDate <= today && i.Pledge!.Status == PledgeStatus.Active)
            .MinAsync(i => (DateOnly?)i.DueDate, cancellationToken);

    private static DateOnly Horizon(DateOnly today, PledgeFrequency frequency) =>
        today.AddMonths(PledgeSchedule.MonthsPerPeriod(frequency) * PledgeSchedule.OpenEndedHorizonPeriods);
}
