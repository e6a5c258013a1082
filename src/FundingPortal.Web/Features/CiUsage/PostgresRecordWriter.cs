using Npgsql;

using NpgsqlTypes;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// PostgreSQL: binary COPY of every run into a temporary staging table, then one <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c>
/// into the records. The roll-up is summed while staging; only when the insert skipped rows (an overlapping export, a job id
/// repeated in the file) are the repeats looked up and the roll-up read back from what was stored.
/// </summary>
internal sealed class PostgresRecordWriter(NpgsqlConnection connection) : CiRecordWriter
{
    private readonly CiRollupBuilder _rollup = new();
    private NpgsqlBinaryImporter? _copy;
    private int _staged;

    protected override async Task BeginAsync(CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            $"CREATE TEMP TABLE ci_import_stage ON COMMIT DROP AS SELECT 0 AS \"Line\", {Columns} FROM \"CiUsageRecords\" WITH NO DATA", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        _copy = await connection.BeginBinaryImportAsync($"COPY ci_import_stage (\"Line\", {Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
    }

    public override async ValueTask AddAsync(int line, CiJobRun run, CancellationToken cancellationToken)
    {
        var copy = _copy!;
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(line, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(run.ProviderId, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(run.BatchId, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(run.ExternalId, NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(run.Project, NpgsqlDbType.Varchar, cancellationToken);
        await WriteNullableAsync(copy, run.Pipeline, cancellationToken);
        await copy.WriteAsync(run.JobName, NpgsqlDbType.Varchar, cancellationToken);
        await WriteNullableAsync(copy, run.RunnerType, cancellationToken);
        await copy.WriteAsync(run.Os.ToString(), NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(run.StartedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        if (run.FinishedAt is { } finished)
        {
            await copy.WriteAsync(finished, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        await copy.WriteAsync(run.DurationSeconds, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(run.RawMinutes, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(run.QuotaMinutes, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(run.ListAmountMicros, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(run.PaidAmountMicros, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(run.Credits, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(run.Currency, NpgsqlDbType.Varchar, cancellationToken);
        await copy.WriteAsync(run.Status.ToString(), NpgsqlDbType.Varchar, cancellationToken);
        await WriteNullableAsync(copy, run.ProviderStatus, cancellationToken);
        await copy.WriteAsync(run.IsRetry, NpgsqlDbType.Boolean, cancellationToken);
        _rollup.Add(run);
        _staged++;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Varchar, cancellationToken);

    public override async Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken)
    {
        await _copy!.CompleteAsync(cancellationToken);
        await _copy.DisposeAsync();
        _copy = null;

        // The first row of each job id in the file wins: a temporary table is scanned in the order it was written (it is never
        // scanned in parallel or joined to another session's synchronised scan), so no sort is needed. A job id already stored by an
        // earlier batch is skipped.
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO \"CiUsageRecords\" ({Columns}) SELECT {Columns} FROM ci_import_stage ON CONFLICT (\"ProviderId\", \"ExternalId\") DO NOTHING", connection);
        insert.CommandTimeout = 0;
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        if (inserted == _staged)
        {
            return new WriteOutcome(inserted, 0, [], _rollup);
        }

        var duplicates = new List<RejectedRow>();
        await using (var repeats = new NpgsqlCommand("""
            SELECT s."Line", s."ExternalId", f.first FROM ci_import_stage s
            JOIN (SELECT "ProviderId", "ExternalId", MIN("Line") AS first FROM ci_import_stage GROUP BY 1, 2 HAVING COUNT(*) > 1) f
              ON f."ProviderId" = s."ProviderId" AND f."ExternalId" = s."ExternalId" AND s."Line" <> f.first
            ORDER BY s."Line"
            """, connection))
        {
            repeats.CommandTimeout = 0;
            await using var reader = await repeats.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                duplicates.Add(new RejectedRow(reader.GetInt32(0),
                    $"job id '{reader.GetString(1)}' appears earlier in this file (line {reader.GetInt32(2)}); the repeat is not stored."));
            }
        }
        return new WriteOutcome(inserted, _staged - inserted - duplicates.Count, duplicates, Rollup: null);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            // Disposing without Complete cancels the COPY; the transaction's rollback discards the staging table.
            try
            {
                await _copy.DisposeAsync();
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // The import already failed; the original error is the one to report.
            }
        }
    }
}
