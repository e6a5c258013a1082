
namespace FundingPortal.Web.Features.FollowUp;

public sealed record OverdueRow(int InstallmentId, int PledgeId, int OrganisationId, string Organisation, string Fund, PledgeKind Kind,
    DateOnly DueDate, int DaysOverdue, string Outstanding, int RemindersSent, DateOnly? SnoozedUntil, string? Note, InstallmentStatus Status);

public sealed record OverduePage(IReadOnlyList<OverdueRow> Rows, int Total, int Page, int PageSize);

/// <summary>The follow-up list: installments due today or earlier and still open, most overdue first, 50 to a page.</summary>
public sealed class OverdueInstallments(Handlers handlers)
{
    public const int PageSize = 50;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers follow up overdue installments.");

    public Task<Result<OverduePage>> ListAsync(string userId, bool includeSnoozed, int page = 1, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, scope => ReadAsync(scope.Db, scope.Today, includeSnoozed, page, cancellationToken), cancellationToken);

    private static async Task<Result<OverduePage>> ReadAsync(AppDbContext db, DateOnly today, bool includeSnoozed, int page, CancellationToken cancellationToken)
    {
        var query = Overdue(db, today, includeSnoozed);
        var total = await query.CountAsync(cancellationToken);
        page = Math.Max(1, page);
        var rows = await query
            .OrderBy(i => i.DueDate).ThenBy(i => i.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(i => new
            {
                i.Id,
                i.PledgeId,
                i.Pledge!.OrganisationId,
                Organisation = i.Pledge.Organisation!.Name,
                Fund = i.Pledge.Fund!.Name,
                i.Pledge.Kind,
                i.DueDate,
                i.Currency,
                OutstandingMinor = i.AmountDueMinor - i.AmountReceivedMinor,
                OutstandingMinutes = i.HoursDueMinutes - i.HoursDeliveredMinutes,
                i.HoursDueMinutes,
                Reminders = db.InstallmentReminders.Count(r => r.InstallmentId == i.Id),
                i.SnoozedUntil,
                i.FollowUpNote,
                i.Status,
            })
            .ToListAsync(cancellationToken);
        return Result<OverduePage>.Ok(new OverduePage(
            rows.Select(r => new OverdueRow(r.Id, r.PledgeId, r.OrganisationId, r.Organisation, r.Fund, r.Kind, r.DueDate,
                Math.Max(0, today.DayNumber - r.DueDate.DayNumber),
                Display.Units(r.HoursDueMinutes > 0, r.OutstandingMinutes, r.OutstandingMinor, r.Currency),
                r.Reminders, r.SnoozedUntil > today ? r.SnoozedUntil : null, r.FollowUpNote, r.Status)).ToList(),
            total, page, PageSize));
    }

    /// <summary>
    /// Open installments of running pledges due by <paramref name="today"/>, or whose pledge was asked for payment when its task was
    /// done (pay on completion); snoozed ones only when asked for.
    /// </summary>
    public static IQueryable<Installment> Overdue(AppDbContext db, DateOnly today, bool includeSnoozed = false)
    {
        var query = db.Installments.Where(i => (i.DueDate <= today || i.Pledge!.PaymentRequestedAt != null)
            && (i.Status == InstallmentStatus.Scheduled || i.Status == InstallmentStatus.PartiallyFulfilled || i.Status == InstallmentStatus.Failed)
            && (i.Pledge!.Status == PledgeStatus.Active || i.Pledge.Status == PledgeStatus.Paused));
        return includeSnoozed ? query : query.Where(i => i.SnoozedUntil == null || i.SnoozedUntil <= today);
    }
}
