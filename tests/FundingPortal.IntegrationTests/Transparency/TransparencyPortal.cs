using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiUsage;

using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>A portal with a database of its own, so whole-portal totals (balance, runway, concentration) are known exactly.</summary>
public sealed class TransparencyPortal : PortalFactory
{
    private Task<KnownData>? _known;

    /// <summary>The known data, put in once for all the tests that share this portal.</summary>
    public Task<KnownData> KnownAsync() => _known ??= KnownData.ArrangeAsync(this);
}

/// <summary>A portal whose public requests are limited to three a minute per client address.</summary>
public sealed class RateLimitedPortal : PortalFactory
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Portal:PublicRequestsPerMinute", "3");
}

/// <summary>
/// Ledger entries, pledges and CI usage with figures worked out by hand (amounts in cents):
/// three months ago Alpha gave 1,200.00 and 300.00 was spent; two months ago an anonymous sponsor gave 240.00 and 300.00 was spent;
/// last month 600.00 was spent; this month Gamma gave 200.00 to a task. Balance 440.00; spend 400.00 a month; runway 1.1 months.
/// </summary>
public sealed record KnownData(string AlphaName, string SecretName, string SecretEmail, string AlphaEmail, string GammaName, string TaskSlug, string ProviderName,
    long AlphaEntryId, int SecretId)
{
    public static async Task<KnownData> ArrangeAsync(PortalFactory portal)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sponsor = await portal.CreateUserAsync(name: "Sam Sponsor");
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer");
        var now = DateTime.UtcNow;
        var thisMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var next = DateOnly.FromDateTime(thisMonth.AddMonths(1));

        await using var db = portal.NewDbContext();
        Organisation Org(string name, PublicListing listing, string email) =>
            Organisation.Create(new OrganisationProfile(name, $"org-{Guid.NewGuid():N}"[..24], "https://example.org", null, email, listing), sponsor.Id, now);
        var alpha = Org($"Alpha Builds {tag}", PublicListing.ByName, $"alpha-{tag}@example.com");
        var secret = Org($"Secretive Corp {tag}", PublicListing.Anonymous, $"secret-{tag}@example.com");
        var gamma = Org($"Gamma Labs {tag}", PublicListing.ByName, $"gamma-{tag}@example.com");
        db.Organisations.AddRange(alpha, secret, gamma);
        var task = DevopsTask.Propose($"Faster Windows CI {tag}", $"windows-ci-{tag}", "Split the **test suite**.", new Money(500_000, "USD"), Hours.FromHours(40),
            reviewer.Id, now);
        task.MoveTo(DevopsTaskStatus.Open, reviewer.Id, now);
        db.Tasks.Add(task);
        var provider = CiProvider.New($"Hosted CI {tag}", CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, 0, "USD").Value!;
        db.CiProviders.Add(provider);
        await db.SaveChangesAsync();

        var central = await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
        var taskFund = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();
        LedgerEntry Entry(int fund, LedgerEntryKind kind, long cents, DateTime at, int? organisation) =>
            LedgerEntry.Book(new LedgerPosting(fund, kind, new Money(cents, "USD"), new Money(cents, "USD"), 1m, $"Known {kind} from {secret.Name} {secret.BillingEmail}",
                at, now, null, organisation));
        var alphaEntry = Entry(central, LedgerEntryKind.Contribution, 120_000, thisMonth.AddMonths(-3).AddDays(9), alpha.Id);
        db.LedgerEntries.AddRange(
            alphaEntry,
            Entry(central, LedgerEntryKind.Expense, -30_000, thisMonth.AddMonths(-3).AddDays(14), null),
            Entry(central, LedgerEntryKind.Contribution, 24_000, thisMonth.AddMonths(-2).AddDays(9), secret.Id),
            Entry(central, LedgerEntryKind.Expense, -30_000, thisMonth.AddMonths(-2).AddDays(14), null),
            Entry(central, LedgerEntryKind.Expense, -60_000, thisMonth.AddMonths(-1).AddDays(14), null),
            Entry(taskFund, LedgerEntryKind.Contribution, 20_000, thisMonth.AddHours(1), gamma.Id));

        // Recurring money: 100.00 a month from Alpha and 1,200.00 a year from the anonymous sponsor = 200.00 a month. Time: 3 × 10 h.
        foreach (var pledge in new[]
        {
            Pledge.SubmitMoney(alpha.Id, central, new Money(10_000, "USD"), new PledgeSchedule(PledgeFrequency.Monthly, next, null, 12), PaymentMethod.Invoice,
                PaymentTiming.Now, sponsor.Id, now),
            Pledge.SubmitMoney(secret.Id, central, new Money(120_000, "USD"), new PledgeSchedule(PledgeFrequency.Yearly, next, null, 2), PaymentMethod.Invoice,
                PaymentTiming.Now, sponsor.Id, now),
            Pledge.SubmitEngineerTime(alpha.Id, taskFund, Hours.FromHours(10), new PledgeSchedule(PledgeFrequency.Monthly, next, null, 3), "Eve Engineer",
                new Money(10_000, "USD"), sponsor.Id, now),
        })
        {
            Assert.True(pledge.Accept(reviewer.Id, "Thank you", now).Succeeded);
            db.Pledges.Add(pledge);
        }
        await db.SaveChangesAsync();

        // CI this month: two successful runs of 10 minutes (1.00 paid, 2.00 list each) and a cancelled one of 5 minutes (0.50 paid, 1.00 list).
        var batch = ImportBatch.Start(provider.Id, GenericCsv.Instance.Id, "usage.csv", Guid.NewGuid().ToString("N"), null, now);
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync();
        var started = thisMonth.AddHours(2);
        CiUsageRecord Run(string id, CiJobStatus status, long seconds, long list, long paid) => CiUsageRecord.Create(new CiJobRun(provider.Id, batch.Id, id,
            "ghc", "ci", "validate", "ubuntu", RunnerOs.Linux, started, started.AddSeconds(seconds), seconds, seconds / 60m, seconds / 60m, list, paid, "USD",
            status, null, false));
        db.CiUsageRecords.AddRange(Run($"a-{tag}", CiJobStatus.Success, 600, 2_000_000, 1_000_000), Run($"b-{tag}", CiJobStatus.Success, 600, 2_000_000, 1_000_000),
            Run($"c-{tag}", CiJobStatus.Cancelled, 300, 1_000_000, 500_000));
        await db.SaveChangesAsync();
        await FundingPortal.Web.Features.CiUsage.CiUsageRollup.AddBatchAsync(db, batch.Id);
        batch.Complete(3, 3, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, now);
        await db.SaveChangesAsync();

        return new KnownData(alpha.Name, secret.Name, secret.BillingEmail, alpha.BillingEmail, gamma.Name, task.Slug, provider.Name, alphaEntry.Id, secret.Id);
    }
}
