using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Pledges;

[Collection(PortalTests.Name)]
public class SponsorPledgeTests(PortalFactory portal)
{
    [Fact]
    public async Task A_pledge_sent_back_shows_the_reason_and_its_terms_and_resubmitting_puts_it_back_in_the_queue()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(central, "500"));
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        await portal.Given().DecideAsync(id, ReviewDecision.RequestChanges, reviewer, "Quarterly please.");

        var view = (await portal.WithScopeAsync<GetPledges, Result<PledgeView>>(g => g.ForSponsorAsync(sponsor.OrganisationId, id, sponsor.User.Id))).Value!;
        Assert.Equal("Quarterly please.", view.ReviewReason);
        Assert.Equal(("500", PledgeFrequency.Monthly), (view.Amend.Amount, view.Amend.Frequency));

        var amended = view.Amend;
        amended.Frequency = PledgeFrequency.Quarterly;
        amended.Amount = "1500";
        amended.Periods = 4;
        var resubmitted = await portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.ResubmitAsync(sponsor.OrganisationId, id, amended, sponsor.User.Id));

        Assert.True(resubmitted.Succeeded, resubmitted.Problem?.Message);
        await using var db = portal.NewDbContext();
        var pledge = await db.Pledges.SingleAsync(p => p.Id == id);
        Assert.Equal((PledgeStatus.Submitted, PledgeFrequency.Quarterly, 150_000L, (int?)4), (pledge.Status, pledge.Frequency, pledge.AmountMinor, pledge.PeriodCount));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "pledge.resubmitted" && a.EntityId == id.ToString(CultureInfo.InvariantCulture)));
        Assert.Contains(portal.EmailsTo(sponsor.BillingEmail), e => e.Subject.StartsWith("Pledge resubmitted", StringComparison.Ordinal));
        var queue = (await portal.WithScopeAsync<GetPledges, Result<IReadOnlyList<QueuedPledge>>>(g => g.QueueAsync(reviewer.Id))).Value!;
        Assert.Contains(queue, q => q.Id == id);
    }

    [Fact]
    public async Task A_pledge_waiting_for_review_can_be_amended_an_accepted_one_or_bad_input_changes_nothing()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(central, "500"));

        var amended = await portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.ResubmitAsync(sponsor.OrganisationId, id, Given.MoneyInput(central, "700"), sponsor.User.Id));
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        await portal.Given().DecideAsync(id, ReviewDecision.RequestChanges, reviewer, "More.");
        var bad = await portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.ResubmitAsync(sponsor.OrganisationId, id, Given.MoneyInput(central, "0"), sponsor.User.Id));

        Assert.True(amended.Succeeded, amended.Problem?.Message);
        Assert.Equal("amount", bad.Problem!.Field);
        await using (var db = portal.NewDbContext())
        {
            var pledge = await db.Pledges.SingleAsync(p => p.Id == id);
            Assert.Equal((PledgeStatus.ChangesRequested, 70_000L), (pledge.Status, pledge.AmountMinor));
        }

        await portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.ResubmitAsync(sponsor.OrganisationId, id, Given.MoneyInput(central, "700"), sponsor.User.Id));
        await portal.Given().DecideAsync(id, ReviewDecision.Accept, reviewer, "Thanks.");
        var afterAcceptance = await portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.ResubmitAsync(sponsor.OrganisationId, id, Given.MoneyInput(central, "9"), sponsor.User.Id));

        Assert.Equal(ProblemKind.Conflict, afterAcceptance.Problem!.Kind);
        await using var after = portal.NewDbContext();
        var kept = await after.Pledges.SingleAsync(p => p.Id == id);
        Assert.Equal((PledgeStatus.Active, 70_000L), (kept.Status, kept.AmountMinor));
    }

    [Fact]
    public async Task A_sponsor_can_withdraw_a_submitted_pledge_with_a_reason()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(await portal.Given().CentralFundAsync()));

        var noReason = await Manage(m => m.CancelAsync(sponsor.OrganisationId, id, " ", sponsor.User.Id));
        var withdrawn = await Manage(m => m.CancelAsync(sponsor.OrganisationId, id, "Budget moved.", sponsor.User.Id));

        Assert.Equal("reason", noReason.Problem!.Field);
        Assert.Equal(PledgeStatus.Cancelled, withdrawn.Value);
        await using var db = portal.NewDbContext();
        Assert.Equal("Budget moved.", await db.Pledges.Where(p => p.Id == id).Select(p => p.CancelReason).SingleAsync());
        Assert.Single(await db.AuditEvents.Where(a => a.Action == "pledge.cancelled" && a.EntityId == id.ToString(CultureInfo.InvariantCulture)).ToListAsync());
    }

    [Fact]
    public async Task Pausing_resuming_and_cancelling_a_recurring_pledge_holds_and_stops_future_installments_only()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var input = Given.MoneyInput(await portal.Given().CentralFundAsync(), "100", periods: 6);
        // Started three months ago: the first three installments are past.
        input.Start = DateOnly.Parse(Given.NextMonth, CultureInfo.InvariantCulture).AddMonths(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var id = await portal.Given().ActivePledgeAsync(sponsor, input);

        var paused = await Manage(m => m.PauseAsync(sponsor.OrganisationId, id, sponsor.User.Id));
        Assert.Equal(PledgeStatus.Paused, paused.Value);
        await using (var db = portal.NewDbContext())
        {
            var statuses = await db.Installments.Where(i => i.PledgeId == id).OrderBy(i => i.Sequence).Select(i => i.Status).ToListAsync();
            Assert.Equal(3, statuses.Count(s => s == InstallmentStatus.Paused));
            Assert.Equal(3, statuses.Count(s => s == InstallmentStatus.Scheduled));
        }
        Assert.Equal(PledgeStatus.Active, (await Manage(m => m.ResumeAsync(sponsor.OrganisationId, id, sponsor.User.Id))).Value);

        var cancelled = await Manage(m => m.CancelAsync(sponsor.OrganisationId, id, "We are winding down.", sponsor.User.Id));

        Assert.Equal(PledgeStatus.Cancelled, cancelled.Value);
        await using (var db = portal.NewDbContext())
        {
            var installments = await db.Installments.Where(i => i.PledgeId == id).OrderBy(i => i.Sequence).ToListAsync();
            Assert.All(installments.Where(i => i.DueDate <= Given.Today), i => Assert.Equal(InstallmentStatus.Scheduled, i.Status));
            Assert.All(installments.Where(i => i.DueDate > Given.Today), i => Assert.Equal(InstallmentStatus.Cancelled, i.Status));
            var actions = await db.AuditEvents.Where(a => a.EntityType == "Pledge" && a.EntityId == id.ToString(CultureInfo.InvariantCulture)).Select(a => a.Action).ToListAsync();
            Assert.Contains("pledge.paused", actions);
            Assert.Contains("pledge.resumed", actions);
            Assert.Contains("pledge.cancelled", actions);
        }
    }

    [Fact]
    public async Task A_one_off_pledge_cannot_be_paused()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var input = Given.MoneyInput(await portal.Given().CentralFundAsync());
        input.Frequency = PledgeFrequency.OneOff;
        var id = await portal.Given().ActivePledgeAsync(sponsor, input);

        var paused = await Manage(m => m.PauseAsync(sponsor.OrganisationId, id, sponsor.User.Id));

        Assert.Equal(ProblemKind.Conflict, paused.Problem!.Kind);
    }

    [Fact]
    public async Task Another_organisations_pledge_dashboard_and_receipt_are_not_found_and_cannot_be_changed()
    {
        var mine = await portal.Given().SponsorAsync("Mine Ltd");
        var theirs = await portal.Given().SponsorAsync("Theirs Ltd");
        var central = await portal.Given().CentralFundAsync();
        var id = await portal.Given().ActivePledgeAsync(theirs, Given.MoneyInput(central));
        var paymentId = await PaymentAsync(theirs, id, central);

        // Through my own organisation's address and through theirs: both answer "not found".
        foreach (var organisationId in new[] { mine.OrganisationId, theirs.OrganisationId })
        {
            Assert.Equal(ProblemKind.NotFound, (await Get<PledgeView>(g => g.ForSponsorAsync(organisationId, id, mine.User.Id))).Problem!.Kind);
            Assert.Equal(ProblemKind.NotFound, (await Get<ReceiptView>(g => g.ReceiptAsync(organisationId, paymentId, mine.User.Id))).Problem!.Kind);
            Assert.Equal(ProblemKind.NotFound, (await Manage(m => m.PauseAsync(organisationId, id, mine.User.Id))).Problem!.Kind);
            Assert.Equal(ProblemKind.NotFound, (await Manage(m => m.CancelAsync(organisationId, id, "Ha.", mine.User.Id))).Problem!.Kind);
            var resubmit = await portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.ResubmitAsync(organisationId, id, Given.MoneyInput(central), mine.User.Id));
            Assert.Equal(ProblemKind.NotFound, resubmit.Problem!.Kind);
        }
        Assert.Equal(ProblemKind.NotFound, (await Get<SponsorDashboard>(g => g.DashboardAsync(theirs.OrganisationId, mine.User.Id))).Problem!.Kind);

        await using var db = portal.NewDbContext();
        Assert.Equal(PledgeStatus.Active, await db.Pledges.Where(p => p.Id == id).Select(p => p.Status).SingleAsync());
        Assert.False(await db.AuditEvents.AnyAsync(a => a.UserId == mine.User.Id && a.EntityType == "Pledge"));
    }

    [Fact]
    public async Task The_dashboard_shows_commitments_what_is_due_payments_hours_and_the_honoured_rate()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();
        var task = (await portal.Given().TaskFundAsync("Windows runners")).FundId;
        var money = Given.MoneyInput(central, "100", periods: 3);
        // Past their 30-day grace period: the installments due a month and 31 days ago and 31 days ago; the third is not late yet.
        money.Start = Given.Today.AddDays(-31).AddMonths(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var moneyId = await portal.Given().ActivePledgeAsync(sponsor, money);
        var hoursId = await portal.Given().ActivePledgeAsync(sponsor, Given.EngineerTimeInput(task, "10", 4));
        var paymentId = await PaymentAsync(sponsor, moneyId, central);

        var dashboard = (await Get<SponsorDashboard>(g => g.DashboardAsync(sponsor.OrganisationId, sponsor.User.Id))).Value!;

        Assert.Equal(2, dashboard.Pledges.Count);
        var hours = dashboard.Pledges.Single(p => p.Id == hoursId);
        Assert.Equal(("Windows runners", "Active", 4), (hours.Fund, hours.StatusText, hours.Installments));
        // Two money installments count; one of them is paid in full.
        Assert.Equal("50%", dashboard.HonouredRate);
        Assert.Equal("50%", dashboard.Pledges.Single(p => p.Id == moneyId).HonouredRate);
        Assert.Contains(dashboard.DueNext, d => d.PledgeId == hoursId && d.Due == "10 h");
        var payment = Assert.Single(dashboard.Payments);
        Assert.Equal((paymentId, "100.00 USD"), (payment.Id, payment.Amount));

        var receipt = (await Get<ReceiptView>(g => g.ReceiptAsync(sponsor.OrganisationId, paymentId, sponsor.User.Id))).Value!;
        Assert.Equal(("Acme Compilers", "100.00 USD", "Central fund", "INV-1"), (receipt.Payer, receipt.Amount, receipt.Fund, receipt.Reference));
    }

    private async Task<int> PaymentAsync(Sponsor sponsor, int pledgeId, int fundId)
    {
        await using var db = portal.NewDbContext();
        var installment = await db.Installments.Where(i => i.PledgeId == pledgeId).OrderBy(i => i.Sequence).FirstAsync();
        var payment = Payment.Record(new PaymentReceipt(sponsor.OrganisationId, pledgeId, installment.Id, fundId, PaymentChannel.BankTransfer,
            new Money(installment.AmountDueMinor, "USD"), new Money(installment.AmountDueMinor, "USD"), 1m, DateTime.UtcNow, "INV-1", $"bank-{Guid.NewGuid():N}", null));
        db.Payments.Add(payment);
        installment.RecordReceived(new Money(installment.AmountDueMinor, "USD"));
        await db.SaveChangesAsync();
        return payment.Id;
    }

    private Task<Result<PledgeStatus>> Manage(Func<ManagePledge, Task<Result<PledgeStatus>>> use) => portal.WithScopeAsync(use);

    private Task<Result<T>> Get<T>(Func<GetPledges, Task<Result<T>>> use) => portal.WithScopeAsync(use);
}
