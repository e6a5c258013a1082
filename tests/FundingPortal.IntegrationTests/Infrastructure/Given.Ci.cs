using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>
/// A CI provider of its own with hand-made usage, inserted as records and rolled up as an import would, so each test checks figures
/// it can add up by hand. Paid amounts are in millionths: 736,000 is 0.736 USD, shown as 0.74.
/// </summary>
public sealed partial class Given
{
    public static readonly DateTime January = new(2026, 1, 5, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>A provider rounding each job up to the minute; returns its id.</summary>
    public async Task<int> CiProviderAsync(CiProviderKind kind = CiProviderKind.GitHubActions, string? name = null, int includedMinutesPerMonth = 2000)
    {
        await using var db = portal.NewDbContext();
        var provider = CiProvider.New(name ?? $"CI {Guid.NewGuid():N}"[..30], kind, CiRounding.PerJobUpToMinute, includedMinutesPerMonth, "USD").Value!;
        db.CiProviders.Add(provider);
        await db.SaveChangesAsync();
        return provider.Id;
    }

    /// <summary>A Linux job run; its quota minutes are twice its raw minutes unless given.</summary>
    public static CiJobRun CiRun(int providerId, string project, string job, DateTime startedAt, long seconds, decimal rawMinutes, long listMicros, long paidMicros,
        CiJobStatus status = CiJobStatus.Success, bool retry = false, decimal credits = 0, decimal? quotaMinutes = null) =>
        new(providerId, 0, Guid.NewGuid().ToString("N"), project, "ci", job, "ubuntu-latest", RunnerOs.Linux, startedAt, startedAt.AddSeconds(seconds), seconds,
            rawMinutes, quotaMinutes ?? rawMinutes * 2, listMicros, paidMicros, "USD", status, status.ToString(), retry, credits);

    /// <summary>Inserts the runs as one batch and adds the batch to the monthly roll-up, as the importers do; returns the batch id.</summary>
    public async Task<int> CiImportAsync(int providerId, params CiJobRun[] runs)
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
    /// Returns the provider's id.
    /// </summary>
    public async Task<int> StandardCiUsageAsync()
    {
        var p = await CiProviderAsync();
        await CiImportAsync(p,
            CiRun(p, "app", "build", January, 600, 10m, 80_000, 80_000),
            CiRun(p, "app", "build", January.AddDays(1), 300, 5m, 40_000, 40_000, CiJobStatus.Failed, retry: true),
            CiRun(p, "app", "build", January.AddDays(1).AddMinutes(10), 900, 15m, 120_000, 120_000),
            CiRun(p, "app", "test", January.AddDays(2), 120, 2m, 16_000, 16_000, CiJobStatus.Cancelled),
            CiRun(p, "app", "test", January.AddDays(3), 3600, 60m, 480_000, 480_000, CiJobStatus.TimedOut),
            CiRun(p, "docs", "site", new DateTime(2026, 1, 31, 23, 59, 59, DateTimeKind.Utc), 61, 2m, 16_005, 0));
        await CiImportAsync(p,
            CiRun(p, "app", "build", new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc), 1200, 20m, 160_000, 160_000),
            CiRun(p, "app", "build", new DateTime(2026, 2, 3, 0, 0, 0, DateTimeKind.Utc), 60, 1m, 8_000, 8_000, CiJobStatus.Cancelled, retry: true));
        return p;
    }
}
