namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// Keeps the roll-ups in step with the usage records: <c>CiUsageMonths</c> (one row per provider, UTC month, project, job,
/// status, retry flag and currency, with the longest run) and <c>CiUsageDays</c> (credits and quota minutes per provider and UTC
/// day). An import adds its runs, usually from the <see cref="CiRollupBuilder"/> it filled while writing them; a rollback
/// subtracts the batch's sums and recomputes the longest runs it touched. Everything runs in the database, inside the caller's
/// transaction, so reports read a few roll-up rows instead of scanning millions of records.
/// </summary>
public static class CiUsageRollup
{
    internal const string MonthKey = "\"ProviderId\", \"Month\", \"Project\", \"JobName\", \"Status\", \"IsRetry\", \"Currency\"";

    internal const string MonthSums = "\"Runs\", \"DurationSeconds\", \"RawMinutes\", \"QuotaMinutes\", \"Credits\", \"ListAmountMicros\", \"PaidAmountMicros\"";

    internal const string DayKey = "\"ProviderId\", \"Day\"";

    internal const string DaySums = "\"Runs\", \"QuotaMinutes\", \"Credits\"";

    // The batch id's placeholder in the SQL below (ExecuteSqlRawAsync's first parameter).
    private const string Batch = "{0}";

    /// <summary>Adds a batch's stored records to the roll-ups by reading them back: for runs written without a builder.</summary>
    public static async Task AddBatchAsync(AppDbContext db, int batchId, CancellationToken cancellationToken = default)
    {
        await ApplyMonthsAsync(db, batchId, sign: 1, cancellationToken);
        await ApplyDaysAsync(db, batchId, sign: 1, cancellationToken);
    }

