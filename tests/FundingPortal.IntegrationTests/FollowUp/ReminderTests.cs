using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.FollowUp;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests.FollowUp;

/// <summary>
/// The follow-up job, run directly for a chosen day. It looks at the whole database, so every assertion is about this test's own
/// organisation (its billing address) and pledges.
/// </summary>
[Collection(PortalTests.Name)]
public class ReminderTests(PortalFactory portal)
{
    private FollowUpJob Job => portal.Services.GetRequiredService<FollowUpJob>();

    private IReadOnlyList<(string Subject, string Html)> Emails(Sponsorship arrange) => portal.EmailsTo(arrange.BillingEmail);

    [Fact]
    public async Task Due_today_sends_stage_zero_once_then_stage_one_after_an_interval()
    {
        var arrange = await portal.Given().SponsorshipAsync("Reminded Ltd");
        var due = Given.Today;
        var pledge = await arrange.MoneyAsync(50_000, "USD", PledgeSchedule.OneOff(due));

        await Job.RunOnceAsync(due);
        var first = Assert.Single(Emails(arrange));
        Assert.Contains($"Payment of 500.00 USD due on {due:yyyy-MM-dd} is due today", first.Subject, StringComparison.Ordinal);
        Assert.Contains($"PLEDGE-{pledge.Id}-1", first.Html, StringComparison.Ordinal);

        await Job.RunOnceAsync(due);
        await Job.RunOnceAsync(due.AddDays(13));
        Assert.Single(Emails(arrange));

        await Job.RunOnceAsync(due.AddDays(14));
        var emails = Emails(arrange);
        Assert.Equal(2, emails.Count);
        Assert.Contains(emails, e => e.Subject.Contains($"due on {due:yyyy-MM-dd} is 14 days overdue", StringComparison.Ordinal));
        await using var db = portal.NewDbContext();
        var installmentId = await db.Installments.Where(i => i.PledgeId == pledge.Id).Select(i => i.Id).SingleAsync();
        Assert.Equal([0, 1], await db.InstallmentReminders.Where(r => r.InstallmentId == installmentId).OrderBy(r => r.Stage).Select(r => r.Stage).ToListAsync());
    }

    [Fact]
    public async Task A_payment_reminder_replies_to_the_reply_to_setting_and_asks_for_no_reply_without_one()
    {
        var silent = await portal.Given().SponsorshipAsync("Silent Ltd");
        await silent.MoneyAsync(50_000, "USD", PledgeSchedule.OneOff(Given.Today));
        await Job.RunOnceAsync(Given.Today);
        var noReply = Assert.Single(Emails(silent));
        Assert.Contains("nothing more to do", noReply.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("reply to this email", noReply.Html, StringComparison.Ordinal);

        var answered = await portal.Given().SponsorshipAsync("Answered Ltd");
        await answered.MoneyAsync(50_000, "USD", PledgeSchedule.OneOff(Given.Today));
        await using (var db = portal.NewDbContext())
        {
            db.Settings.Add(PortalSetting.Create(FollowUpSettings.ReplyToKey, "devops@example.org"));
            await db.SaveChangesAsync();
        }
        try
        {
            await Job.RunOnceAsync(Given.Today);
        }
        finally
        {
            await using var db = portal.NewDbContext();
            await db.Settings.Where(s => s.Key == FollowUpSettings.ReplyToKey).ExecuteDeleteAsync();
        }

        var reminder = Directory.EnumerateFiles(portal.MailFolder, "*.eml").Select(file => MimeKit.MimeMessage.Load(file))
            .Single(m => m.To.Mailboxes.Any(to => to.Address == answered.BillingEmail));
        Assert.Equal("devops@example.org", Assert.Single(reminder.ReplyTo.Mailboxes).Address);
        Assert.Contains("reply to this email with the date and your bank reference", reminder.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hours_pledges_are_reminded_in_hours()
    {
        var arrange = await portal.Given().SponsorshipAsync("Hourly Ltd");
        var start = Given.Today.AddMonths(-1);
        await arrange.EngineerTimeAsync(10, Given.Monthly(start, 4));
        var due = start.AddMonths(1).AddDays(-1);

        await Job.RunOnceAsync(Given.Today);

        var email = Assert.Single(Emails(arrange));
        Assert.Contains($"10 h of engineer time due on {due:yyyy-MM-dd} are", email.Subject, StringComparison.Ordinal);
        Assert.Contains("log the hours", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snoozed_installment_gets_no_reminder_until_the_snooze_ends()
    {
        var arrange = await portal.Given().SponsorshipAsync("Sleepy Ltd");
        var pledge = await arrange.MoneyAsync(50_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-3)));
        var installmentId = await InstallmentIdAsync(pledge.Id);

        var snoozed = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.SnoozeAsync(installmentId, Given.Today.AddDays(7), "Paying next week", arrange.Reviewer.Id));
        Assert.True(snoozed.Succeeded, snoozed.Problem?.Message);

        await Job.RunOnceAsync(Given.Today);
        Assert.Empty(Emails(arrange));
        await Job.RunOnceAsync(Given.Today.AddDays(7));
        Assert.Single(Emails(arrange));
    }

    [Fact]
    public async Task A_pledge_with_nothing_delivered_lapses_after_the_grace_period_and_is_no_longer_chased()
    {
        var arrange = await portal.Given().SponsorshipAsync("Lapsing Ltd");
        var due = Given.Today;
        var pledge = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(due, 3));

        await Job.RunOnceAsync(due.AddDays(30));
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(PledgeStatus.Active, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
        }
        var beforeLapse = Emails(arrange).Count;

        await Job.RunOnceAsync(due.AddDays(31));

        await using var check = portal.NewDbContext();
        var reloaded = await check.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledge.Id);
        Assert.Equal(PledgeStatus.Lapsed, reloaded.Status);
        Assert.All(reloaded.Installments.Where(i => i.DueDate > due.AddDays(31)), i => Assert.Equal(InstallmentStatus.Cancelled, i.Status));
        Assert.True(await check.AuditEvents.AnyAsync(a => a.Action == "pledge.settled" && a.EntityId == Devops.Key(pledge.Id)));
        await Job.RunOnceAsync(due.AddDays(45));
        Assert.Equal(beforeLapse, Emails(arrange).Count);
    }

