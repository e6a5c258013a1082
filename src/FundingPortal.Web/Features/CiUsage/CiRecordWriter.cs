using System.Data.Common;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

using Npgsql;

using NpgsqlTypes;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>What writing a batch's runs came to: new records, runs an earlier batch already stored, and rows repeating a job id of this file.</summary>
public sealed record WriteOutcome(int Inserted, int AlreadyStored, IReadOnlyList<RejectedRow> DuplicatesInFile);

/// <summary>
/// Writes usage records fast, inside the import's transaction. EF Core stays for everything else; a million rows need the
/// database's own bulk path: a prepared INSERT reused on SQLite, binary COPY into a staging table on PostgreSQL. Either way a job
/// id already stored (by this provider) is skipped, so overlapping exports store each job once.
/// </summary>
public abstract class CiRecordWriter : IAsyncDisposable
{
    protected const string Columns =
        "\"ProviderId\", \"BatchId\", \"ExternalId\", \"Project\", \"Pipeline\", \"JobName\", \"RunnerType\", \"Os\", \"StartedAt\", \"FinishedAt\", " +
        "\"DurationSeconds\", \"RawMinutes\", \"QuotaMinutes\", \"ListAmountMicros\", \"PaidAmountMicros\", \"Credits\", \"Currency\", \"Status\", \"ProviderStatus\", \"IsRetry\"";

    public static async Task<CiRecordWriter> StartAsync(AppDbContext db, int batchId, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("The import writes inside a transaction.");
        CiRecordWriter writer = connection is NpgsqlConnection npgsql
            ? new PostgresWriter(npgsql)
            : new SqliteWriter((SqliteConnection)connection, (SqliteTransaction)transaction, batchId);
        await writer.BeginAsync(cancellationToken);
        return writer;
    }

    protected abstract Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>Adds a run; a rejection comes back when the database can already tell the row repeats a job id of this file.</summary>
    public abstract ValueTask<RejectedRow?> AddAsync(int line, CiJobRun run, CancellationToken cancellationToken);

    public abstract Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteWriter(SqliteConnection connection, SqliteTransaction transaction, int batchId) : CiRecordWriter
    {
        private readonly List<RejectedRow> _duplicates = [];
        private SqliteCommand _insert = null!;
        private SqliteCommand _existing = null!;
        private SqliteParameter[] _values = [];
        private int _inserted;
        private int _alreadyStored;

        protected override Task BeginAsync(CancellationToken cancellationToken)
        {
            // GitHub's derived ids are hashes: random keys thrash the unique index with SQLite's default 2 MB page cache.
            // 64 MB keeps the index pages of a million-row import in memory; the cost is bounded, not proportional to the file.
            using (var pragma = connection.CreateCommand())
            {
                pragma.Transaction = transaction;
                pragma.CommandText = "PRAGMA cache_size = -65536";
                pragma.ExecuteNonQuery();
            }
            _insert = connection.CreateCommand();
            _insert.Transaction = transaction;
            _values = [.. Enumerable.Range(0, 20).Select(i => _insert.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" }))];
            _insert.CommandText = $"INSERT INTO \"CiUsageRecords\" ({Columns}) VALUES ({string.Join(", ", _values.Select(p => p.ParameterName))}) " +
                "ON CONFLICT (\"ProviderId\", \"ExternalId\") DO NOTHING";
            _insert.Prepare();
            _existing = connection.CreateCommand();
            _existing.Transaction = transaction;
            _existing.CommandText = "SELECT \"BatchId\" FROM \"CiUsageRecords\" WHERE \"ProviderId\" = $provider AND \"ExternalId\" = $id";
            _existing.Parameters.Add(new SqliteParameter { ParameterName = "$provider" });
            _existing.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
            _existing.Prepare();
            return Task.CompletedTask;
        }

        public override ValueTask<RejectedRow?> AddAsync(int line, CiJobRun run, CancellationToken cancellationToken)
        {
            // Same formats EF Core writes: DateTime as ISO text, decimals as text, enums by name, booleans as 0/1.
            object?[] values = [run.ProviderId, run.BatchId, run.ExternalId, run.Project, run.Pipeline, run.JobName, run.RunnerType, run.Os.ToString(),
                run.StartedAt, run.FinishedAt, run.DurationSeconds, run.RawMinutes, run.QuotaMinutes, run.ListAmountMicros, run.PaidAmountMicros, run.Credits,
                run.Currency, run.Status.ToString(), run.ProviderStatus, run.IsRetry];
            for (var i = 0; i < values.Length; i++)
            {
                _values[i].Value = values[i] ?? DBNull.Value;
            }
            if (_insert.ExecuteNonQuery() == 1)
            {
                _inserted++;
                return ValueTask.FromResult<RejectedRow?>(null);
            }
            _existing.Parameters[0].Value = run.ProviderId;
            _existing.Parameters[1].Value = run.ExternalId;
            if (Convert.ToInt32(_existing.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == batchId)
            {
                var duplicate = new RejectedRow(line, $"job id '{run.ExternalId}' appears earlier in this file; the repeat is not stored.");
                _duplicates.Add(duplicate);
                return ValueTask.FromResult<RejectedRow?>(duplicate);
            }
            _alreadyStored++;
            return ValueTask.FromResult<RejectedRow?>(null);
        }

        public override Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new WriteOutcome(_inserted, _alreadyStored, []));

        public override async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _existing.DisposeAsync();
        }
    }

    private sealed class PostgresWriter(NpgsqlConnection connection) : CiRecordWriter
    {
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

        public override async ValueTask<RejectedRow?> AddAsync(int line, CiJobRun run, CancellationToken cancellationToken)
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
            _staged++;
            return null;
        }

        private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
            value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Varchar, cancellationToken);

        public override async Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken)
        {
            await _copy!.CompleteAsync(cancellationToken);
            await _copy.DisposeAsync();
            _copy = null;

            // The first row of each job id in the file wins; a job id already stored by an earlier batch is skipped.
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO "CiUsageRecords" ({Columns})
                SELECT DISTINCT ON ("ProviderId", "ExternalId") {Columns} FROM ci_import_stage ORDER BY "ProviderId", "ExternalId", "Line"
                ON CONFLICT ("ProviderId", "ExternalId") DO NOTHING
                """, connection);
            insert.CommandTimeout = 0;
            var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);

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
            return new WriteOutcome(inserted, _staged - inserted - duplicates.Count, duplicates);
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
}
