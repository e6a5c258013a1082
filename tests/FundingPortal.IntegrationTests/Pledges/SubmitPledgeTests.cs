using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FundingPortal.IntegrationTests.Pledges;

[Collection(PortalTests.Name)]
public class SubmitPledgeTests(PortalFactory portal)
{
    [Fact]
    public async Task A_money_pledge_is_saved_submitted_audited_and_the_billing_email_told()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var fund = (await portal.Given().TaskFundAsync("Windows build task")).FundId;

        var id = await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(fund, "500", "USD", 12));

        await using var db = portal.NewDbContext();
        var pledge = await db.Pledges.SingleAsync(p => p.Id == id);
        Assert.Equal((PledgeStatus.Submitted, sponsor.OrganisationId, fund, 50_000L, "USD", 12), (pledge.Status, pledge.OrganisationId, pledge.FundId, pledge.AmountMinor, pledge.Currency, pledge.PeriodCount));
        Assert.Equal(PaymentMethod.Invoice, pledge.PaymentMethod);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "pledge.submitted" && a.EntityId == id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(sponsor.User.Id, audit.UserId);
        Assert.Contains("6,000.00 USD in total", audit.After, StringComparison.Ordinal);
        var email = Assert.Single(portal.EmailsTo(sponsor.BillingEmail), e => e.Subject.StartsWith("Pledge received", StringComparison.Ordinal));
        Assert.Contains("500.00 USD a month for 12 months from", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preview_states_the_commitment_in_words_and_saves_nothing()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var fund = (await portal.Given().TaskFundAsync("Windows build task")).FundId;

        var preview = await portal.WithScopeAsync<SubmitPledge, Result<PledgePreview>>(s =>
            s.PreviewAsync(sponsor.OrganisationId, Given.MoneyInput(fund, "500", "USD", 12), sponsor.User.Id));

        Assert.True(preview.Succeeded, preview.Problem?.Message);
        Assert.Equal($"500.00 USD a month for 12 months from {Given.NextMonth} to the task 'Windows build task' = 6,000.00 USD in total; paid by invoice",
            preview.Value!.Terms);
        await using var db = portal.NewDbContext();
        Assert.False(await db.Pledges.AnyAsync(p => p.OrganisationId == sponsor.OrganisationId));
    }

    [Fact]
    public async Task Engineer_time_and_infrastructure_pledges_keep_their_own_terms()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();

        var hours = await portal.Given().SubmittedPledgeAsync(sponsor, Given.EngineerTimeInput(central, "10", 4));
        var infrastructure = await portal.Given().SubmittedPledgeAsync(sponsor, new PledgeInput
        {
            FundId = central,
            Kind = PledgeKind.Infrastructure,
            Frequency = PledgeFrequency.Monthly,
            Start = Given.NextMonth,
            InfrastructureKind = InfrastructureKind.RunnerCapacity,
            Description = "5 Windows runners",
            Value = "1500",
            Currency = "EUR",
        });

        await using var db = portal.NewDbContext();
        var time = await db.Pledges.SingleAsync(p => p.Id == hours);
        Assert.Equal((PledgeKind.EngineerTime, 600L, "Erin Engineer", 12_000L), (time.Kind, time.HoursPerPeriodMinutes, time.EngineerName, time.HourlyValuationMinor));
        var runners = await db.Pledges.SingleAsync(p => p.Id == infrastructure);
        Assert.Equal((PledgeKind.Infrastructure, InfrastructureKind.RunnerCapacity, 150_000L, "EUR", (int?)null), (runners.Kind, runners.InfrastructureKind, runners.AmountMinor, runners.Currency, runners.PeriodCount));
        Assert.True(runners.Schedule.IsOpenEnded);
    }

    public static TheoryData<string, string, string> BadAmounts => new()
    {
        { "0", "USD", "amount" },
        { "-5", "USD", "amount" },
        { "1.234", "USD", "amount" },
        { "10.5", "JPY", "amount" },
        { "99999999999999999", "USD", "amount" },
        { "abc", "USD", "amount" },
        { "10", "XXX", "currency" },
    };

    [Theory]
    [MemberData(nameof(BadAmounts))]
    public async Task Bad_amounts_are_refused_on_their_field_and_nothing_is_saved(string amount, string currency, string field)
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();

        var result = await portal.Given().SubmitPledgeAsync(sponsor, Given.MoneyInput(central, amount, currency));

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.Equal(field, result.Problem.Field);
        await AssertNothingSavedAsync(sponsor);
    }

    [Fact]
    public async Task Every_wrong_field_of_a_pledge_is_reported_at_once_each_on_its_field()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();
        var input = Given.MoneyInput(central, "abc", "USD");
        input.Start = "next week";
        input.End = "soon";
        input.PaymentTiming = (PaymentTiming)42;

        var result = await portal.Given().SubmitPledgeAsync(sponsor, input);

        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        Assert.Equal(["start", "end", "amount", "paymentTiming"], result.Problem.All.Select(p => p.Field));
        Assert.All(result.Problem.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        await AssertNothingSavedAsync(sponsor);
    }

    [Fact]
    public async Task Bad_schedules_are_refused_on_their_field()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();

        var endBeforeStart = Given.MoneyInput(central, periods: null);
        endBeforeStart.End = DateOnly.Parse(Given.NextMonth, CultureInfo.InvariantCulture).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var both = Given.MoneyInput(central, periods: 3);
        both.End = DateOnly.Parse(Given.NextMonth, CultureInfo.InvariantCulture).AddMonths(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tooMany = Given.MoneyInput(central, periods: 121);
        var noStart = Given.MoneyInput(central);
        noStart.Start = "next week";

        Assert.Equal("end", (await portal.Given().SubmitPledgeAsync(sponsor, endBeforeStart)).Problem!.Field);
        Assert.Equal("end", (await portal.Given().SubmitPledgeAsync(sponsor, both)).Problem!.Field);
        Assert.Equal("periods", (await portal.Given().SubmitPledgeAsync(sponsor, tooMany)).Problem!.Field);
        Assert.Equal("start", (await portal.Given().SubmitPledgeAsync(sponsor, noStart)).Problem!.Field);
        await AssertNothingSavedAsync(sponsor);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("745")]
    public async Task Hours_that_are_not_positive_or_exceed_a_month_are_refused(string hours)
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();

        var result = await portal.Given().SubmitPledgeAsync(sponsor, Given.EngineerTimeInput(central, hours));

        Assert.Equal("hours", result.Problem!.Field);
        await AssertNothingSavedAsync(sponsor);
    }

    [Fact]
    public async Task A_month_can_hold_744_hours_but_no_more()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();

        Assert.True((await portal.Given().SubmitPledgeAsync(sponsor, Given.EngineerTimeInput(central, "744"))).Succeeded);
    }

    [Fact]
    public async Task A_pledge_to_a_cancelled_task_or_without_a_fund_is_refused()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var cancelled = (await portal.Given().TaskFundAsync("Abandoned task", DevopsTaskStatus.Cancelled)).FundId;

        var toCancelled = await portal.Given().SubmitPledgeAsync(sponsor, Given.MoneyInput(cancelled));
        var noFund = Given.MoneyInput(cancelled);
        noFund.FundId = null;
        var unknownFund = Given.MoneyInput(int.MaxValue);

        Assert.Equal("fund", toCancelled.Problem!.Field);
        Assert.Contains("cancelled", toCancelled.Problem.Message, StringComparison.Ordinal);
        Assert.Equal("fund", (await portal.Given().SubmitPledgeAsync(sponsor, noFund)).Problem!.Field);
        Assert.Equal("fund", (await portal.Given().SubmitPledgeAsync(sponsor, unknownFund)).Problem!.Field);
        await AssertNothingSavedAsync(sponsor);
    }

    [Fact]
    public async Task Card_is_refused_without_Stripe_and_paying_on_completion_needs_a_task()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();
        var card = Given.MoneyInput(central);
        card.PaymentMethod = PaymentMethod.Card;
        var onCompletion = Given.MoneyInput(central);
        onCompletion.PaymentTiming = PaymentTiming.OnCompletion;

        Assert.Equal("paymentMethod", (await portal.Given().SubmitPledgeAsync(sponsor, card)).Problem!.Field);
        Assert.Equal("paymentTiming", (await portal.Given().SubmitPledgeAsync(sponsor, onCompletion)).Problem!.Field);
        await AssertNothingSavedAsync(sponsor);
    }

    [Fact]
    public async Task A_member_of_one_organisation_cannot_pledge_for_another()
    {
        var mine = await portal.Given().SponsorAsync("Mine Ltd");
        var theirs = await portal.Given().SponsorAsync("Theirs Ltd");
        var central = await portal.Given().CentralFundAsync();

        var result = await portal.Given().SubmitPledgeAsync(mine, Given.MoneyInput(central), organisationId: theirs.OrganisationId);
        var funds = await portal.WithScopeAsync<SubmitPledge, IReadOnlyList<FundChoice>?>(s => s.FundsAsync(theirs.OrganisationId, mine.User.Id));

        Assert.Equal(ProblemKind.NotFound, result.Problem!.Kind);
        Assert.Null(funds);
        await AssertNothingSavedAsync(theirs);
        await AssertNothingSavedAsync(mine);
    }

    [Fact]
    public async Task The_fund_list_offers_the_central_fund_and_open_tasks_but_not_cancelled_ones()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var open = (await portal.Given().TaskFundAsync("Open task")).FundId;
        var cancelled = (await portal.Given().TaskFundAsync("Cancelled task", DevopsTaskStatus.Cancelled)).FundId;

        var funds = await portal.WithScopeAsync<SubmitPledge, IReadOnlyList<FundChoice>?>(s => s.FundsAsync(sponsor.OrganisationId, sponsor.User.Id));

        Assert.Contains(funds!, f => !f.IsTask && f.Name == "Central fund");
        Assert.Contains(funds!, f => f.FundId == open && f.Name == "Open task");
        Assert.DoesNotContain(funds!, f => f.FundId == cancelled);
    }

    [Fact]
    public async Task Pledge_creation_is_rate_limited_per_person()
    {
        var sponsor = await portal.Given().SponsorAsync();
        var central = await portal.Given().CentralFundAsync();
        var limit = portal.Services.GetRequiredService<IOptions<PledgeOptions>>().Value.PledgesPerHour;
        for (var i = 0; i < limit; i++)
        {
            await portal.Given().SubmittedPledgeAsync(sponsor, Given.MoneyInput(central));
        }

        var one = await portal.Given().SubmitPledgeAsync(sponsor, Given.MoneyInput(central));
        var colleague = await portal.Given().SponsorAsync();
        var someoneElse = await portal.Given().SubmitPledgeAsync(colleague, Given.MoneyInput(central));

        Assert.Equal(ProblemKind.Conflict, one.Problem!.Kind);
        Assert.Contains("in the last hour", one.Problem.Message, StringComparison.Ordinal);
        Assert.True(someoneElse.Succeeded);
        await using var db = portal.NewDbContext();
        Assert.Equal(limit, await db.Pledges.CountAsync(p => p.OrganisationId == sponsor.OrganisationId));
    }

    private async Task AssertNothingSavedAsync(Sponsor sponsor)
    {
        await using var db = portal.NewDbContext();
        Assert.False(await db.Pledges.AnyAsync(p => p.OrganisationId == sponsor.OrganisationId));
        Assert.False(await db.AuditEvents.AnyAsync(a => a.OrganisationId == sponsor.OrganisationId && a.Action.StartsWith("pledge.")));
    }
}
