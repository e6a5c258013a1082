using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.FollowUp;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Fulfilment;

public sealed record TimeEntryQueueRow(int Id, DateOnly Date, string Engineer, string Hours, string Description, int OrganisationId,
    string Organisation, string Fund, int PledgeId, string LoggedBy, DateTime LoggedAt, int Version);

/// <summary>
/// Reviewers confirm or reject hours sponsors logged. Confirming counts the hours on their installment and settles the pledge;
/// the entry's version guards against two reviewers acting at once (the second is told, the hours count once).
/// </summary>
public sealed class ReviewTimeEntries(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<TimeEntryQueueRow>>> QueueAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<IReadOnlyList<TimeEntryQueueRow>>.Forbidden("Only reviewers confirm hours.");
        }
        var rows = await (from t in db.TimeEntries.AsNoTracking()
                          where t.Status == ConfirmationStatus.Submitted
                          join p in db.Pledges on t.PledgeId equals p.Id
                          join u in db.Users on t.LoggedByUserId equals u.Id into users
                          from u in users.DefaultIfEmpty()
                          orderby t.LoggedAt, t.Id
                          select new
                          {
                              t.Id,
                              t.Date,
                              t.Engineer,
                              t.Minutes,
                              t.Description,
                              p.OrganisationId,
                              Organisation = p.Organisation!.Name,
                              Fund = p.Fund!.Name,
                              t.PledgeId,
                              LoggedBy = u == null ? "" : u.DisplayName,
                              t.LoggedAt,
                              t.Version,
                          })
            .Take(500)
            .ToListAsync(cancellationToken);
        return Result<IReadOnlyList<TimeEntryQueueRow>>.Ok(rows.Select(r => new TimeEntryQueueRow(r.Id, r.Date, r.Engineer, new Hours(r.Minutes).ToString(),
            r.Description, r.OrganisationId, r.Organisation, r.Fund, r.PledgeId, r.LoggedBy, r.LoggedAt, r.Version)).ToList());
    }

    /// <param name="expectedVersion">The version the reviewer saw; when given and the entry moved on since, the reviewer is told.</param>
    public Task<Result<int>> ConfirmAsync(int entryId, string userId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(entryId, userId, expectedVersion, "time-entry.confirmed", (entry, installment, now) => entry.Confirm(installment!, userId, now),
            needsInstallment: true, cancellationToken);

    public Task<Result<int>> RejectAsync(int entryId, string? reason, string userId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(entryId, userId, expectedVersion, "time-entry.rejected", (entry, _, now) => entry.Reject(userId, reason, now),
            needsInstallment: false, cancellationToken);

    private async Task<Result<int>> ReviewAsync(int entryId, string userId, int? expectedVersion, string action,
        Func<TimeEntry, Installment?, DateTime, Result<TimeEntry>> review, bool needsInstallment, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<int>.Forbidden("Only reviewers confirm hours.");
        }
        var entry = await db.TimeEntries.SingleOrDefaultAsync(t => t.Id == entryId, cancellationToken);
        if (entry is null)
        {
            return Result<int>.NotFound("The time entry");
        }
        if (expectedVersion is { } version && version != entry.Version)
        {
            return Result<int>.Conflict(entry.Status == ConfirmationStatus.Submitted
                ? "These hours changed since you loaded the list. Reload and look again."
                : $"Another reviewer already {entry.Status.ToString().ToLowerInvariant()} these hours.");
        }
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == entry.PledgeId, cancellationToken);
        var installment = pledge.Installments.SingleOrDefault(i => i.Id == entry.InstallmentId);
        if (needsInstallment && installment is null)
        {
            return Result<int>.Conflict("The period these hours were logged on no longer exists.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var result = review(entry, installment, now);
        if (!result.Succeeded)
        {
            return Result<int>.From(result.Problem!);
        }
        if (needsInstallment)
        {
            var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
            settings.Settle(pledge, DateOnly.FromDateTime(now), now);
        }
        db.Audit(action, nameof(TimeEntry), entry.Id.ToString(CultureInfo.InvariantCulture), userId, now, pledge.OrganisationId,
            new { status = nameof(ConfirmationStatus.Submitted) },
            new { status = entry.Status.ToString(), hours = entry.Hours.TotalHours, reason = entry.RejectionReason, pledgeStatus = pledge.Status.ToString() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<int>.Conflict("Another reviewer acted on these hours (or their period) at the same moment. Reload to see where they stand.");
        }
        return Result<int>.Ok(entry.Id);
    }
}
