using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Payments;

[Collection(PortalTests.Name)]
public class PaymentTests(PortalFactory portal)
{
    private Task<Result<int>> RecordAsync(int pledgeId, PaymentInput input, string userId) =>
        portal.WithScopeAsync<RecordPayment, Result<int>>(handler => handler.RecordAsync(pledgeId, input, userId));

    private static PaymentInput Input(string amount = "500.00", string currency = "USD", string? rate = null, string? reference = null) => new()
    {
        ReceivedOn = DateTime.UtcNow.Date,
        Amount = amount,
        Currency = currency,
        Rate = rate,
        Reference = reference ?? $"BANK-{Guid.NewGuid():N}",
        Channel = PaymentChannel.BankTransfer,
    };

    [Fact]
    public async Task A_bank_payment_fulfils_the_installment_and_books_the_ledger_in_base_currency_keeping_amount_and_rate()
    {
        var arrange = await portal.Given().SponsorshipAsync("Euro Sponsor");
        var pledge = await arrange.MoneyAsync(50_000, "EUR", PledgeSchedule.OneOff(Given.Today.AddDays(-3)));
        await using var before = portal.NewDbContext();
        var balanceBefore = await FundBalances.OfAsync(before, arrange.FundId, "USD");

        var result = await RecordAsync(pledge.Id, Input("500.00", "EUR", "1.1"), arrange.Reviewer.Id);

        Assert.True(result.Succeeded, result.Problem?.Message);
        await using var db = portal.NewDbContext();
        var installment = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id);
        Assert.Equal((InstallmentStatus.Fulfilled, 50_000L), (installment.Status, installment.AmountReceivedMinor));
        Assert.Equal(PledgeStatus.Fulfilled, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
        var entry = await db.LedgerEntries.SingleAsync(e => e.PaymentId == result.Value);
        Assert.Equal((arrange.FundId, LedgerEntryKind.Contribution, 55_000L, "USD"), (entry.FundId, entry.Kind, entry.AmountMinor, entry.Currency));
        Assert.Equal((50_000L, "EUR", 1.1m, (int?)arrange.OrganisationId),
            (entry.OriginalAmountMinor, entry.OriginalCurrency, entry.ExchangeRate, entry.CounterpartyOrganisationId));
        var payment = await db.Payments.SingleAsync(p => p.Id == result.Value);
        Assert.Equal((installment.Id, 55_000L, arrange.Reviewer.Id), (payment.InstallmentId!.Value, payment.BaseAmountMinor, payment.RecordedByUserId));
        Assert.Equal(balanceBefore.MinorUnits + 55_000, (await FundBalances.OfAsync(db, arrange.FundId, "USD")).MinorUnits);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "payment.recorded" && a.EntityId == Devops.Key(result.Value) && a.UserId == arrange.Reviewer.Id));
    }

    [Fact]
    public async Task In_the_base_currency_the_rate_is_one_whatever_was_typed_and_the_earliest_open_installment_is_paid()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(Given.Today.AddMonths(-1), 3));

        var result = await RecordAsync(pledge.Id, Input("100", "USD", rate: "7"), arrange.Reviewer.Id);

        Assert.True(result.Succeeded, result.Problem?.Message);
        await using var db = portal.NewDbContext();
        var payment = await db.Payments.SingleAsync(p => p.Id == result.Value);
        Assert.Equal((1m, 10_000L), (payment.ExchangeRate, payment.BaseAmountMinor));
        var first = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id && i.Sequence == 1);
        Assert.Equal(first.Id, payment.InstallmentId);
    }

    [Fact]
    public async Task Honoured_rate_per_pledge_and_organisation_after_partial_payment()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        // Three monthly installments all past their grace period (30 days unless an admin changed it): the first paid in full, the
        // second half paid, the third nothing.
        var pledge = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(Given.Today.AddDays(-31).AddMonths(-2), 3));
        Assert.True((await RecordAsync(pledge.Id, Input("100"), arrange.Reviewer.Id)).Succeeded);
        Assert.True((await RecordAsync(pledge.Id, Input("50"), arrange.Reviewer.Id)).Succeeded);

        await using var db = portal.NewDbContext();
        var reloaded = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledge.Id);
        Assert.Equal(0.5m, reloaded.HonouredRateOfTotals(Given.Today, graceDays: 30));
        Assert.Equal(0.5, (await HonouredRates.MeanHonouredShareForOrganisationAsync(db, arrange.OrganisationId, Given.Today))!.Value, 6);
        var view = await portal.WithScopeAsync<PledgeFulfilment, Result<PledgeFulfilmentView>>(h => h.GetAsync(pledge.Id, arrange.Reviewer.Id));
        Assert.Equal(0.5m, view.Value!.HonouredRateOfTotals);
        Assert.Equal(PledgeStatus.Active, reloaded.Status);
    }

    public static TheoryData<string, string, string?, int, string> BadInput => new()
    {
        { "0", "USD", null, 0, "amount" },
        { "-5", "USD", null, 0, "amount" },
        { "10.001", "USD", null, 0, "amount" },
        { "abc", "USD", null, 0, "amount" },
        { "1000000000000000", "USD", null, 0, "amount" },
        { "100", "EUR", "1.1", 0, "currency" },
        { "100", "GBP", "", 0, "currency" },
        { "100", "USD", null, 2, "receivedOn" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_refused_on_its_field_and_nothing_is_saved(string amount, string currency, string? rate, int daysAhead, string field)
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today));
        var input = Input(amount, currency, rate);
        input.ReceivedOn = DateTime.UtcNow.Date.AddDays(daysAhead);

        var result = await RecordAsync(pledge.Id, input, arrange.Reviewer.Id);

        Assert.Equal((ProblemKind.Invalid, field), (result.Problem!.Kind, result.Problem.Field));
        await AssertNothingSavedAsync(pledge.Id);
    }

    [Fact]
    public async Task Every_wrong_field_of_a_payment_is_reported_at_once_and_nothing_is_saved()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "EUR", PledgeSchedule.OneOff(Given.Today));
        var input = Input("abc", "EUR", rate: "x", reference: "");
        input.ReceivedOn = DateTime.UtcNow.Date.AddDays(3);

        var result = await RecordAsync(pledge.Id, input, arrange.Reviewer.Id);

        Assert.Equal(["receivedOn", "amount", "rate", "reference"], result.Problem!.All.Select(p => p.Field));
        await AssertNothingSavedAsync(pledge.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1.2")]
    [InlineData("x")]
    public async Task A_foreign_currency_needs_a_rate_above_zero(string? rate)
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "EUR", PledgeSchedule.OneOff(Given.Today));

        var result = await RecordAsync(pledge.Id, Input("100", "EUR", rate), arrange.Reviewer.Id);

        Assert.Equal("rate", result.Problem!.Field);
        await AssertNothingSavedAsync(pledge.Id);
    }

    [Fact]
    public async Task The_same_bank_reference_is_not_booked_twice()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(Given.Today.AddMonths(-1), 2));
        var reference = $"BANK-{Guid.NewGuid():N}";
        Assert.True((await RecordAsync(pledge.Id, Input("100", reference: reference), arrange.Reviewer.Id)).Succeeded);

        var again = await RecordAsync(pledge.Id, Input("100", reference: reference), arrange.Reviewer.Id);

        Assert.Equal("reference", again.Problem!.Field);
        Assert.Contains(reference, again.Problem.Message, StringComparison.Ordinal);
        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.Payments.CountAsync(p => p.PledgeId == pledge.Id));
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.CounterpartyOrganisationId == arrange.OrganisationId));
        Assert.Equal(10_000, await db.Installments.Where(i => i.PledgeId == pledge.Id).SumAsync(i => i.AmountReceivedMinor));
    }

    [Fact]
    public async Task A_sponsor_cannot_record_a_payment_even_on_its_own_pledge()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today));

        var result = await RecordAsync(pledge.Id, Input("100"), arrange.Sponsor.Id);

        Assert.Equal(ProblemKind.Forbidden, result.Problem!.Kind);
        await AssertNothingSavedAsync(pledge.Id);
        var view = await portal.WithScopeAsync<PledgeFulfilment, Result<PledgeFulfilmentView>>(h => h.GetAsync(pledge.Id, arrange.Sponsor.Id));
        Assert.Equal(ProblemKind.Forbidden, view.Problem!.Kind);
    }

    private async Task AssertNothingSavedAsync(int pledgeId)
    {
        await using var db = portal.NewDbContext();
        Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledgeId));
        Assert.Equal(0, await db.Installments.Where(i => i.PledgeId == pledgeId).SumAsync(i => i.AmountReceivedMinor));
        var organisationId = await db.Pledges.Where(p => p.Id == pledgeId).Select(p => p.OrganisationId).SingleAsync();
        Assert.False(await db.LedgerEntries.AnyAsync(e => e.CounterpartyOrganisationId == organisationId));
    }
}
