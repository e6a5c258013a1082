using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

using Npgsql;

using NpgsqlTypes;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>What writing a batch's runs came to: new records, runs an earlier batch already stored, and rows repeating a job id of this file.</summary>
public sealed record WriteOutcome(int Inserted, int AlreadyStored, IReadOnlyList<RejectedRow> DuplicatesInFile);

/// <summary>
/// Writes usage records fast. EF Core stays for everything else; a million rows need the
/// database's own bulk path: a prepared INSERT reused on SQLite, binary COPY into a staging table on PostgreSQL. Either way a job
/// id already stored (by this provider) is skipped, so overlapping exports store each job once.
/// </summary>
public abstract class CiRecordWriter : IAsyncDisposable
{
    protected const string Columns =
        "\"ProviderId\", \"BatchId\", \"ExternalId\", \"Project\", \"Pipeline\", \"JobName\", \"RunnerType\", \"Os\", \"StartedAt\", \"FinishedAt\", " +
        "\"DurationSeconds\", \"RawMinutes\", \"QuotaMinutes\", \"ListAmountMicros\", \"PaidAmountMicros\", \"Credits\", \"Currency\", \"Status\", \"ProviderStatus\", \"IsRetry\"";

    /// <summary>
    /// On PostgreSQL the writer works inside the caller's transaction. On SQLite it must be called outside one: it commits the runs in
    /// chunks of <see cref="SqliteChunkRows"/>, each in its own short transaction with its share of the roll-up kept aside
    /// (<see cref="CiUsageRollup.AddChunkToPendingAsync"/>), so other writers wait for one chunk, never for the whole file (ADR 11).
    /// </summary>
    public static async Task<CiRecordWriter> StartAsync(AppDbContext db, int batchId, CancellationToken cancellationToken)
    {
        CiRecordWriter writer = db.Database.GetDbConnection() is NpgsqlConnection npgsql
            ? new PostgresWriter(db.Database.CurrentTransaction is null
                ? throw new InvalidOperationException("The PostgreSQL import writes inside a transaction.")
                : npgsql)
            : new SqliteWriter(db, batchId);
        await writer.BeginAsync(cancellationToken);
        return writer;
    }

    /// <summary>Runs per SQLite chunk: a chunk commits in well under a second, the longest another writer waits for the lock.</summary>
    public const int SqliteChunkRows = 10_000;

    /// <summary>
    /// The pause after each SQLite chunk. Microsoft.Data.Sqlite retries a busy write every 150 ms, so a shorter pause would let the
    /// import take the lock again before a waiting writer looks.
    /// </summary>
    public static readonly TimeSpan SqliteChunkPause = TimeSpan.FromMilliseconds(200);

    protected abstract Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>Adds a run; a rejection comes back when the database can already tell the row repeats a job id of this file.</summary>
    public abstract ValueTask<RejectedRow?> AddAsync(int line, CiJobRun run, CancellationToken cancellationToken);

    public abstract Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteWriter(AppDbContext db, int batchId) : CiRecordWriter
    {
        private readonly List<RejectedRow> _duplicates = [];
        private readonly List<(int Line, CiJobRun Run)> _chunk = new(SqliteChunkRows);
        private SqliteConnection _connection = null!;
        private SqliteCommand _insert = null!;
        private SqliteCommand _existing = null!;
        private SqliteCommand _lastId = null!;
        private SqliteParameter[] _values = [];
        private int _inserted;
        private int _alreadyStored;

        protected override async Task BeginAsync(CancellationToken cancellationToken)
        {
            if (db.Database.CurrentTransaction is not null)
            {
                throw new InvalidOperationException("The SQLite import commits chunk by chunk: start it outside a transaction.");
            }
            await db.Database.OpenConnectionAsync(cancellationToken);
            _connection = (SqliteConnection)db.Database.GetDbConnection();
            // GitHub's derived ids are hashes: random keys thrash the unique index with SQLite's default 2 MB page cache.
            // 64 MB keeps the index pages of a million-row import in memory; the cost is bounded, not proportional to the file.
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA cache_size = -65536";
                pragma.ExecuteNonQuery();
            }
            await CiUsageRollup.StartPendingAsync(db, cancellationToken);
            _insert = _connection.CreateCommand();
            _values = [.. Enumerable.Range(0, 20).Select(i => _insert.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" }))];
            _insert.CommandText = $"INSERT INTO \"CiUsageRecords\" ({Columns}) VALUES ({string.Join(", ", _values.Select(p => p.ParameterName))}) " +
                "ON CONFLICT (\"ProviderId\", \"ExternalId\") DO NOTHING";
            _existing = _connection.CreateCommand();
            _existing.CommandText = "SELECT \"BatchId\" FROM \"CiUsageRecords\" WHERE \"ProviderId\" = $provider AND \"ExternalId\" = $id";
            _existing.Parameters.Add(new SqliteParameter { ParameterName = "$provider" });
            _existing.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
            _lastId = _connection.CreateCommand();
            _lastId.CommandText = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"CiUsageRecords\"";
        }

        // Repeats of a job id are found when the chunk is written; they come back with the outcome, like PostgreSQL's.
        public override async ValueTask<RejectedRow?> AddAsync(int line, CiJobRun run, CancellationToken cancellationToken)
        {
            _chunk.Add((line, run));
            if (_chunk.Count >= SqliteChunkRows)
            {
                await WriteChunkAsync(cancellationToken);
                await Task.Delay(SqliteChunkPause, cancellationToken);
            }
            return null;
        }

        private async Task WriteChunkAsync(CancellationToken cancellationToken)
        {
            if (_chunk.Count == 0)
            {
                return;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();
            _insert.Transaction = _existing.Transaction = _lastId.Transaction = sqliteTransaction;
            // Ids only grow and no one else writes while this transaction holds the lock: the chunk is the batch's rows above this id.
            var before = Convert.ToInt64(_lastId.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (line, run) in _chunk)
            {
                Insert(line, run);
            }
            await CiUsageRollup.AddChunkToPendingAsync(db, batchId, before, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _chunk.Clear();
        }

        private void Insert(int line, CiJobRun run)
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
                return;
            }
            _existing.Parameters[0].Value = run.ProviderId;
            _existing.Parameters[1].Value = run.ExternalId;
            // Earlier chunks are committed under this batch's id, so a repeat is recognised across chunks.
            if (Convert.ToInt32(_existing.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == batchId)
            {
                _duplicates.Add(new RejectedRow(line, $"job id '{run.ExternalId}' appears earlier in this file; the repeat is not stored."));
                return;
            }
            _alreadyStored++;
        }

        public override async Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken)
        {
            await WriteChunkAsync(cancellationToken);
            return new WriteOutcome(_inserted, _alreadyStored, _duplicates);
        }

        public override async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _existing.DisposeAsync();
            await _lastId.DisposeAsync();
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
