using System.Globalization;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Features.Pledges;

using Microsoft.EntityFrameworkCore;

using MimeKit;

namespace FundingPortal.IntegrationTests.Pledges;

public sealed record Sponsor(TestUser User, int OrganisationId, string BillingEmail);

/// <summary>What pledge tests start from, made fresh by each test: organisations, tasks, reviewers, a pledge in a given state.</summary>
internal static class PledgeArrange
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The first day of next month, as the form suggests.</summary>
    public static string NextMonth => new DateOnly(Today.Year, Today.Month, 1).AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<Sponsor> SponsorAsync(this PortalFactory portal, string name = "Acme Compilers")
    {
        var user = await portal.CreateUserAsync(name: "Sam Sponsor");
        var billing = $"billing-{Guid.NewGuid():N}@example.com";
        var created = await portal.WithScopeAsync<SaveOrganisation, Result<int>>(save => save.CreateAsync(new OrganisationInput
        {
            Name = name,
            Slug = $"org-{Guid.NewGuid():N}"[..20],
            BillingEmail = billing,
            Listing = PublicListing.ByName,
        }, user.Id));
        Assert.True(created.Succeeded, created.Problem?.Message);
        return new Sponsor(user, created.Value, billing);
    }

    /// <summary>An open task (or one moved on to <paramref name="status"/>) with its fund; returns the fund id.</summary>
    public static async Task<int> TaskFundAsync(this PortalFactory portal, string title = "Windows build under 90 minutes", DevopsTaskStatus status = DevopsTaskStatus.Open)
    {
        await using var db = portal.NewDbContext();
        var now = DateTime.UtcNow;
        var task = DevopsTask.Propose(title, $"task-{Guid.NewGuid():N}"[..20], "Make it fast.", new Money(1_000_000, "USD"), Hours.FromHours(100), null, now);
        if (status != DevopsTaskStatus.Proposed)
        {
            Assert.True(task.MoveTo(DevopsTaskStatus.Open, null, now).Succeeded);
        }
        if (status == DevopsTaskStatus.Cancelled)
        {
            Assert.True(task.MoveTo(DevopsTaskStatus.Cancelled, null, now).Succeeded);
        }
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task.Fund!.Id;
    }

    public static async Task<int> CentralFundAsync(this PortalFactory portal)
    {
        await using var db = portal.NewDbContext();
        return await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
    }

    public static PledgeInput Money(int fundId, string amount = "500", string currency = "USD", int? periods = 12) => new()
    {
        FundId = fundId,
        Kind = PledgeKind.Money,
        Frequency = PledgeFrequency.Monthly,
        Start = NextMonth,
        Periods = periods,
        Amount = amount,
        Currency = currency,
        PaymentMethod = PaymentMethod.Invoice,
        PaymentTiming = PaymentTiming.Now,
    };

    public static PledgeInput EngineerTime(int fundId, string hours = "10", int? periods = 4) => new()
    {
        FundId = fundId,
        Kind = PledgeKind.EngineerTime,
        Frequency = PledgeFrequency.Monthly,
        Start = NextMonth,
        Periods = periods,
        Hours = hours,
        EngineerName = "Erin Engineer",
        Rate = "120",
        Currency = "USD",
    };

    public static Task<Result<int>> SubmitAsync(this PortalFactory portal, Sponsor sponsor, PledgeInput input, int? organisationId = null, string? userId = null) =>
        portal.WithScopeAsync<SubmitPledge, Result<int>>(s => s.SubmitAsync(organisationId ?? sponsor.OrganisationId, input, userId ?? sponsor.User.Id));

    public static async Task<int> SubmittedAsync(this PortalFactory portal, Sponsor sponsor, PledgeInput input)
    {
        var result = await portal.SubmitAsync(sponsor, input);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value;
    }

    public static async Task<int> VersionAsync(this PortalFactory portal, int pledgeId)
    {
        await using var db = portal.NewDbContext();
        return await db.Pledges.Where(p => p.Id == pledgeId).Select(p => p.Version).SingleAsync();
    }

    public static async Task<Result<PledgeStatus>> DecideAsync(this PortalFactory portal, int pledgeId, ReviewDecision decision, TestUser reviewer, string? reason = "Looks good.", int? version = null)
    {
        var v = version ?? await portal.VersionAsync(pledgeId);
        return await portal.WithScopeAsync<ReviewPledge, Result<PledgeStatus>>(r => r.DecideAsync(pledgeId, decision, v, reason, reviewer.Id));
    }

    public static async Task<int> ActiveAsync(this PortalFactory portal, Sponsor sponsor, PledgeInput input)
    {
        var id = await portal.SubmittedAsync(sponsor, input);
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer");
        var accepted = await portal.DecideAsync(id, ReviewDecision.Accept, reviewer);
        Assert.True(accepted.Succeeded, accepted.Problem?.Message);
        return id;
    }

    /// <summary>Subjects of the emails to <paramref name="address"/> in the pickup folder.</summary>
    public static IReadOnlyList<(string Subject, string Body)> EmailsTo(this PortalFactory portal, string address)
    {
        if (!Directory.Exists(portal.MailFolder))
        {
            return [];
        }
        var found = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(portal.MailFolder, "*.eml"))
        {
            using var message = MimeMessage.Load(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add((message.Subject ?? "", message.HtmlBody ?? ""));
            }
        }
        return found;
    }
}