    [Fact]
    public async Task Two_instances_running_at_once_send_exactly_one_email_per_installment_and_stage()
    {
        var arrange = await portal.Given().SponsorshipAsync("Busy Ltd");
        var today = Given.Today;
        // Six installments due today or up to 25 days ago (inside the grace period, so nothing lapses): stages 0 and 1.
        var pledges = new List<Pledge>();
        foreach (var daysAgo in new[] { 0, 3, 7, 14, 20, 25 })
        {
            pledges.Add(await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(today.AddDays(-daysAgo))));
        }
        var instances = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<FollowUpJob>(portal.Services)).ToList();

        await Task.WhenAll(instances.Select(job => Task.Run(() => job.RunOnceAsync(today))));
        await Task.WhenAll(instances.Select(job => Task.Run(() => job.RunOnceAsync(today))));

        Assert.Equal(6, Emails(arrange).Count);
        await using var db = portal.NewDbContext();
        var pledgeIds = pledges.Select(p => p.Id).ToList();
        var ids = await db.Installments.Where(i => pledgeIds.Contains(i.PledgeId)).Select(i => i.Id).ToListAsync();
        var claims = await db.InstallmentReminders.Where(r => ids.Contains(r.InstallmentId)).ToListAsync();
        Assert.Equal(6, claims.Count);
        Assert.Equal(6, claims.Select(c => (c.InstallmentId, c.Stage)).Distinct().Count());
        Assert.All(claims, c => Assert.Equal(arrange.BillingEmail, c.SentTo));
    }

    [Fact]
    public async Task The_organisation_name_is_shown_as_text_in_the_reminder()
    {
        var arrange = await portal.Given().SponsorshipAsync("<script>alert(1)</script> Ltd");
        await arrange.MoneyAsync(50_000, "USD", PledgeSchedule.OneOff(Given.Today));

        await Job.RunOnceAsync(Given.Today);

        var email = Assert.Single(Emails(arrange));
        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Ltd", email.Html, StringComparison.Ordinal);
    }

    private async Task<int> InstallmentIdAsync(int pledgeId)
    {
        await using var db = portal.NewDbContext();
        return await db.Installments.Where(i => i.PledgeId == pledgeId).OrderBy(i => i.Sequence).Select(i => i.Id).FirstAsync();
    }
}
