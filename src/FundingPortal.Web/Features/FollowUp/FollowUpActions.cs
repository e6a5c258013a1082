namespace FundingPortal.Web.Features.FollowUp;

/// <summary>What a reviewer does about one overdue installment: snooze it, write a note, forgive the shortfall. Each is audited.</summary>
public sealed class FollowUpActions(Handlers handlers, FollowUpJob job)
{
    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers follow up overdue installments.",
        "Someone else changed this installment a moment ago. Reload the list and try again.");

    public Task<Result<int>> SnoozeAsync(int installmentId, DateOnly until, string? note, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(installmentId, userId, "installment.snoozed", (installment, scope) => installment.Snooze(until, note, scope.Today),
            i => new { snoozedUntil = i.SnoozedUntil, note = i.FollowUpNote }, settle: false, cancellationToken);

    public Task<Result<int>> WriteNoteAsync(int installmentId, string note, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(installmentId, userId, "installment.note-written", (installment, _) => installment.WriteNote(note),
            i => new { note = i.FollowUpNote }, settle: false, cancellationToken);

    public Task<Result<int>> ForgiveAsync(int installmentId, string reason, string userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(installmentId, userId, "installment.forgiven", (installment, scope) => installment.Forgive(reason, userId, scope.Today, scope.Now),
            i => new { status = i.Status.ToString(), reason = i.ForgivenReason, outstanding = i.OutstandingUnits }, settle: true, cancellationToken);

    /// <summary>Runs the reminder job once, now, for a reviewer who does not want to wait for its next interval.</summary>
    public Task<Result<FollowUpRun>> SendDueRemindersNowAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers with { Forbidden = "Only reviewers send reminders." }, async scope =>
        {
            scope.Db.Audit("follow-up.run-now", "FollowUpJob", "reminders", userId, scope.Now);
            await scope.Db.SaveChangesAsync(cancellationToken);
            return Result<FollowUpRun>.Ok(await job.RunOnceAsync(scope.Today, cancellationToken));
        }, cancellationToken);

    private Task<Result<int>> ChangeAsync(int installmentId, string userId, string action,
        Func<Installment, HandlerScope, Result<Installment>> change, Func<Installment, object> snapshot, bool settle,
        CancellationToken cancellationToken) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var installment = await db.Installments.Include(i => i.Pledge).ThenInclude(p => p!.Installments)
                .SingleOrDefaultAsync(i => i.Id == installmentId, cancellationToken);
            if (installment is null)
            {
                return Result<int>.NotFound("The installment");
            }
            var before = snapshot(installment);
            var changed = change(installment, scope);
            if (!changed.Succeeded)
            {
                return changed.Problem!;
            }
            var pledge = installment.Pledge!;
            if (settle)
            {
                var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
                settings.Settle(pledge, scope.Today, scope.Now);
            }
            db.Audit(action, nameof(Installment), installment.Id.ToString(CultureInfo.InvariantCulture), userId, scope.Now, pledge.OrganisationId, before, snapshot(installment));
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(installment.Id);
        }, cancellationToken);
}
