using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.FollowUp;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests.FollowUp;

/// <summary>
/// The follow-up pass looks only at what the passing of time can change, and still reaches everything: pledges and installments
/// beyond several batches are all settled and reminded, pledges nothing can change are not loaded, and a full look afterwards finds
/// nothing the pass missed. Assertions are about this test's own organisation; the job sees the whole shared database.
/// </summary>
[Collection(PortalTests.Name)]
public class FollowUpScaleTests(PortalFactory portal)
{
    private FollowUpJob Job => portal.Services.GetRequiredService<FollowUpJob>();

    [Fact]
    public async Task Pledges_and_installments_beyond_several_batches_are_all_settled_and_reminded_once()
    {
        var arrange = await portal.Given().SponsorshipAsync("Many Pledges Ltd");
        var today = Given.Today;
        var grace = await GraceDaysAsync();
        var lapsing = await AcceptedAsync(arrange, 2 * FollowUpJob.BatchSize + 1, PledgeSchedule.OneOff(today.AddDays(-grace - 15)));
        var due = await AcceptedAsync(arrange, FollowUpJob.ReadBatchSize + 1, PledgeSchedule.OneOff(today));

        var run = await Job.RunOnceAsync(today);
        var again = await Job.RunOnceAsync(today);

        Assert.True(run.PledgesSettled >= lapsing.Count, $"{run.PledgesSettled} settled");
        Assert.True(run.RemindersSent >= due.Count, $"{run.RemindersSent} sent");
        await using var db = portal.NewDbContext();
        var statuses = await db.Pledges.Where(p => p.OrganisationId == arrange.OrganisationId)
            .GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.Equal(lapsing.Count, statuses[PledgeStatus.Lapsed]);
        Assert.Equal(due.Count, statuses[PledgeStatus.Active]);
        var keys = lapsing.Select(id => Devops.Key(id)).ToList();
        Assert.Equal(lapsing.Count, await db.AuditEvents.CountAsync(a => a.Action == "pledge.settled" && keys.Contains(a.EntityId!)));
        var reminded = await db.InstallmentReminders.Where(r => r.SentTo == arrange.BillingEmail).Select(r => new { r.InstallmentId, r.Stage }).ToListAsync();
        Assert.Equal(due.Count, reminded.Count);
        Assert.All(reminded, r => Assert.Equal(0, r.Stage));
        Assert.Equal(due.Count, portal.EmailsTo(arrange.BillingEmail).Count);
        // Nothing of ours was left for the second pass, and it sent nothing again.
        Assert.Equal(due.Count, await db.InstallmentReminders.CountAsync(r => r.SentTo == arrange.BillingEmail));
        Assert.True(again.PledgesLoaded < run.PledgesLoaded, $"second pass loaded {again.PledgesLoaded}, first {run.PledgesLoaded}");
    }

    [Fact]
    public async Task Only_pledges_the_passing_of_time_can_change_are_loaded()
    {
        var arrange = await portal.Given().SponsorshipAsync("Choosy Ltd");
        var today = Given.Today;
        var nextMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var grace = await GraceDaysAsync();
        var lapsing = (await AcceptedAsync(arrange, 1, PledgeSchedule.OneOff(today.AddDays(-grace - 15))))[0];
        var openEnded = (await AcceptedAsync(arrange, 1, new PledgeSchedule(PledgeFrequency.Monthly, nextMonth, null, null)))[0];
        var fixedTerm = (await AcceptedAsync(arrange, 1, Given.Monthly(nextMonth, 12)))[0];
        var delivered = (await AcceptedAsync(arrange, 1, PledgeSchedule.OneOff(today.AddDays(-grace - 15)), partlyPaid: true))[0];
        var withinGrace = (await AcceptedAsync(arrange, 1, PledgeSchedule.OneOff(today.AddDays(-Math.Max(0, grace - 10)))))[0];
        int[] ours = [lapsing, openEnded, fixedTerm, delivered, withinGrace];

        await using (var db = portal.NewDbContext())
        {
            Assert.Equal([lapsing], await Candidates(db, today, grace, ours));
            // A month and more on, the open-ended pledge's twelve periods no longer reach its horizon (it is to be extended), and the
            // one-off that was inside its grace period today is past it.
            Assert.Equal([lapsing, openEnded, withinGrace], await Candidates(db, today.AddDays(40), grace, ours));
        }

        await using (var db = portal.NewDbContext())
        {
            var active = await db.Pledges.CountAsync(p => p.Status == PledgeStatus.Active);
            var run = await Job.RunOnceAsync(today);
            // Four of ours are active and nothing can change them today: a pass that loaded every active pledge would load them too.
            Assert.True(run.PledgesLoaded <= active - 4, $"{run.PledgesLoaded} loaded of {active} active pledges");
        }

        var later = today.AddDays(40);
        await Job.RunOnceAsync(later);
        // A full look at every pledge of ours, settled in memory as of the same day, finds nothing the pass missed.
        await using var check = portal.NewDbContext();
        var pledges = await check.Pledges.Include(p => p.Installments).Where(p => ours.Contains(p.Id)).AsSplitQuery().ToListAsync();
        Assert.Equal(PledgeStatus.Lapsed, pledges.Single(p => p.Id == lapsing).Status);
        Assert.Equal(PledgeStatus.Lapsed, pledges.Single(p => p.Id == withinGrace).Status);
        Assert.True(pledges.Single(p => p.Id == openEnded).Installments.Count > 12);
        foreach (var pledge in pledges)
        {
            var (status, installments) = (pledge.Status, pledge.Installments.Count);
            pledge.Settle(later, grace, DateTime.UtcNow);
            Assert.Equal((status, installments), (pledge.Status, pledge.Installments.Count));
        }
    }

    private static async Task<List<int>> Candidates(Core.Data.AppDbContext db, DateOnly today, int grace, int[] ours) =>
        (await FollowUpCandidates.PledgesToSettle(db, today, grace).ToListAsync()).Where(ours.Contains).ToList();

    private async Task<int> GraceDaysAsync()
    {
        await using var db = portal.NewDbContext();
        return (await FollowUpSettings.ReadAsync(db)).GracePeriodDays;
    }

    /// <summary>Accepted money pledges of the test's organisation, saved together (the pledge form would take minutes for hundreds).</summary>
    private async Task<List<int>> AcceptedAsync(Sponsorship arrange, int count, PledgeSchedule schedule, bool partlyPaid = false)
    {
        await using var db = portal.NewDbContext();
        var now = DateTime.UtcNow;
        var pledges = Enumerable.Range(0, count).Select(_ =>
        {
            var pledge = Pledge.SubmitMoney(arrange.OrganisationId, arrange.FundId, new Money(10_000, "USD"), schedule, PaymentMethod.Invoice,
                PaymentTiming.Now, arrange.Sponsor.Id, now);
            Assert.True(pledge.Accept(arrange.Reviewer.Id, "Thank you", now).Succeeded);
            if (partlyPaid)
            {
                Assert.True(pledge.Installments[0].RecordReceived(new Money(1_000, "USD")).Succeeded);
            }
            return pledge;
        }).ToList();
        db.Pledges.AddRange(pledges);
        await db.SaveChangesAsync();
        return pledges.Select(p => p.Id).ToList();
    }
}
