using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.IntegrationTests.CiCosts;

/// <summary>
/// A provider of its own with a hand-made month of usage, inserted as records and rolled up as an import would, so each test
/// checks figures it can add up by hand. Paid amounts are in millionths: 736,000 is 0.736 USD, shown as 0.74.
/// </summary>
public static class CiCostArrange
{
    public static readonly DateTime January = new(2026, 1, 5, 10, 0, 0, DateTimeKind.Utc);

    public static async Task<int> ProviderAsync(this PortalFactory portal, CiProviderKind kind = CiProviderKind.GitHubActions)
    {
        await using var db = portal.NewDbContext();
        var provider = CiProvider.New($"CI {Guid.NewGuid():N}"[..30], kind, CiRounding.PerJobUpToMinute, 2000, "USD").Value!;
        db.CiProviders.Add(provider);
        await db.SaveChangesAsync();
        return provider.Id;
    }

    public static CiJobRun Run(int providerId, string project, string job, DateTime startedAt, long seconds, decimal rawMinutes, long listMicros, long paidMicros,
        CiJobStatus status = CiJobStatus.Success, bool retry = false, decimal credits = 0) =>
        new(providerId, 0, Guid.NewGuid().ToString("N"), project, "ci", job, "ubuntu-latest", RunnerOs.Linux, startedAt, startedAt.AddSeconds(seconds), seconds,
            rawMinutes, rawMinutes * 2, listMicros, paidMicros, "USD", status, status.ToString(), retry, credits);

    /// <summary>Inserts the runs as one batch and adds the batch to the monthly roll-up, as the importers do.</summary>
    public static async Task<int> ImportAsync(this PortalFactory portal, int providerId, params CiJobRun[] runs)
    {
        await using var db = portal.NewDbContext();
        var batch = ImportBatch.Start(providerId, GenericCsv.Instance.Id, "usage.csv", Guid.NewGuid().ToString("N"), null, DateTime.UtcNow);
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync();
        db.CiUsageRecords.AddRange(runs.Select(r => CiUsageRecord.Create(r with { BatchId = batch.Id })));
        await db.SaveChangesAsync();
        await CiUsageRollup.AddBatchAsync(db, batch.Id);
        // Reports count only completed batches' records (on SQLite a running import's chunks are already stored, ADR 11).
        batch.Complete(runs.Length, runs.Length, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, DateTime.UtcNow);
        await db.SaveChangesAsync();
        return batch.Id;
    }

    /// <summary>
    /// January 2026: app/build ran three times (one failed and was retried), app/test was cancelled once and timed out once,
    /// docs/site ran free (list price, nothing paid). February: app/build once at midnight UTC on the 1st, plus a cancelled retry.
    /// </summary>
    public static async Task<int> StandardUsageAsync(this PortalFactory portal)
    {
        var p = await portal.ProviderAsync();
        await portal.ImportAsync(p,
            Run(p, "app", "build", January, 600, 10m, 80_000, 80_000),
            Run(p, "app", "build", January.AddDays(1), 300, 5m, 40_000, 40_000, CiJobStatus.Failed, retry: true),
            Run(p, "app", "build", January.AddDays(1).AddMinutes(10), 900, 15m, 120_000, 120_000),
            Run(p, "app", "test", January.AddDays(2), 120, 2m, 16_000, 16_000, CiJobStatus.Cancelled),
            Run(p, "app", "test", January.AddDays(3), 3600, 60m, 480_000, 480_000, CiJobStatus.TimedOut),
            Run(p, "docs", "site", new DateTime(2026, 1, 31, 23, 59, 59, DateTimeKind.Utc), 61, 2m, 16_005, 0));
        await portal.ImportAsync(p,
            Run(p, "app", "build", new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc), 1200, 20m, 160_000, 160_000),
            Run(p, "app", "build", new DateTime(2026, 2, 3, 0, 0, 0, DateTimeKind.Utc), 60, 1m, 8_000, 8_000, CiJobStatus.Cancelled, retry: true));
        return p;
    }
}
