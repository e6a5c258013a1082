using System.Net;
using System.Text.Json;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.IntegrationTests.Pledges;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Features.Payments;
using FundingPortal.Web.Features.Transparency;

using Microsoft.EntityFrameworkCore;

using static FundingPortal.IntegrationTests.Infrastructure.Devops;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>Books that stay right after a mistake: a voided payment leaves no trace in any figure, input is bounded, hiding holds.</summary>
[Collection(PortalTests.Name)]
public class BooksTests(PortalFactory portal)
{
    private Task<Result<int>> RecordAsync(int pledgeId, string amount, string userId, string? reference = null, bool overpayment = false, string? reason = null) =>
        portal.WithScopeAsync<RecordPayment, Result<int>>(h => h.RecordAsync(pledgeId, new PaymentInput
        {
            ReceivedOn = DateTime.UtcNow.Date,
            Amount = amount,
            Currency = "USD",
            Reference = reference ?? $"BANK-{Guid.NewGuid():N}",
            Channel = PaymentChannel.BankTransfer,
            Overpayment = overpayment,
            OverpaymentReason = reason,
        }, userId));

    private Task<Result<int>> VoidAsync(int paymentId, string userId, string? reason = "Typed an extra zero") =>
        portal.WithScopeAsync<VoidPayment, Result<int>>(h => h.VoidAsync(paymentId, reason, userId));

