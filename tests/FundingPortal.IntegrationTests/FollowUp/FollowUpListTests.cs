using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.FollowUp;
using FundingPortal.Web.Features.Fulfilment;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.FollowUp;

[Collection(PortalTests.Name)]
public class FollowUpListTests(PortalFactory portal)
{
    private async Task<IReadOnlyList<OverdueRow>> RowsAsync(Sponsorship arrange, bool includeSnoozed = false)
    {
        var rows = new List<OverdueRow>();
        for (var page = 1; ; page++)
        {
            var result = await portal.WithScopeAsync<OverdueInstallments, Result<OverduePage>>(q => q.ListAsync(arrange.Reviewer.Id, includeSnoozed, page));
            rows.AddRange(result.Value!.Rows.Where(r => r.OrganisationId == arrange.OrganisationId));
            if (page * result.Value.PageSize >= result.Value.Total)
            {
                return rows;
            }
        }
    }

    [Fact]
    public async Task Overdue_installments_are_listed_most_overdue_first_with_what_is_outstanding()
    {
        var arrange = await portal.Given().SponsorshipAsync("Late Payer");
        var pledge = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(Given.Today.AddMonths(-1), 3));
        await arrange.EngineerTimeAsync(8, Given.Monthly(Given.Today.AddMonths(-2), 2));

        var rows = await RowsAsync(arrange);

        Assert.Equal(4, rows.Count);
        Assert.Equal(rows.OrderByDescending(r => r.DaysOverdue).Select(r => r.InstallmentId), rows.Select(r => r.InstallmentId));
        Assert.Contains(rows, r => r.PledgeId == pledge.Id && r.Outstanding == "100.00 USD" && r.DueDate == Given.Today && r.DaysOverdue == 0);
        Assert.Contains(rows, r => r.Kind == PledgeKind.EngineerTime && r.Outstanding == "8 h");
    }

    [Fact]
    public async Task Snooze_note_and_forgive_are_audited_and_change_the_list()
    {
        var arrange = await portal.Given().SponsorshipAsync("Forgiven Ltd");
        await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-5)));
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-3)));
        var rows = await RowsAsync(arrange);
        var (first, second) = (rows[0].InstallmentId, rows[1].InstallmentId);

        var snoozed = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.SnoozeAsync(first, Given.Today.AddDays(5), "Invoice lost", arrange.Reviewer.Id));
        var noted = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.WriteNoteAsync(second, "Called their finance team", arrange.Reviewer.Id));
        var noReason = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.ForgiveAsync(second, " ", arrange.Reviewer.Id));
        var forgiven = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.ForgiveAsync(second, "Company in administration", arrange.Reviewer.Id));

        Assert.True(snoozed.Succeeded && noted.Succeeded && forgiven.Succeeded);
        Assert.Equal("reason", noReason.Problem!.Field);
        Assert.Empty(await RowsAsync(arrange));
        var withSnoozed = Assert.Single(await RowsAsync(arrange, includeSnoozed: true));
        Assert.Equal((first, Given.Today.AddDays(5), "Invoice lost"), (withSnoozed.InstallmentId, withSnoozed.SnoozedUntil!.Value, withSnoozed.Note));
        await using var db = portal.NewDbContext();
        var audited = await db.AuditEvents.Where(a => a.OrganisationId == arrange.OrganisationId && a.Action.StartsWith("installment.")).Select(a => a.Action).ToListAsync();
        Assert.Equal(["installment.forgiven", "installment.note-written", "installment.snoozed"], audited.Order().ToList());
        var installment = await db.Installments.SingleAsync(i => i.Id == second);
        Assert.Equal((InstallmentStatus.Forgiven, "Company in administration"), (installment.Status, installment.ForgivenReason));
        // Its only installment forgiven with nothing delivered: the pledge has ended, lapsed.
        Assert.Equal(PledgeStatus.Lapsed, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
    }

    [Fact]
    public async Task Sponsors_cannot_use_the_follow_up_or_the_dashboard()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-1)));
        var installmentId = (await RowsAsync(arrange)).Single().InstallmentId;

        var list = await portal.WithScopeAsync<OverdueInstallments, Result<OverduePage>>(q => q.ListAsync(arrange.Sponsor.Id, false));
        var forgive = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.ForgiveAsync(installmentId, "please", arrange.Sponsor.Id));
        var snooze = await portal.WithScopeAsync<FollowUpActions, Result<int>>(a => a.SnoozeAsync(installmentId, Given.Today.AddDays(3), null, arrange.Sponsor.Id));
        var run = await portal.WithScopeAsync<FollowUpActions, Result<FollowUpRun>>(a => a.SendDueRemindersNowAsync(arrange.Sponsor.Id));
        var dashboard = await portal.WithScopeAsync<ReviewerDashboard, Result<ReviewerDashboardView>>(d => d.GetAsync(arrange.Sponsor.Id));

        Assert.All([list.Problem, forgive.Problem, snooze.Problem, run.Problem, dashboard.Problem], p => Assert.Equal(ProblemKind.Forbidden, p!.Kind));
        await using var db = portal.NewDbContext();
        var installment = await db.Installments.SingleAsync(i => i.Id == installmentId);
        Assert.Equal((InstallmentStatus.Scheduled, (DateOnly?)null), (installment.Status, installment.SnoozedUntil));
        Assert.Equal(PledgeStatus.Active, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
    }

    [Fact]
    public async Task The_dashboard_counts_each_queue()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        await arrange.MoneyAsync(12_345, "EUR", PledgeSchedule.OneOff(Given.Today.AddDays(-2)));
        var time = await arrange.EngineerTimeAsync(10, Given.Monthly(Given.Today.AddDays(-3), 2));
        var before = (await portal.WithScopeAsync<ReviewerDashboard, Result<ReviewerDashboardView>>(d => d.GetAsync(arrange.Reviewer.Id))).Value!;
        await portal.WithScopeAsync<LogHours, Result<int>>(h => h.LogAsync(arrange.OrganisationId, time.Id,
            new HoursInput { Date = DateTime.UtcNow.Date, Engineer = "Eve", Hours = "1", Description = "Patched runner image" }, arrange.Sponsor.Id));

        var after = (await portal.WithScopeAsync<ReviewerDashboard, Result<ReviewerDashboardView>>(d => d.GetAsync(arrange.Reviewer.Id))).Value!;

        Assert.Equal(before.TimeEntriesToConfirm + 1, after.TimeEntriesToConfirm);
        Assert.True(after.OverdueInstallments >= 1);
        Assert.Contains(after.OverdueOutstanding, o => o.EndsWith(" EUR", StringComparison.Ordinal));
        Assert.Contains(after.FundBalances, f => f.FundId == arrange.FundId);
    }
}
