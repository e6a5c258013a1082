using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.FollowUp;

/// <summary>What a reviewer does about one overdue installment: snooze it, write a note, forgive the shortfall. Each is audited.</summary>
public sealed class FollowUpActions(IDbContextFactory<AppDbContext> contexts, FollowUpJob job, TimeProvider clock)
{
    public Task<Result<int>> SnoozeAsync(int installmentId, DateOnly until, string? note, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(installmentId, userId, "installment.snoozed", (installment, today, _) => installment.Snooze(until, note, today),
            i => new { snoozedUntil = i.SnoozedUntil, note = i.FollowUpNote }, settle: false, cancellationToken);

    public Task<Result<int>> WriteNoteAsync(int installmentId, string note, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(installmentId, userId, "installment.note-written", (installment, _, _) => installment.WriteNote(note),
            i => new { note = i.FollowUpNote }, settle: false, cancellationToken);

    public Task<Result<int>> ForgiveAsync(int installmentId, string reason, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(installmentId, userId, "installment.forgiven", (installment, today, now) => installment.Forgive(reason, userId, today, now),
            i => new { status = i.Status.ToString(), reason = i.ForgivenReason, outstanding = i.OutstandingUnits }, settle: true, cancellationToken);

    /// <summary>Runs the reminder job once, now, for a reviewer who does not want to wait for its next interval.</summary>
    public async Task<Result<FollowUpRun>> SendDueRemindersNowAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.IsReviewerAsync(userId, cancellationToken))
            {
                return Result<FollowUpRun>.Forbidden("Only reviewers send reminders.");
            }
            db.Audit("follow-up.run-now", "FollowUpJob", "reminders", userId, now);
            await db.SaveChangesAsync(cancellationToken);
        }
        return Result<FollowUpRun>.Ok(await job.RunOnceAsync(DateOnly.FromDateTime(now), cancellationToken));
    }

    private async Task<Result<int>> ChangeAsync(int installmentId, string userId, string action,
        Func<Installment, DateOnly, DateTime, Result<Installment>> change, Func<Installment, object> snapshot, bool settle,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<int>.Forbidden("Only reviewers follow up overdue installments.");
        }
        var installment = await db.Installments.Include(i => i.Pledge).ThenInclude(p => p!.Installments)
            .SingleOrDefaultAsync(i => i.Id == installmentId, cancellationToken);
        if (installment is null)
        {
            return Result<int>.NotFound("The installment");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var before = snapshot(installment);
        var result = change(installment, today, now);
        if (!result.Succeeded)
        {
            return Result<int>.From(result.Problem!);
        }
        var pledge = installment.Pledge!;
        if (settle)
        {
            var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
            settings.Settle(pledge, today, now);
        }
        db.Audit(action, nameof(Installment), installment.Id.ToString(CultureInfo.InvariantCulture), userId, now, pledge.OrganisationId, before, snapshot(installment));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<int>.Conflict("Someone else changed this installment a moment ago. Reload the list and try again.");
        }
        return Result<int>.Ok(installment.Id);
    }
}