    /// <summary>Takes a batch's records out of the roll-ups; call it while the records still exist (the sums come from them).</summary>
    public static async Task SubtractBatchAsync(AppDbContext db, int batchId, CancellationToken cancellationToken = default)
    {
        await RecomputeLongestWithoutAsync(db, batchId, cancellationToken);
        await ApplyMonthsAsync(db, batchId, sign: -1, cancellationToken);
        await ApplyDaysAsync(db, batchId, sign: -1, cancellationToken);
        await db.CiUsageMonths.Where(m => m.Runs == 0).ExecuteDeleteAsync(cancellationToken);
        await db.CiUsageDays.Where(d => d.Runs == 0).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The UTC month of a run's start, as the roll-up stores it: DateTimes are stored as UTC on both providers.</summary>
    internal static string MonthOf(bool postgres, string startedAt = "\"StartedAt\"") => postgres
        ? $"CAST(date_trunc('month', {startedAt} AT TIME ZONE 'UTC') AS date)"
        : $"substr({startedAt}, 1, 7) || '-01'";

    private static string DayOf(bool postgres) => postgres ? "CAST(\"StartedAt\" AT TIME ZONE 'UTC' AS date)" : "substr(\"StartedAt\", 1, 10)";

    // SQLite sums decimals (stored as text) as doubles; rounding to the stored scale keeps them exact at CI sizes.
    private static string SumOf(bool postgres, string column, bool isDecimal = false) =>
        postgres || !isDecimal ? $"SUM(\"{column}\")" : $"ROUND(SUM(\"{column}\"), {CiUsageMonth.MinuteDecimals})";

    internal static string Greatest(bool postgres, string a, string b) => postgres ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";

    private static readonly string[] DecimalColumns = ["\"RawMinutes\"", "\"QuotaMinutes\"", "\"Credits\""];

    /// <summary>The upsert's additions; on SQLite decimal sums are doubles, rounded back to the stored scale so they stay exact.</summary>
    internal static string AddExcluded(bool postgres, string table, string sums) =>
        string.Join(", ", sums.Split(", ").Select(c => postgres || !DecimalColumns.Contains(c)
            ? $"{c} = {table}.{c} + excluded.{c}"
            : $"{c} = ROUND({table}.{c} + excluded.{c}, {CiUsageMonth.MinuteDecimals})"));

    private static Task<int> ApplyMonthsAsync(AppDbContext db, int batchId, int sign, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var month = MonthOf(postgres);
        // An addition raises the longest run; a subtraction leaves it to RecomputeLongestWithoutAsync.
        var longest = sign > 0
            ? $", \"LongestDurationSeconds\" = {Greatest(postgres, "\"CiUsageMonths\".\"LongestDurationSeconds\"", "excluded.\"LongestDurationSeconds\"")}"
            : "";
        var sql = $"""
            INSERT INTO "CiUsageMonths" ({MonthKey}, {MonthSums}, "LongestDurationSeconds")
            SELECT "ProviderId", {month}, "Project", "JobName", "Status", "IsRetry", "Currency",
                   {sign} * COUNT(*), {sign} * SUM("DurationSeconds"), {sign} * {SumOf(postgres, "RawMinutes", true)}, {sign} * {SumOf(postgres, "QuotaMinutes", true)},
                   {sign} * {SumOf(postgres, "Credits", true)}, {sign} * SUM("ListAmountMicros"), {sign} * SUM("PaidAmountMicros"), MAX("DurationSeconds")
            FROM "CiUsageRecords"
            WHERE "BatchId" = {Batch}
            GROUP BY "ProviderId", {month}, "Project", "JobName", "Status", "IsRetry", "Currency"
            ON CONFLICT ({MonthKey}) DO UPDATE SET {AddExcluded(postgres, "\"CiUsageMonths\"", MonthSums)}{longest}
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [batchId], cancellationToken);
    }

    private static Task<int> ApplyDaysAsync(AppDbContext db, int batchId, int sign, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var day = DayOf(postgres);
        var sql = $"""
            INSERT INTO "CiUsageDays" ({DayKey}, {DaySums})
            SELECT "ProviderId", {day}, {sign} * COUNT(*), {sign} * {SumOf(postgres, "QuotaMinutes", true)}, {sign} * {SumOf(postgres, "Credits", true)}
            FROM "CiUsageRecords"
            WHERE "BatchId" = {Batch}
            GROUP BY "ProviderId", {day}
            ON CONFLICT ({DayKey}) DO UPDATE SET {AddExcluded(postgres, "\"CiUsageDays\"", DaySums)}
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [batchId], cancellationToken);
    }

    /// <summary>
    /// Sets the longest run of every roll-up key the batch touched to the longest run of the completed batches' records without it,
    /// read per key through the (provider, project, job, start, duration, status) index.
    /// </summary>
    private static Task<int> RecomputeLongestWithoutAsync(AppDbContext db, int batchId, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var (from, until) = postgres
            ? ("(m.\"Month\"::timestamp AT TIME ZONE 'UTC')", "((m.\"Month\" + interval '1 month')::timestamp AT TIME ZONE 'UTC')")
            : ("m.\"Month\"", "date(m.\"Month\", '+1 month')");
        var completed = $"'{nameof(ImportBatchStatus.Completed)}'";
        var sql = $"""
            UPDATE "CiUsageMonths" AS m SET "LongestDurationSeconds" = COALESCE((
                SELECT MAX(r."DurationSeconds") FROM "CiUsageRecords" AS r
                WHERE r."ProviderId" = m."ProviderId" AND r."Project" = m."Project" AND r."JobName" = m."JobName"
                  AND r."StartedAt" >= {from} AND r."StartedAt" < {until}
                  AND r."Status" = m."Status" AND r."IsRetry" = m."IsRetry" AND r."Currency" = m."Currency"
                  AND r."BatchId" <> {Batch} AND r."BatchId" IN (SELECT b."Id" FROM "ImportBatches" AS b WHERE b."Status" = {completed})), 0)
            WHERE (m."ProviderId", m."Month", m."Project", m."JobName", m."Status", m."IsRetry", m."Currency") IN (
                SELECT DISTINCT "ProviderId", {MonthOf(postgres)}, "Project", "JobName", "Status", "IsRetry", "Currency"
                FROM "CiUsageRecords" WHERE "BatchId" = {Batch})
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [batchId], cancellationToken);
    }
}
