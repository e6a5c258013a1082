using FundingPortal.Web.Infrastructure.Email;

using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.FollowUp;

/// <summary>What one run of the follow-up job did, and how much it had to read to do it.</summary>
public sealed record FollowUpRun(int PledgesSettled, int RemindersSent)
{
    /// <summary>Pledges the settle step loaded: only those the passing of time can change.</summary>
    public int PledgesLoaded { get; init; }

    /// <summary>Due installments the remind step loaded: only those missing the reminder of their current stage.</summary>
    public int InstallmentsRead { get; init; }
}

/// <summary>
/// Runs on every web instance, at start-up and then every <c>Portal:FollowUpIntervalMinutes</c>: settles running pledges (lapsed
/// after the grace period, open-ended ones extended) and emails each organisation about installments that need following up.
/// Several instances may run it at once: a reminder is first claimed by inserting its (installment, stage) row, which the
/// database lets only one of them do, and only the instance whose insert succeeded sends the email.
/// </summary>
public sealed class FollowUpJob(
    IDbContextFactory<AppDbContext> contexts,
    Mailer mailer,
    TimeProvider clock,
    IOptions<FollowUpOptions> options,
    ILogger<FollowUpJob> logger) : BackgroundService
{
    /// <summary>Pledges loaded and saved at a time (with their installments), so one save never holds the database for long.</summary>
    public const int BatchSize = 200;

    /// <summary>Due installments read at a time for reminders (no tracking, no writes).</summary>
    public const int ReadBatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.FollowUpIntervalMinutes;
        if (minutes == 0)
        {
            logger.LogInformation("Follow-up job is switched off (Portal:FollowUpIntervalMinutes is 0).");
            return;
        }
        // Let the host finish starting before the first run reads the database.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        do
        {
            try
            {
                var run = await RunOnceAsync(Today(), stoppingToken);
                logger.LogInformation("Follow-up: {Settled} pledges settled, {Sent} reminders sent.", run.PledgesSettled, run.RemindersSent);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed run (database briefly away, SMTP down) must not stop the next ones.
                logger.LogError(e, "Follow-up run failed; trying again in {Minutes} minutes.", minutes);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>One pass over the database as of <paramref name="today"/>. Safe to run concurrently with itself.</summary>
    public async Task<FollowUpRun> RunOnceAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        FollowUpSettings settings;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
        }
        var (settled, loaded) = await SettleAsync(settings, today, cancellationToken);
        var (sent, read) = await RemindAsync(settings, today, cancellationToken);
        return new FollowUpRun(settled, sent) { PledgesLoaded = loaded, InstallmentsRead = read };
    }

    private async Task<(int Settled, int Loaded)> SettleAsync(FollowUpSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        List<int> candidates;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            candidates = await FollowUpCandidates.PledgesToSettle(db, today, settings.GracePeriodDays).ToListAsync(cancellationToken);
        }
        var settled = 0;
        foreach (var ids in candidates.Chunk(BatchSize))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = await db.Pledges
                .Include(p => p.Installments)
                .Where(p => ids.Contains(p.Id))
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var changed = 0;
            foreach (var pledge in batch)
            {
                var before = pledge.Status;
                if (settings.Settle(pledge, today, now) != before)
                {
                    changed++;
                    db.Audit("pledge.settled", nameof(Pledge), pledge.Id.ToString(CultureInfo.InvariantCulture), null, now, pledge.OrganisationId,
                        new { status = before.ToString() }, new { status = pledge.Status.ToString() });
                }
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                settled += changed;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance or a reviewer changed one of these pledges meanwhile; the next run looks at them again.
                logger.LogInformation("Follow-up: pledges {From}..{To} changed while being settled; left for the next run.", ids[0], ids[^1]);
            }
        }
        return (settled, candidates.Count);
    }

    private async Task<(int Sent, int Read)> RemindAsync(FollowUpSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        // An installment's reminder stage is a function of its due date, so the due dates split into one window per stage (stage 0:
        // the last interval up to today, stage 1: the interval before, …); each window asks the database, through the due-date index,
        // only for installments still missing that stage's reminder.
        var interval = settings.ReminderIntervalDays;
        var due = new List<int>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await FollowUpCandidates.OldestDueAsync(db, today, cancellationToken) is { } oldest)
            {
                for (var stage = 0; today.AddDays(-stage * interval) >= oldest; stage++)
                {
                    var to = today.AddDays(-stage * interval);
                    var from = to.AddDays(1 - interval);
                    due.AddRange(await FollowUpCandidates.DueWithoutReminder(db, today, from, to, stage).ToListAsync(cancellationToken));
                }
            }
        }
        var sent = 0;
        foreach (var ids in due.Order().Chunk(ReadBatchSize))
        {
            List<DueInstallment> batch;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                // Read again by key: a payment, snooze or cancellation since the list was made takes the installment out.
                batch = await db.Installments.AsNoTracking()
                    .Where(i => ids.Contains(i.Id) && i.DueDate <= today && FollowUpCandidates.OpenStatuses.Contains(i.Status)
                        && (i.SnoozedUntil == null || i.SnoozedUntil <= today)
                        && i.Pledge!.Status == PledgeStatus.Active)
                    .OrderBy(i => i.Id)
                    .Select(i => new DueInstallment(i.Id, i.PledgeId, i.Sequence, i.DueDate, i.Pledge!.Kind, i.Currency,
                        i.AmountDueMinor - i.AmountReceivedMinor, i.HoursDueMinutes - i.HoursDeliveredMinutes,
                        i.Pledge.Organisation!.Name, i.Pledge.Organisation.BillingEmail, i.Pledge.Fund!.Name))
                    .ToListAsync(cancellationToken);
            }
            foreach (var installment in batch)
            {
                var daysOverdue = Math.Max(0, today.DayNumber - installment.DueDate.DayNumber);
                var stage = InstallmentReminder.StageFor(daysOverdue, interval);
                // Another instance may have claimed it since the list was made: the unique (installment, stage) index refuses the second.
                if (string.IsNullOrWhiteSpace(installment.BillingEmail)
                    || await TryClaimAsync(installment, stage, cancellationToken) is not { } claimId)
                {
                    continue;
                }
                if (await TrySendAsync(installment, ReminderEmail.For(installment, daysOverdue, settings.ReplyTo), claimId, cancellationToken))
                {
                    sent++;
                }
            }
        }
        return (sent, due.Count);
    }

    /// <summary>Inserts the (installment, stage) row; null when another instance got there first.</summary>
    private async Task<long?> TryClaimAsync(DueInstallment due, int stage, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var claim = InstallmentReminder.Claim(due.Id, stage, due.BillingEmail, clock.GetUtcNow().UtcDateTime);
        db.InstallmentReminders.Add(claim);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return claim.Id;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return null;
        }
    }

    private async Task<bool> TrySendAsync(DueInstallment due, OutgoingEmail reminder, long claimId, CancellationToken cancellationToken)
    {
        try
        {
            await mailer.SendAsync(reminder, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Give the claim back so the next run tries again, rather than never sending this reminder.
            logger.LogError(e, "Reminder for installment {InstallmentId} could not be sent to {To}.", due.Id, due.BillingEmail);
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            await db.InstallmentReminders.Where(r => r.Id == claimId).ExecuteDeleteAsync(CancellationToken.None);
            return false;
        }
    }
}
