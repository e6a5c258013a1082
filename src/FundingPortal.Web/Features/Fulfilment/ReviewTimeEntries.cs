namespace FundingPortal.Web.Features.Fulfilment;

public sealed record TimeEntryQueueRow(int Id, DateOnly Date, string Engineer, string Hours, string Description, int OrganisationId,
    string Organisation, string Fund, int PledgeId, string RecordedBy, DateTime RecordedAt, int Version);

/// <summary>Reviewers confirm or reject hours sponsors logged, through <see cref="ReviewInKind{T}"/>.</summary>
public sealed class ReviewTimeEntries(Handlers handlers) : ReviewInKind<TimeEntry>(handlers)
{
    protected override InKindReview<TimeEntry> Review => HoursReview;

    private static readonly InKindReview<TimeEntry> HoursReview = new(
        new HandlerRules(Caller.Reviewer, "Only reviewers confirm hours.",
            "Another reviewer acted on these hours (or their period) at the same moment. Reload to see where they stand."),
        "The time entry", db => db.TimeEntries,
        entry => entry.Status == ConfirmationStatus.Submitted
            ? "These hours changed since you loaded the list. Reload and look again."
            : $"Another reviewer already {entry.Status.ToString().ToLowerInvariant()} these hours.",
        "The period these hours were logged on no longer exists.",
        "time-entry",
        (entry, pledge) => new { status = entry.Status.ToString(), hours = entry.Hours.TotalHours, reason = entry.RejectionReason, pledgeStatus = pledge.Status.ToString() });

    public Task<Result<IReadOnlyList<TimeEntryQueueRow>>> QueueAsync(string userId, CancellationToken cancellationToken = default) =>
        QueueRowsAsync(userId, (db, waiting) =>
            from t in waiting
            join p in db.Pledges on t.PledgeId equals p.Id
            join u in db.Users on t.RecordedByUserId equals u.Id into users
            from u in users.DefaultIfEmpty()
            orderby t.RecordedAt, t.Id
            select new TimeEntryQueueRow(t.Id, t.Date, t.Engineer, new Hours(t.Minutes).ToString(), t.Description, p.OrganisationId,
                p.Organisation!.Name, p.Fund!.Name, t.PledgeId, u == null ? "" : u.DisplayName, t.RecordedAt, t.Version), cancellationToken);
}
