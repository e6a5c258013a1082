using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiUsage;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.CiUsage;

[Collection(PortalTests.Name)]
public class CiUsageRollupTests(PortalFactory portal)
{
    private static CiJobRun Run(int providerId, DateTime startedAt, long seconds, long paidMicros, CiJobStatus status = CiJobStatus.Success) =>
        Given.CiRun(providerId, "ghc", "x86_64-linux", startedAt, seconds, decimal.Ceiling(seconds / 60m), paidMicros * 2, paidMicros, status, credits: 1.5m);

    [Fact]
    public async Task Batches_add_to_and_subtract_from_the_utc_monthly_roll_up()
    {
        await using var db = portal.NewDbContext();
        var id = await portal.Given().CiProviderAsync();

        var first = await portal.Given().CiImportAsync(id,
            Run(id, new DateTime(2026, 1, 31, 23, 59, 0, DateTimeKind.Utc), 90, 16_000),
            Run(id, new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc), 30, 8_000),
            Run(id, new DateTime(2026, 2, 1, 0, 0, 1, DateTimeKind.Utc), 600, 60_000, CiJobStatus.TimedOut));
        await portal.Given().CiImportAsync(id, Run(id, new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc), 61, 16_000));

        var months = await db.CiUsageMonths.Where(m => m.ProviderId == id).OrderBy(m => m.Month).ThenBy(m => m.Status).ToListAsync();
        Assert.Equal(
            [(new DateOnly(2026, 1, 1), CiJobStatus.Success, 3L, 181L, 5m, 10m, 4.5m, 80_000L, 40_000L), (new DateOnly(2026, 2, 1), CiJobStatus.TimedOut, 1L, 600L, 10m, 20m, 1.5m, 120_000L, 60_000L)],
            months.Select(m => (m.Month, m.Status, m.Runs, m.DurationSeconds, m.RawMinutes, m.QuotaMinutes, m.Credits, m.ListAmountMicros, m.PaidAmountMicros)));

        await CiUsageRollup.SubtractBatchAsync(db, first);

        var left = await db.CiUsageMonths.AsNoTracking().Where(m => m.ProviderId == id).ToListAsync();
        Assert.Equal([(new DateOnly(2026, 1, 1), 1L, 61L, 2m, 16_000L)], left.Select(m => (m.Month, m.Runs, m.DurationSeconds, m.RawMinutes, m.PaidAmountMicros)));
    }

    [Fact]
    public async Task The_longest_run_and_the_daily_credits_follow_imports_and_rollbacks()
    {
        await using var db = portal.NewDbContext();
        var id = await portal.Given().CiProviderAsync();
        var day = new DateTime(2026, 3, 10, 8, 0, 0, DateTimeKind.Utc);

        var longest = await portal.Given().CiImportAsync(id, Run(id, day, 3_000, 10_000), Run(id, day.AddDays(1), 120, 1_000));
        var shorter = await portal.Given().CiImportAsync(id, Run(id, day.AddHours(2), 900, 5_000), Run(id, day.AddDays(20), 400, 5_000));

        async Task<long> LongestAsync() => (await db.CiUsageMonths.AsNoTracking().SingleAsync(m => m.ProviderId == id && m.Month == new DateOnly(2026, 3, 1))).LongestDurationSeconds;
        async Task<List<(DateOnly, long, decimal)>> DaysAsync() => [.. (await db.CiUsageDays.AsNoTracking().Where(d => d.ProviderId == id).ToListAsync())
            .OrderBy(d => d.Day).Select(d => (d.Day, d.Runs, d.Credits))];
        Assert.Equal(3_000L, await LongestAsync());
        Assert.Equal([(new DateOnly(2026, 3, 10), 2L, 3m), (new DateOnly(2026, 3, 11), 1L, 1.5m), (new DateOnly(2026, 3, 30), 1L, 1.5m)], await DaysAsync());

        // A maximum cannot be subtracted: the rollback recomputes it from the runs that stay.
        await CiUsageRollup.SubtractBatchAsync(db, longest);
        await db.CiUsageRecords.Where(r => r.BatchId == longest).ExecuteDeleteAsync();
        Assert.Equal(900L, await LongestAsync());
        Assert.Equal([(new DateOnly(2026, 3, 10), 1L, 1.5m), (new DateOnly(2026, 3, 30), 1L, 1.5m)], await DaysAsync());

        await CiUsageRollup.SubtractBatchAsync(db, shorter);
        Assert.False(await db.CiUsageMonths.AnyAsync(m => m.ProviderId == id));
        Assert.False(await db.CiUsageDays.AnyAsync(d => d.ProviderId == id));
    }
}