    [Fact]
    public async Task A_payment_above_what_the_installment_asks_needs_the_overpayment_choice_and_a_reason()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-2)));

        var plain = await RecordAsync(pledge.Id, "1000.00", arrange.Reviewer.Id);
        var noReason = await RecordAsync(pledge.Id, "1000.00", arrange.Reviewer.Id, overpayment: true);
        var absurd = await RecordAsync(pledge.Id, "999999999999", arrange.Reviewer.Id, overpayment: true, reason: "Big");

        Assert.Equal(("amount", "overpaymentReason", "amount"), (plain.Problem?.Field, noReason.Problem?.Field, absurd.Problem?.Field));
        Assert.Contains("still asks 100.00 USD", plain.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("more than one payment may be", absurd.Problem!.Message, StringComparison.Ordinal);
        await using (var db = portal.NewDbContext())
        {
            Assert.False(await db.Payments.AnyAsync(p => p.PledgeId == pledge.Id));
            Assert.False(await db.LedgerEntries.AnyAsync(e => e.CounterpartyOrganisationId == arrange.OrganisationId));
        }

        var booked = await RecordAsync(pledge.Id, "130.00", arrange.Reviewer.Id, overpayment: true, reason: "Paid next year's too");

        Assert.True(booked.Succeeded, booked.Problem?.Message);
        await using var check = portal.NewDbContext();
        var payment = await check.Payments.SingleAsync(p => p.Id == booked.Value);
        Assert.Equal((3_000L, "Paid next year's too"), (payment.OverpaidMinor, payment.OverpaymentReason));
    }

    [Fact]
    public async Task Voiding_a_mistaken_payment_restores_the_installment_the_pledge_the_honoured_rate_and_every_public_figure()
    {
        var arrange = await portal.Given().SponsorshipAsync($"Void Sponsor {Guid.NewGuid():N}"[..24]);
        var other = await portal.CreateUserAsync(Roles.Reviewer, "Otto Other");
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-2)));
        var client = portal.CreateClient();
        var before = await FiguresAsync(client, arrange);

        var mistake = await RecordAsync(pledge.Id, "1000.00", arrange.Reviewer.Id, "BANK-SAME-" + pledge.Id, overpayment: true, reason: "Looked right");
        Assert.True(mistake.Succeeded, mistake.Problem?.Message);
        Assert.Equal(before.Given + 100_000, (await FiguresAsync(client, arrange)).Given);

        var bySelf = await VoidAsync(mistake.Value, arrange.Reviewer.Id);
        var noReason = await VoidAsync(mistake.Value, other.Id, " ");
        var voided = await VoidAsync(mistake.Value, other.Id);
        var again = await VoidAsync(mistake.Value, other.Id);

        Assert.Equal((ProblemKind.Forbidden, "reason"), (bySelf.Problem?.Kind, noReason.Problem?.Field));
        Assert.True(voided.Succeeded, voided.Problem?.Message);
        Assert.Equal(ProblemKind.Conflict, again.Problem?.Kind);
        await using (var db = portal.NewDbContext())
        {
            var installment = await db.Installments.SingleAsync(i => i.PledgeId == pledge.Id);
            Assert.Equal((InstallmentStatus.Scheduled, 0L), (installment.Status, installment.AmountReceivedMinor));
            Assert.Equal(PledgeStatus.Active, (await db.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
            // Once the installment (due two days ago) is past its 30-day grace period, nothing of it is delivered.
            Assert.Equal(0.0, await HonouredRates.MeanHonouredShareForOrganisationAsync(db, arrange.OrganisationId, Given.Today.AddDays(31)));
            var payment = await db.Payments.SingleAsync(p => p.Id == mistake.Value);
            Assert.Equal((PaymentStatus.Voided, other.Id, (string?)null), (payment.Status, payment.VoidedByUserId, payment.ExternalId));
            Assert.Equal(0L, await db.LedgerEntries.Where(e => e.PaymentId == mistake.Value).SumAsync(e => e.AmountMinor));
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "payment.voided" && a.EntityId == Devops.Key(mistake.Value) && a.UserId == other.Id));
        }
        Assert.Equal(before, await FiguresAsync(client, arrange));

        // The real payment, under the same bank reference, can now be recorded, and only it shows.
        var right = await RecordAsync(pledge.Id, "100.00", other.Id, "BANK-SAME-" + pledge.Id);

        Assert.True(right.Succeeded, right.Problem?.Message);
        var after = await FiguresAsync(client, arrange);
        Assert.Equal(before with
        {
            Given = before.Given + 10_000,
            TaskReceived = before.TaskReceived + 10_000,
            Funder = 10_000,
            MoneyIn = before.MoneyIn + 10_000,
            Balance = before.Balance + 10_000,
            Concentration = before.Concentration + 10_000
        }, after);
        await using var check = portal.NewDbContext();
        Assert.Equal(PledgeStatus.Fulfilled, (await check.Pledges.SingleAsync(p => p.Id == pledge.Id)).Status);
    }

    [Fact]
    public async Task A_ledger_line_of_a_payment_is_corrected_through_the_payment_not_reversed_alone()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var admin = await portal.CreateAdminAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-2)));
        var paid = await RecordAsync(pledge.Id, "100.00", arrange.Reviewer.Id);
        await using var db = portal.NewDbContext();
        var line = await db.LedgerEntries.SingleAsync(e => e.PaymentId == paid.Value);

        var reversed = await portal.WithScopeAsync<ReverseEntry, Result<IReadOnlyList<long>>>(r => r.ReverseAsync(line.Id, "Mistake", admin.Id));

        Assert.Equal(ProblemKind.Conflict, reversed.Problem?.Kind);
        Assert.Contains("void the payment", reversed.Problem!.Message, StringComparison.Ordinal);
        Assert.False(await db.LedgerEntries.AnyAsync(e => e.ReversesEntryId == line.Id));
    }

    [Fact]
    public async Task Hiding_a_line_hides_every_line_of_its_payment_and_counts_them_as_undisclosed_in_every_total()
    {
        var arrange = await portal.Given().SponsorshipAsync($"Hidden Giver {Guid.NewGuid():N}"[..24]);
        var admin = await portal.CreateAdminAsync();
        var pledge = await arrange.MoneyAsync(50_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-2)));
        var name = await OrganisationNameAsync(arrange);
        // A card payment with a processor's fee: two lines of one payment.
        await using (var db = portal.NewDbContext())
        {
            var tracked = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledge.Id);
            var receipt = new PaymentReceipt(arrange.OrganisationId, pledge.Id, tracked.Installments[0].Id, arrange.FundId, PaymentChannel.Stripe,
                new Money(50_000, "USD"), new Money(50_000, "USD"), 1m, DateTime.UtcNow, null, $"pi_{Guid.NewGuid():N}", null, FeeBaseMinor: 1_480);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await BookPayment.BookAsync(db, tracked, tracked.Installments[0], receipt, "Card payment", DateTime.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        var client = portal.CreateClient();
        var undisclosedBefore = await SponsorGivenAsync(client, SponsorLabels.Undisclosed);
        Assert.Equal(50_000, await SponsorGivenAsync(client, name));
        long contribution;
        await using (var db = portal.NewDbContext())
        {
            contribution = await db.LedgerEntries.Where(e => e.CounterpartyOrganisationId == arrange.OrganisationId && e.Kind == LedgerEntryKind.Contribution)
                .Select(e => e.Id).SingleAsync();
        }

        var hidden = await portal.WithScopeAsync<HideCounterparty, Result<bool>>(h => h.SetAsync(contribution, true, admin.Id));

        Assert.True(hidden.Succeeded, hidden.Problem?.Message);
        await using (var db = portal.NewDbContext())
        {
            Assert.All(await db.LedgerEntries.Where(e => e.CounterpartyOrganisationId == arrange.OrganisationId).ToListAsync(), e => Assert.True(e.CounterpartyHidden));
        }
        Assert.Null(await SponsorGivenAsync(client, name));
        Assert.Equal((undisclosedBefore ?? 0) + 50_000, await SponsorGivenAsync(client, SponsorLabels.Undisclosed));
        foreach (var address in new[] { "/api/public/ledger.csv", "/api/public/pledges.csv", "/api/public/installments.csv", "/api/public/summary",
                     "/api/public/sponsors", "/api/public/tasks", "/", "/api/public/ledger.json", "/api/public/pledges.json" })
        {
            var body = await client.GetStringAsync(address);
            Assert.False(body.Contains(name, StringComparison.Ordinal), $"{address} still names the sponsor of a hidden payment.");
        }
        var pledges = await client.GetStringAsync("/api/public/pledges.csv");
        Assert.Contains(pledges.Split('\n'), l => l.StartsWith($"{pledge.Id},", StringComparison.Ordinal) && l.Contains(",Undisclosed,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_public_export_is_served_whole_every_time_and_head_answers_like_get()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-2)));
        Assert.True((await RecordAsync(pledge.Id, "100.00", arrange.Reviewer.Id)).Succeeded);
        var client = portal.CreateClient();
        string[] exports = ["ledger", "pledges", "installments", "time-entries", "in-kind", "ci-usage"];
        var addresses = exports.SelectMany(e => new[] { $"/api/public/{e}.csv", $"/api/public/{e}.json" })
            .Concat(["/", "/transparency", "/api/public/summary", "/api/public/tasks", "/api/public/sponsors", "/api/public/ci-costs", "/api/public/ci-costs.csv",
                "/badges/runway.svg"]);

        foreach (var address in addresses)
        {
            var first = await client.GetAsync(address);
            var second = await client.GetAsync(address);
            var firstBytes = await first.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.True(firstBytes.Length > 0, $"{address} is empty.");
            Assert.Equal(firstBytes, await second.Content.ReadAsByteArrayAsync());

            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, address));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(first.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        var json = JsonDocument.Parse(await client.GetStringAsync("/api/public/installments.json"));
        Assert.Contains(json.RootElement.EnumerateArray(), i => i.GetProperty("pledge_id").GetInt32() == pledge.Id && i.GetProperty("delivered").GetDecimal() == 100m);
    }

    [Theory]
    [InlineData("1.01", null, "hours")]
    [InlineData("10", "2000000", "rate")]
    public async Task The_pledge_form_refuses_hours_finer_than_a_minute_and_amounts_above_the_ceiling(string hours, string? rate, string field)
    {
        var sponsor = await portal.Given().SponsorAsync();
        var input = Given.EngineerTimeInput(await portal.Given().CentralFundAsync(), hours);
        input.Rate = rate ?? input.Rate;

        var result = await portal.Given().SubmitPledgeAsync(sponsor, input);

        Assert.Equal(field, result.Problem?.Field);
    }

    [Fact]
    public void Published_averages_are_rounded_half_away_from_zero()
    {
        Assert.Equal(184_693, PublicFigures.Divide(554_078, 3));
        Assert.Equal(2, PublicFigures.Divide(5, 3));
        Assert.Equal(-2, PublicFigures.Divide(-5, 3));
        Assert.Equal(1.3m, PublicFigures.Runway(125, 100));
    }

    private sealed record Figures(long Given, long Balance, long MoneyIn, long TaskReceived, long? Funder, long Concentration);

    private async Task<Figures> FiguresAsync(HttpClient client, Sponsorship arrange)
    {
        var name = await OrganisationNameAsync(arrange);
        using var summary = JsonDocument.Parse(await client.GetStringAsync("/api/public/summary"));
        var root = summary.RootElement;
        var thisMonth = DateTime.UtcNow.ToString("yyyy-MM-01", System.Globalization.CultureInfo.InvariantCulture);
        var moneyIn = root.GetProperty("moneyPerMonth").EnumerateArray().Single(m => m.GetProperty("month").GetString() == thisMonth).GetProperty("inMinor").GetInt64();
        var slug = await TaskSlugAsync(arrange);
        using var tasks = JsonDocument.Parse(await client.GetStringAsync("/api/public/tasks"));
        var received = tasks.RootElement.EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug)
            .GetProperty("funding").GetProperty("received").GetProperty("minorUnits").GetInt64();
        var page = await client.GetStringAsync($"/tasks/{slug}");
        long? funder = page.Contains(name, StringComparison.Ordinal) ? (page.Contains("100.00 USD", StringComparison.Ordinal) ? 10_000 : -1) : null;
        return new Figures(await SponsorGivenAsync(client, name) ?? 0, root.GetProperty("balanceMinor").GetInt64(), moneyIn, received, funder,
            root.GetProperty("concentration").GetProperty("lastYearMinor").GetInt64());
    }

    private static async Task<long?> SponsorGivenAsync(HttpClient client, string name)
    {
        using var sponsors = JsonDocument.Parse(await client.GetStringAsync("/api/public/sponsors"));
        return sponsors.RootElement.EnumerateArray().Where(s => s.GetProperty("name").GetString() == name)
            .Select(s => (long?)s.GetProperty("givenMinor").GetInt64()).SingleOrDefault();
    }

    private async Task<string> OrganisationNameAsync(Sponsorship arrange)
    {
        await using var db = portal.NewDbContext();
        return await db.Organisations.Where(o => o.Id == arrange.OrganisationId).Select(o => o.Name).SingleAsync();
    }

    private async Task<string> TaskSlugAsync(Sponsorship arrange)
    {
        await using var db = portal.NewDbContext();
        return await db.Funds.Where(f => f.Id == arrange.FundId).Select(f => f.Task!.Slug).SingleAsync();
    }
}
