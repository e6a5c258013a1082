using System.Net;

using FundingPortal.Web.Infrastructure.Email;

using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.FollowUp;

/// <summary>What one run of the follow-up job did.</summary>
public sealed record FollowUpRun(int PledgesSettled, int RemindersSent);

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
    /// <summary>Rows loaded at a time, so a database with tens of thousands of pledges is never read in one go.</summary>
    public const int BatchSize = 200;

    private static readonly InstallmentStatus[] OpenStatuses = [InstallmentStatus.Scheduled, InstallmentStatus.PartiallyFulfilled, InstallmentStatus.Failed];

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
        var settled = await SettleAsync(settings, today, cancellationToken);
        var sent = await RemindAsync(settings, today, cancellationToken);
        return new FollowUpRun(settled, sent);
    }

    private async Task<int> SettleAsync(FollowUpSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        // Only pledges the passing of time can change: nothing delivered yet and an open installment past its grace period (it may
        // lapse), or an open-ended schedule to extend. Deliveries, forgiveness and cancellation settle their pledge when they happen.
        var lapseBefore = today.AddDays(-settings.GracePeriodDays);
        var settled = 0;
        var lastId = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = await db.Pledges
                .Include(p => p.Installments)
                .Where(p => p.Id > lastId && p.Status == PledgeStatus.Active
                    && ((p.Frequency != PledgeFrequency.OneOff && p.EndDate == null && p.PeriodCount == null)
                        || (p.Installments.Any(i => OpenStatuses.Contains(i.Status) && i.DueDate < lapseBefore)
                            && !p.Installments.Any(i => i.AmountReceivedMinor > 0 || i.HoursDeliveredMinutes > 0))))
                .OrderBy(p => p.Id)
                .Take(BatchSize)
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return settled;
            }
            lastId = batch[^1].Id;
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
                logger.LogInformation("Follow-up: pledges {From}..{To} changed while being settled; left for the next run.", batch[0].Id, lastId);
            }
        }
    }

    private async Task<int> RemindAsync(FollowUpSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        var sent = 0;
        var lastId = 0;
        while (true)
        {
            List<DueInstallment> batch;
            HashSet<(int, int)> claimed;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                batch = await db.Installments.AsNoTracking()
                    .Where(i => i.Id > lastId && i.DueDate <= today && OpenStatuses.Contains(i.Status)
                        && (i.SnoozedUntil == null || i.SnoozedUntil <= today)
                        && i.Pledge!.Status == PledgeStatus.Active)
                    .OrderBy(i => i.Id)
                    .Take(BatchSize)
                    .Select(i => new DueInstallment(i.Id, i.PledgeId, i.Sequence, i.DueDate, i.Pledge!.Kind, i.Currency,
                        i.AmountDueMinor - i.AmountReceivedMinor, i.HoursDueMinutes - i.HoursDeliveredMinutes,
                        i.Pledge.Organisation!.Name, i.Pledge.Organisation.BillingEmail, i.Pledge.Fund!.Name))
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    return sent;
                }
                lastId = batch[^1].Id;
                var ids = batch.Select(b => b.Id).ToList();
                claimed = (await db.InstallmentReminders.AsNoTracking().Where(r => ids.Contains(r.InstallmentId))
                        .Select(r => new { r.InstallmentId, r.Stage }).ToListAsync(cancellationToken))
                    .Select(r => (r.InstallmentId, r.Stage)).ToHashSet();
            }
            foreach (var due in batch)
            {
                var daysOverdue = Math.Max(0, today.DayNumber - due.DueDate.DayNumber);
                var stage = InstallmentReminder.StageFor(daysOverdue, settings.ReminderIntervalDays);
                if (claimed.Contains((due.Id, stage)) || string.IsNullOrWhiteSpace(due.BillingEmail))
                {
                    continue;
                }
                if (await TryClaimAsync(due, stage, cancellationToken) is not { } claimId)
                {
                    continue;
                }
                if (await TrySendAsync(due, ReminderEmail.For(due, daysOverdue, settings.ReplyTo), claimId, cancellationToken))
                {
                    sent++;
                }
            }
        }
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

/// <summary>An installment that needs a reminder, with what the email says about it.</summary>
public sealed record DueInstallment(int Id, int PledgeId, int Sequence, DateOnly DueDate, PledgeKind Kind, string Currency,
    long OutstandingMinor, long OutstandingMinutes, string OrganisationName, string BillingEmail, string FundName);

/// <summary>The reminder an organisation's billing contact receives; names and descriptions are HTML-encoded.</summary>
public static class ReminderEmail
{
    /// <param name="replyTo">Where replies go (the <c>ReminderReplyTo</c> setting); without one the email asks for no reply.</param>
    public static OutgoingEmail For(DueInstallment due, int daysOverdue, string? replyTo = null)
    {
        var alreadyPaid = replyTo is null
            ? "If you have already paid, there is nothing more to do: payments are matched by their reference."
            : "If you have already paid, reply to this email with the date and your bank reference.";
        var when = daysOverdue == 0 ? "is due today" : daysOverdue == 1 ? "is 1 day overdue" : $"is {daysOverdue} days overdue";
        var dueOn = due.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reference = $"PLEDGE-{due.PledgeId}-{due.Sequence}";
        var (what, todo) = due.Kind switch
        {
            PledgeKind.EngineerTime => ($"{Display.Hours(due.OutstandingMinutes)} of engineer time due on {dueOn} {Verb(when)}",
                "Ask your engineer to log the hours delivered on the pledge's Hours page in FundingPortal, so a reviewer can confirm them."),
            PledgeKind.Infrastructure => ($"Infrastructure worth {Display.Money(due.OutstandingMinor, due.Currency)} due on {dueOn} {when}",
                "Record what you delivered on the pledge's Deliveries page in FundingPortal, so a reviewer can confirm it."),
            _ => ($"Payment of {Display.Money(due.OutstandingMinor, due.Currency)} due on {dueOn} {when}",
                $"Please pay by bank transfer quoting the reference {reference}. {alreadyPaid}"),
        };
        var subject = $"{what} ({due.OrganisationName})";
        var body =
            $"<p>Hello {WebUtility.HtmlEncode(due.OrganisationName)},</p>" +
            $"<p><strong>{WebUtility.HtmlEncode(what)}</strong> — your pledge to {WebUtility.HtmlEncode(due.FundName)} (reference {reference}).</p>" +
            $"<p>{WebUtility.HtmlEncode(todo)}</p>" +
            "<p>Thank you for supporting the project's infrastructure.</p>";
        return new OutgoingEmail(due.BillingEmail, subject, body, replyTo);
    }

    // "10 hours … are overdue" reads better than "is".
    private static string Verb(string when) => when.StartsWith("is ", StringComparison.Ordinal) ? "are " + when[3..] : when;
}
