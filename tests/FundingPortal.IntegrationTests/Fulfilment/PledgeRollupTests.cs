using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Payments;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Fulfilment;

/// <summary>
/// The installment and time roll-ups, kept by database triggers, against the rows they sum, after each step of a pledge's life:
/// acceptance, a payment, hours logged, confirmed and rejected, a pause and a cancellation.
/// </summary>
[Collection(PortalTests.Name)]
public class PledgeRollupTests(PortalFactory portal)
{
    [Fact]
    public async Task The_roll_ups_follow_payments_hours_pauses_and_cancellations()
    {
        var arrange = await portal.Given().SponsorshipAsync();
        var money = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(Given.Today.AddMonths(-2), 4));
        var time = await arrange.EngineerTimeAsync(10, Given.Monthly(Given.Today.AddMonths(-2), 4));
        await AssertRollupsMatchAsync(arrange);

        var paid = await portal.WithScopeAsync<RecordPayment, Result<int>>(h => h.RecordAsync(money.Id, new PaymentInput
        {
            ReceivedOn = DateTime.UtcNow.Date,
            Amount = "130.00",
            Overpayment = true,
            OverpaymentReason = "Paid the next month early",
            Currency = "USD",
            Reference = $"BANK-{Guid.NewGuid():N}",
            Channel = PaymentChannel.BankTransfer,
        }, arrange.Reviewer.Id));
        Assert.True(paid.Succeeded, paid.Problem?.Message);
        await AssertRollupsMatchAsync(arrange);

        var kept = await LogAsync(arrange, time, "3.5");
        var rejected = await LogAsync(arrange, time, "2");
        await AssertRollupsMatchAsync(arrange);
        var confirmed = await portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.ConfirmAsync(kept, arrange.Reviewer.Id));
        Assert.True(confirmed.Succeeded, confirmed.Problem?.Message);
        await AssertRollupsMatchAsync(arrange);
        var undone = await portal.WithScopeAsync<ReviewTimeEntries, Result<int>>(h => h.RejectAsync(rejected, "Not this task", arrange.Reviewer.Id));
        Assert.True(undone.Succeeded, undone.Problem?.Message);
        await AssertRollupsMatchAsync(arrange);

        Assert.Equal(PledgeStatus.Paused,
            (await portal.WithScopeAsync<ManagePledge, Result<PledgeStatus>>(h => h.PauseAsync(arrange.OrganisationId, time.Id, arrange.Sponsor.Id))).Value);
        await AssertRollupsMatchAsync(arrange);
        Assert.Equal(PledgeStatus.Cancelled,
            (await portal.WithScopeAsync<ManagePledge, Result<PledgeStatus>>(h => h.CancelAsync(arrange.OrganisationId, money.Id, "Budget cut", arrange.Sponsor.Id))).Value);
        await AssertRollupsMatchAsync(arrange);

        await using var db = portal.NewDbContext();
        Assert.Equal(210L, await db.TimeTotals.Where(t => t.FundId == arrange.FundId).SumAsync(t => t.ConfirmedMinutes));
        Assert.Equal(0L, await db.InstallmentTotals.Where(t => t.FundId == arrange.FundId && t.PledgeKind == PledgeKind.Money && t.PledgeStatus == PledgeStatus.Active)
            .SumAsync(t => t.Installments));
    }

    private async Task<int> LogAsync(Sponsorship arrange, Pledge pledge, string hours)
    {
        var logged = await portal.WithScopeAsync<LogHours, Result<int>>(h => h.LogAsync(arrange.OrganisationId, pledge.Id,
            new HoursInput { Date = DateTime.UtcNow.Date, Engineer = "Eve Engineer", Hours = hours, Description = "Windows linker" }, arrange.Sponsor.Id));
        Assert.True(logged.Succeeded, logged.Problem?.Message);
        return logged.Value;
    }

    /// <summary>Each roll-up row of this test's fund and organisation equals the sum of the rows behind it, worked out here in memory.</summary>
    private async Task AssertRollupsMatchAsync(Sponsorship arrange)
    {
        await using var db = portal.NewDbContext();
        var pledges = await db.Pledges.AsNoTracking().Include(p => p.Installments).Where(p => p.OrganisationId == arrange.OrganisationId).ToListAsync();
        var installments = pledges.SelectMany(p => p.Installments.Select(i => (Pledge: p, Installment: i))).ToList();

        var totals = await db.InstallmentTotals.AsNoTracking().Where(t => t.FundId == arrange.FundId && t.Installments != 0).ToListAsync();
        var expectedTotals = installments
            .GroupBy(x => (x.Pledge.Kind, PledgeStatus: x.Pledge.Status, InstallmentStatus: x.Installment.Status, x.Installment.Currency))
            .Select(g => (g.Key.Kind, g.Key.PledgeStatus, g.Key.InstallmentStatus, g.Key.Currency, (long)g.Count(),
                g.Sum(x => Math.Max(x.Installment.AmountDueMinor - x.Installment.AmountReceivedMinor, 0)), g.Sum(x => x.Installment.HoursDueMinutes)))
            .Order().ToList();
        Assert.Equal(expectedTotals,
            totals.Select(t => (t.PledgeKind, t.PledgeStatus, Installment: t.Status, t.Currency, t.Installments, t.OutstandingMinor, t.HoursDueMinutes)).Order().ToList());

        var months = await db.HonouredMonths.AsNoTracking().Where(m => m.OrganisationId == arrange.OrganisationId && m.Installments != 0).ToListAsync();
        var expectedMonths = installments.Select(x => x.Installment)
            .Where(i => i.Status is not (InstallmentStatus.Cancelled or InstallmentStatus.Paused) && (i.HoursDueMinutes > 0 || i.AmountDueMinor > 0))
            .GroupBy(i => new DateOnly(i.DueDate.Year, i.DueDate.Month, 1))
            .Select(g => (g.Key, (long)g.Count(), Math.Round(g.Sum(Share), 9)))
            .Order().ToList();
        Assert.Equal(expectedMonths, months.Select(m => (m.Month, m.Installments, Math.Round(m.ShareSum, 9))).Order().ToList());

        var time = await db.TimeEntries.AsNoTracking().Where(t => t.Status == ConfirmationStatus.Confirmed && pledges.Select(p => p.Id).Contains(t.PledgeId)).ToListAsync();
        var timeTotal = await db.TimeTotals.AsNoTracking().Where(t => t.OrganisationId == arrange.OrganisationId).SumAsync(t => t.ConfirmedMinutes);
        Assert.Equal(time.Sum(t => t.Minutes), timeTotal);

        // The rate read through the roll-up (months before this one) and this month's rows equals the one read from every row.
        var today = Given.Today;
        var direct = await HonouredRates.MeanHonouredShareForOrganisationAsync(db, arrange.OrganisationId, today);
        var viaRollup = (await HonouredRates.MeanHonouredSharePerOrganisationAsync(db, today)).GetValueOrDefault(arrange.OrganisationId);
        Assert.Equal(direct is null ? 0 : Math.Round(direct.Value, 9), Math.Round(viaRollup.MeanShare, 9));
    }

    private static double Share(Installment i) => i.HoursDueMinutes > 0
        ? Math.Min(1.0, (double)i.HoursDeliveredMinutes / i.HoursDueMinutes)
        : Math.Min(1.0, (double)i.AmountReceivedMinor / i.AmountDueMinor);
}
