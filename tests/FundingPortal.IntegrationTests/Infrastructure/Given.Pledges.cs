using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>Pledges made through the pledge form and the review handler, as a sponsor and a reviewer would.</summary>
public sealed partial class Given
{
    /// <summary>The first day of next month, as the form suggests.</summary>
    public static string NextMonth => new DateOnly(Today.Year, Today.Month, 1).AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The form for a monthly money pledge, by invoice, starting next month.</summary>
    public static PledgeInput MoneyInput(int fundId, string amount = "500", string currency = "USD", int? periods = 12)
    {
        var input = MonthlyInput(fundId, PledgeKind.Money, currency, periods);
        input.Amount = amount;
        input.PaymentMethod = PaymentMethod.Invoice;
        input.PaymentTiming = PaymentTiming.Now;
        return input;
    }

    /// <summary>The form for a monthly engineer-time pledge starting next month.</summary>
    public static PledgeInput EngineerTimeInput(int fundId, string hours = "10", int? periods = 4)
    {
        var input = MonthlyInput(fundId, PledgeKind.EngineerTime, "USD", periods);
        input.Hours = hours;
        input.EngineerName = "Erin Engineer";
        input.Rate = "120";
        return input;
    }

    private static PledgeInput MonthlyInput(int fundId, PledgeKind kind, string currency, int? periods) => new()
    {
        FundId = fundId,
        Kind = kind,
        Frequency = PledgeFrequency.Monthly,
        Start = NextMonth,
        Periods = periods,
        Currency = currency,
    };

    public Task<Result<int>> SubmitPledgeAsync(Sponsor sponsor, PledgeInput input, int? organisationId = null, string? userId = null) =>
        portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.SubmitAsync(organisationId ?? sponsor.OrganisationId, input, userId ?? sponsor.User.Id));

    /// <summary>A pledge submitted through the form and waiting for review; returns its id.</summary>
    public async Task<int> SubmittedPledgeAsync(Sponsor sponsor, PledgeInput input)
    {
        var result = await SubmitPledgeAsync(sponsor, input);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value;
    }

    /// <summary>A pledge submitted through the form and accepted by a new reviewer; returns its id.</summary>
    public async Task<int> ActivePledgeAsync(Sponsor sponsor, PledgeInput input)
    {
        var id = await SubmittedPledgeAsync(sponsor, input);
        var accepted = await DecideAsync(id, ReviewDecision.Accept, await ReviewerAsync());
        Assert.True(accepted.Succeeded, accepted.Problem?.Message);
        return id;
    }

    public async Task<int> PledgeVersionAsync(int pledgeId)
    {
        await using var db = portal.NewDbContext();
        return await db.Pledges.Where(p => p.Id == pledgeId).Select(p => p.Version).SingleAsync();
    }

    /// <summary>A reviewer's decision through the review handler, on the pledge's current version unless another is given.</summary>
    public async Task<Result<PledgeStatus>> DecideAsync(int pledgeId, ReviewDecision decision, TestUser reviewer, string? reason = "Looks good.", int? version = null)
    {
        var v = version ?? await PledgeVersionAsync(pledgeId);
        return await portal.WithScopeAsync<ReviewPledge, Result<PledgeStatus>>(r => r.DecideAsync(pledgeId, decision, v, reason, reviewer.Id));
    }
}
