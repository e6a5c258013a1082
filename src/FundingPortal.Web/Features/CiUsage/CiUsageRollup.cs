using FundingPortal.Core.Data;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// Keeps the monthly roll-up (<c>CiUsageMonths</c>) in step with the usage records: an import adds its batch's sums, a
/// rollback subtracts them. Both run as one grouped INSERT … SELECT … ON CONFLICT in the database, inside the caller's
/// transaction, so reports read a few roll-up rows instead of scanning millions of records.
/// </summary>
public static class CiUsageRollup
{
    private const string Key = "\"ProviderId\", \"Month\", \"Project\", \"JobName\", \"Status\", \"IsRetry\", \"Currency\"";

    public static Task<int> AddBatchAsync(AppDbContext db, int batchId, CancellationToken cancellationToken = default) =>
        ApplyAsync(db, batchId, sign: 1, cancellationToken);

    public static Task<int> SubtractBatchAsync(AppDbContext db, int batchId, CancellationToken cancellationToken = default) =>
        ApplyAsync(db, batchId, sign: -1, cancellationToken);

    private static async Task<int> ApplyAsync(AppDbContext db, int batchId, int sign, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        // UTC month of the run's start: DateTimes are stored as UTC on both providers.
        var month = postgres
            ? "CAST(date_trunc('month', \"StartedAt\" AT TIME ZONE 'UTC') AS date)"
            : "substr(\"StartedAt\", 1, 7) || '-01'";
        // SQLite sums decimals (stored as text) as doubles; rounding to the stored scale keeps them exact at CI sizes.
        string Decimal(string column) => postgres ? $"SUM(\"{column}\")" : $"ROUND(SUM(\"{column}\"), 6)";

        var sql = $$"""
            INSERT INTO "CiUsageMonths" ({{Key}}, "Runs", "DurationSeconds", "RawMinutes", "QuotaMinutes", "Credits", "ListAmountMicros", "PaidAmountMicros")
            SELECT "ProviderId", {{month}}, "Project", "JobName", "Status", "IsRetry", "Currency",
                   {{sign}} * COUNT(*), {{sign}} * SUM("DurationSeconds"), {{sign}} * {{Decimal("RawMinutes")}}, {{sign}} * {{Decimal("QuotaMinutes")}},
                   {{sign}} * {{Decimal("Credits")}}, {{sign}} * SUM("ListAmountMicros"), {{sign}} * SUM("PaidAmountMicros")
            FROM "CiUsageRecords"
            WHERE "BatchId" = {0}
            GROUP BY "ProviderId", {{month}}, "Project", "JobName", "Status", "IsRetry", "Currency"
            ON CONFLICT ({{Key}}) DO UPDATE SET
                "Runs" = "CiUsageMonths"."Runs" + excluded."Runs",
                "DurationSeconds" = "CiUsageMonths"."DurationSeconds" + excluded."DurationSeconds",
                "RawMinutes" = "CiUsageMonths"."RawMinutes" + excluded."RawMinutes",
                "QuotaMinutes" = "CiUsageMonths"."QuotaMinutes" + excluded."QuotaMinutes",
                "Credits" = "CiUsageMonths"."Credits" + excluded."Credits",
                "ListAmountMicros" = "CiUsageMonths"."ListAmountMicros" + excluded."ListAmountMicros",
                "PaidAmountMicros" = "CiUsageMonths"."PaidAmountMicros" + excluded."PaidAmountMicros"
            """;
        var changed = await db.Database.ExecuteSqlRawAsync(sql, [batchId], cancellationToken);
        if (sign < 0)
        {
            await db.CiUsageMonths.Where(m => m.Runs == 0).ExecuteDeleteAsync(cancellationToken);
        }

        return changed;
    }
}
