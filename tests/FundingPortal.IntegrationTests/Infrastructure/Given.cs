using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>
/// What a test starts from, made fresh by each test straight through the domain (or, for the pledge form, its handler): people,
/// organisations, task funds, accepted pledges, ledger entries and CI usage. <c>portal.Given()</c> makes one; it keeps no state.
/// </summary>
public sealed partial class Given(PortalFactory portal)
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static PledgeSchedule Monthly(DateOnly start, int periods) => Every(PledgeFrequency.Monthly, start, periods);

    public static PledgeSchedule Every(PledgeFrequency frequency, DateOnly start, int periods) => new(frequency, start, null, periods);

    public Task<TestUser> ReviewerAsync(string name = "Rita Reviewer") => portal.CreateUserAsync(Roles.Reviewer, name);

    /// <summary>A person and the organisation they own.</summary>
    public async Task<Sponsor> SponsorAsync(string organisation = "Acme Compilers", string person = "Sam Sponsor")
    {
        var user = await portal.CreateUserAsync(name: person);
        var created = await OrganisationAsync(user, organisation);
        return new Sponsor(user, created.Id, created.BillingEmail);
    }

    /// <summary>An organisation owned by <paramref name="owner"/>, with a unique slug (and billing email unless given).</summary>
    public async Task<Organisation> OrganisationAsync(TestUser owner, string name, PublicListing listing = PublicListing.ByName, string? billingEmail = null,
        string? website = null)
    {
        await using var db = portal.NewDbContext();
        var organisation = Organisation.Create(new OrganisationProfile(name, $"org-{Guid.NewGuid():N}"[..24], website, null,
            billingEmail ?? $"billing-{Guid.NewGuid():N}@example.com", listing), owner.Id, DateTime.UtcNow);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        return organisation;
    }

    /// <summary>A task, open (or moved on to <paramref name="status"/>), with its fund; proposed by <paramref name="proposer"/> if given.</summary>
    public async Task<TaskFund> TaskFundAsync(string title = "Windows build under 90 minutes", DevopsTaskStatus status = DevopsTaskStatus.Open,
        TestUser? proposer = null, string? slug = null, string description = "Make it fast.", long moneyGoalMinor = 1_000_000, decimal hoursGoal = 100)
    {
        await using var db = portal.NewDbContext();
        var now = DateTime.UtcNow;
        var task = DevopsTask.Propose(title, slug ?? $"task-{Guid.NewGuid():N}"[..24], description, new Money(moneyGoalMinor, "USD"), Hours.FromHours(hoursGoal),
            proposer?.Id, now);
        if (status != DevopsTaskStatus.Proposed)
        {
            Assert.True(task.MoveTo(DevopsTaskStatus.Open, proposer?.Id, now).Succeeded);
        }
        if (status == DevopsTaskStatus.Cancelled)
        {
            Assert.True(task.MoveTo(DevopsTaskStatus.Cancelled, proposer?.Id, now).Succeeded);
        }
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return new TaskFund(task.Id, task.Fund!.Id, task.Slug);
    }

    public async Task<int> CentralFundAsync()
    {
        await using var db = portal.NewDbContext();
        return await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
    }

    /// <summary>A sponsor organisation, a reviewer and an open task fund the reviewer proposed: what accepted pledges are made on.</summary>
    public async Task<Sponsorship> SponsorshipAsync(string organisation = "Acme Compilers")
    {
        var sponsor = await SponsorAsync(organisation);
        var reviewer = await ReviewerAsync();
        var task = await TaskFundAsync(proposer: reviewer);
        return new Sponsorship(this, sponsor, reviewer, task);
    }

    /// <summary>Saves a submitted pledge as accepted by <paramref name="reviewer"/> (installments scheduled).</summary>
    public async Task<Pledge> AcceptedPledgeAsync(Pledge submitted, TestUser reviewer)
    {
        await using var db = portal.NewDbContext();
        Assert.True(submitted.Accept(reviewer.Id, "Thank you", DateTime.UtcNow).Succeeded);
        db.Pledges.Add(submitted);
        await db.SaveChangesAsync();
        return submitted;
    }

    /// <summary>Books a ledger entry in USD (the test portal's base currency) and returns its id.</summary>
    public async Task<long> LedgerEntryAsync(int fundId, LedgerEntryKind kind, long minorUnits, DateTime at, int? organisationId = null,
        string description = "Test contribution")
    {
        await using var db = portal.NewDbContext();
        var entry = LedgerEntry.Book(new LedgerPosting(fundId, kind, new Money(minorUnits, "USD"), new Money(minorUnits, "USD"), 1m, description, at,
            DateTime.UtcNow, null, organisationId));
        db.LedgerEntries.Add(entry);
        await db.SaveChangesAsync();
        return entry.Id;
    }
}

public sealed record Sponsor(TestUser User, int OrganisationId, string BillingEmail);

public sealed record TaskFund(int TaskId, int FundId, string Slug);
