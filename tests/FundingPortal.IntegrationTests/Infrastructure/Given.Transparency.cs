using FundingPortal.Core.Domain;

namespace FundingPortal.IntegrationTests.Infrastructure;

public sealed partial class Given
{
    /// <summary>
    /// Ledger entries, pledges and CI usage with figures worked out by hand (amounts in cents), for a portal with a database of its own:
    /// three months ago Alpha gave 1,200.00 and 300.00 was spent; two months ago an anonymous sponsor gave 240.00 and 300.00 was spent;
    /// last month 600.00 was spent; this month Gamma gave 200.00 to a task. Balance 440.00; spend 400.00 a month; runway 1.1 months.
    /// </summary>
    public async Task<KnownData> KnownDataAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sponsor = await portal.CreateUserAsync(name: "Sam Sponsor");
        var reviewer = await ReviewerAsync();
        var now = DateTime.UtcNow;
        var thisMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var next = DateOnly.FromDateTime(thisMonth.AddMonths(1));

        Task<Organisation> Org(string name, PublicListing listing, string email) => OrganisationAsync(sponsor, name, listing, email, "https://example.org");
        var alpha = await Org($"Alpha Builds {tag}", PublicListing.ByName, $"alpha-{tag}@example.com");
        var secret = await Org($"Secretive Corp {tag}", PublicListing.Anonymous, $"secret-{tag}@example.com");
        var gamma = await Org($"Gamma Labs {tag}", PublicListing.ByName, $"gamma-{tag}@example.com");
        var task = await TaskFundAsync($"Faster Windows CI {tag}", proposer: reviewer, slug: $"windows-ci-{tag}", description: "Split the **test suite**.",
            moneyGoalMinor: 500_000, hoursGoal: 40);
        var providerName = $"Hosted CI {tag}";
        var provider = await CiProviderAsync(name: providerName, includedMinutesPerMonth: 0);

        var central = await CentralFundAsync();
        Task<long> Entry(int fund, LedgerEntryKind kind, long cents, DateTime at, int? organisation) =>
            LedgerEntryAsync(fund, kind, cents, at, organisation, $"Known {kind} from {secret.Name} {secret.BillingEmail}");
        var alphaEntry = await Entry(central, LedgerEntryKind.Contribution, 120_000, thisMonth.AddMonths(-3).AddDays(9), alpha.Id);
        await Entry(central, LedgerEntryKind.Expense, -30_000, thisMonth.AddMonths(-3).AddDays(14), null);
        await Entry(central, LedgerEntryKind.Contribution, 24_000, thisMonth.AddMonths(-2).AddDays(9), secret.Id);
        await Entry(central, LedgerEntryKind.Expense, -30_000, thisMonth.AddMonths(-2).AddDays(14), null);
        await Entry(central, LedgerEntryKind.Expense, -60_000, thisMonth.AddMonths(-1).AddDays(14), null);
        await Entry(task.FundId, LedgerEntryKind.Contribution, 20_000, thisMonth.AddHours(1), gamma.Id);

        // Recurring money: 100.00 a month from Alpha and 1,200.00 a year from the anonymous sponsor = 200.00 a month. Time: 3 × 10 h.
        await AcceptedPledgeAsync(Pledge.SubmitMoney(alpha.Id, central, new Money(10_000, "USD"), Monthly(next, 12), PaymentMethod.Invoice,
            PaymentTiming.Now, sponsor.Id, now), reviewer);
        await AcceptedPledgeAsync(Pledge.SubmitMoney(secret.Id, central, new Money(120_000, "USD"), Every(PledgeFrequency.Yearly, next, 2), PaymentMethod.Invoice,
            PaymentTiming.Now, sponsor.Id, now), reviewer);
        await AcceptedPledgeAsync(Pledge.SubmitEngineerTime(alpha.Id, task.FundId, Hours.FromHours(10), Monthly(next, 3), "Eve Engineer",
            new Money(10_000, "USD"), sponsor.Id, now), reviewer);

        // CI this month: two successful runs of 10 minutes (1.00 paid, 2.00 list each) and a cancelled one of 5 minutes (0.50 paid, 1.00 list).
        var started = thisMonth.AddHours(2);
        CiJobRun Run(CiJobStatus status, long seconds, long list, long paid) =>
            CiRun(provider, "ghc", "validate", started, seconds, seconds / 60m, list, paid, status, quotaMinutes: seconds / 60m);
        await CiImportAsync(provider, Run(CiJobStatus.Success, 600, 2_000_000, 1_000_000), Run(CiJobStatus.Success, 600, 2_000_000, 1_000_000),
            Run(CiJobStatus.Cancelled, 300, 1_000_000, 500_000));

        return new KnownData(alpha.Name, secret.Name, secret.BillingEmail, alpha.BillingEmail, gamma.Name, task.Slug, providerName, alphaEntry, secret.Id);
    }
}

/// <summary>The names and ids <see cref="Given.KnownDataAsync"/> made, for the tests to look for (or to make sure they are hidden).</summary>
public sealed record KnownData(string AlphaName, string SecretName, string SecretEmail, string AlphaEmail, string GammaName, string TaskSlug, string ProviderName,
    long AlphaEntryId, int SecretId);
