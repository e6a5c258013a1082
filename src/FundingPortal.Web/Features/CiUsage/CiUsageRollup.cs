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

    // SQLite only: an import commits its records chunk by chunk, and each chunk's sums wait in this per-connection temporary
    // table (the temp database takes no lock on the portal's file) until the batch completes (ADR 11).
    private const string Pending = "temp.ci_pending_months";

    private const string Sums = "\"Runs\", \"DurationSeconds\", \"RawMinutes\", \"QuotaMinutes\", \"Credits\", \"ListAmountMicros\", \"PaidAmountMicros\"";

    private static readonly string[] SumColumns = ["Runs", "DurationSeconds", "RawMinutes", "QuotaMinutes", "Credits", "ListAmountMicros", "PaidAmountMicros"];

    private static string AddExcluded(string table) => string.Join(",\n    ", SumColumns.Select(c => $"\"{c}\" = {table}.\"{c}\" + excluded.\"{c}\""));

    /// <summary>Starts an empty pending roll-up on this connection (a pooled connection may still hold an earlier one).</summary>
    public static async Task StartPendingAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        const string drop = $"DROP TABLE IF EXISTS {Pending}";
        await db.Database.ExecuteSqlRawAsync(drop, cancellationToken);
        const string create = $"""
            CREATE TEMP TABLE ci_pending_months (
                "ProviderId" INTEGER NOT NULL, "Month" TEXT NOT NULL, "Project" TEXT NOT NULL, "JobName" TEXT NOT NULL, "Status" TEXT NOT NULL,
                "IsRetry" INTEGER NOT NULL, "Currency" TEXT NOT NULL, "Runs" INTEGER NOT NULL, "DurationSeconds" INTEGER NOT NULL, "RawMinutes" REAL NOT NULL,
                "QuotaMinutes" REAL NOT NULL, "Credits" REAL NOT NULL, "ListAmountMicros" INTEGER NOT NULL, "PaidAmountMicros" INTEGER NOT NULL,
                PRIMARY KEY ({Key}))
            """;
        await db.Database.ExecuteSqlRawAsync(create, cancellationToken);
    }

    /// <summary>Adds the sums of the batch's records above <paramref name="afterId"/> (the chunk just written) to the pending roll-up.</summary>
    public static Task<int> AddChunkToPendingAsync(AppDbContext db, int batchId, long afterId, CancellationToken cancellationToken = default)
    {
        const string month = "substr(\"StartedAt\", 1, 7) || '-01'";
        var sql = $$"""
            INSERT INTO {{Pending}} ({{Key}}, {{Sums}})
            SELECT "ProviderId", {{month}}, "Project", "JobName", "Status", "IsRetry", "Currency",
                   COUNT(*), SUM("DurationSeconds"), ROUND(SUM("RawMinutes"), 6), ROUND(SUM("QuotaMinutes"), 6), ROUND(SUM("Credits"), 6),
                   SUM("ListAmountMicros"), SUM("PaidAmountMicros")
            FROM "CiUsageRecords"
            WHERE "BatchId" = {0} AND "Id" > {1}
            GROUP BY "ProviderId", {{month}}, "Project", "JobName", "Status", "IsRetry", "Currency"
            ON CONFLICT ({{Key}}) DO UPDATE SET
                {{AddExcluded("ci_pending_months")}}
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [batchId, afterId], cancellationToken);
    }

    /// <summary>Adds the pending roll-up to <c>CiUsageMonths</c> (a few thousand rows at most: one per key, not per record) and drops it.</summary>
    public static async Task<int> MergePendingAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        var sql = $$"""
            INSERT INTO "CiUsageMonths" ({{Key}}, {{Sums}})
            SELECT {{Key}}, "Runs", "DurationSeconds", ROUND("RawMinutes", 6), ROUND("QuotaMinutes", 6), ROUND("Credits", 6), "ListAmountMicros", "PaidAmountMicros"
            FROM {{Pending}}
            WHERE true
            ON CONFLICT ({{Key}}) DO UPDATE SET
                {{AddExcluded("\"CiUsageMonths\"")}}
            """;
        var changed = await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        const string drop = $"DROP TABLE IF EXISTS {Pending}";
        await db.Database.ExecuteSqlRawAsync(drop, cancellationToken);
        return changed;
    }
}
