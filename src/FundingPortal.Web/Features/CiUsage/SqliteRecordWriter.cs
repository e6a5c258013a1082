using System.Diagnostics;
using System.Globalization;

using Microsoft.Data.Sqlite;

using SQLitePCL;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// SQLite: the runs are written in chunks, each its own short transaction (ADR 11), through multi-row INSERT statements prepared
/// once and bound by position through SQLite's C API (Microsoft.Data.Sqlite looks each parameter up by name, which for a thousand
/// parameters costs more than the insert). Each chunk is sorted by job id first, so random ids (GitHub's are hashes) land on
/// neighbouring pages of the unique index. The chunk size follows the measured speed so that one chunk holds the write lock about
/// <see cref="LockBudget"/>; the roll-up is summed from the rows actually inserted.
/// </summary>
public sealed class SqliteRecordWriter(AppDbContext db, int batchId) : CiRecordWriter
{
    /// <summary>How long one chunk may hold the database's write lock; other writers wait at most about this plus one retry.</summary>
    public static readonly TimeSpan LockBudget = TimeSpan.FromMilliseconds(750);

    /// <summary>
    /// The pause after each chunk. Microsoft.Data.Sqlite retries a busy write every 150 ms, so a shorter pause would let the import
    /// take the lock again before a waiting writer looks.
    /// </summary>
    public static readonly TimeSpan ChunkPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Rows deleted per transaction when an unfinished batch is taken back out.</summary>
    public const int DeleteChunkRows = 10_000;

    private const int RowsPerStatement = 50;
    /// <summary>Rows of the first chunk; later chunks are sized from its speed.</summary>
    public const int FirstChunkRows = 10_000;
    private const int MinChunkRows = 2_000;
    private const int MaxChunkRows = 100_000;

    // Index pages of the records table stay in memory for the import; bounded, so memory stays flat in file size.
    private const int ImportCacheKilobytes = 256 * 1024;

    private readonly CiRollupBuilder _rollup = new();
    private readonly List<RejectedRow> _duplicates = [];
    private readonly List<(int Line, CiJobRun Run)> _chunk = new(FirstChunkRows);
    private int _chunkRows = FirstChunkRows;
    private SqliteConnection _connection = null!;
    private sqlite3_stmt? _insertMany;
    private SqliteCommand _existing = null!;
    private long _lastId;
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
        Pragma($"cache_size = -{ImportCacheKilobytes}");
        _insertMany = Prepare(RowsPerStatement);
        _existing = _connection.CreateCommand();
        _existing.CommandText = "SELECT \"BatchId\", \"Id\" FROM \"CiUsageRecords\" WHERE \"ProviderId\" = $provider AND \"ExternalId\" = $id";
        _existing.Parameters.Add(new SqliteParameter { ParameterName = "$provider" });
        _existing.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
    }

    private void Pragma(string setting)
    {
        using var pragma = _connection.CreateCommand();
        pragma.CommandText = $"PRAGMA {setting}";
        pragma.ExecuteNonQuery();
    }

    private sqlite3_stmt Prepare(int rows)
    {
        var tuple = $"({string.Join(", ", Enumerable.Repeat("?", ColumnCount))})";
        var sql = $"INSERT INTO \"CiUsageRecords\" ({Columns}) VALUES {string.Join(", ", Enumerable.Repeat(tuple, rows))} " +
            "ON CONFLICT (\"ProviderId\", \"ExternalId\") DO NOTHING";
        Check(raw.sqlite3_prepare_v2(_connection.Handle, sql, out var statement));
        return statement;
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    // Repeats of a job id are found when the chunk is written; they come back with the outcome, like PostgreSQL's.
    public override async ValueTask AddAsync(int line, CiJobRun run, CancellationToken cancellationToken)
    {
        _chunk.Add((line, run));
        if (_chunk.Count >= _chunkRows)
        {
            await WriteChunkAsync(cancellationToken);
            await Task.Delay(ChunkPause, cancellationToken);
        }
    }

    private async Task WriteChunkAsync(CancellationToken cancellationToken)
    {
        if (_chunk.Count == 0)
        {
            return;
        }
        // Sorted by job id, then line: the first line of a repeated id is still the one inserted.
        _chunk.Sort((a, b) => string.CompareOrdinal(a.Run.ExternalId, b.Run.ExternalId) is var byId and not 0 ? byId : a.Line.CompareTo(b.Line));
        var watch = Stopwatch.StartNew();
        await using (var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken))
        {
            _existing.Transaction = transaction;
            // Ids only grow and no one else writes while this transaction holds the lock.
            using (var last = _connection.CreateCommand())
            {
                last.Transaction = transaction;
                last.CommandText = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"CiUsageRecords\"";
                _lastId = Convert.ToInt64(last.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            var full = _chunk.Count / RowsPerStatement * RowsPerStatement;
            for (var start = 0; start < full; start += RowsPerStatement)
            {
                Insert(_insertMany!, start, RowsPerStatement);
            }
            if (full < _chunk.Count)
            {
                using var rest = Prepare(_chunk.Count - full);
                Insert(rest, full, _chunk.Count - full);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // Aim the next chunk at the lock budget from this one's speed.
        var rowsPerSecond = _chunk.Count / Math.Max(watch.Elapsed.TotalSeconds, 0.001);
        _chunkRows = (int)Math.Clamp(rowsPerSecond * LockBudget.TotalSeconds * 0.8, MinChunkRows, MaxChunkRows);
        _chunk.Clear();
    }

    private void Insert(sqlite3_stmt statement, int start, int count)
    {
        for (var row = 0; row < count; row++)
        {
            Bind(statement, row * ColumnCount, _chunk[start + row].Run);
        }
        Check(raw.sqlite3_step(statement));
        var changes = raw.sqlite3_changes(_connection.Handle);
        raw.sqlite3_reset(statement);
        if (changes == count)
        {
            for (var row = start; row < start + count; row++)
            {
                _rollup.Add(_chunk[row].Run);
            }
            _inserted += count;
        }
        else
        {
            SortOut(start, count);
        }
        if (changes > 0)
        {
            _lastId = raw.sqlite3_last_insert_rowid(_connection.Handle);
        }
    }

    /// <summary>A statement skipped rows: each row's stored record says whether this statement, this file or an earlier batch wrote it.</summary>
    private void SortOut(int start, int count)
    {
        var claimed = new HashSet<(int, string)>();
        for (var row = start; row < start + count; row++)
        {
            var (line, run) = _chunk[row];
            _existing.Parameters[0].Value = run.ProviderId;
            _existing.Parameters[1].Value = run.ExternalId;
            using var reader = _existing.ExecuteReader();
            if (!reader.Read())
            {
                throw new InvalidOperationException($"Job id '{run.ExternalId}' was neither inserted nor stored before.");
            }
            var (storedBatch, storedId) = (reader.GetInt32(0), reader.GetInt64(1));
            if (storedBatch == batchId && storedId > _lastId && claimed.Add((run.ProviderId, run.ExternalId)))
            {
                _rollup.Add(run);
                _inserted++;
            }
            else if (storedBatch == batchId)
            {
                // Earlier chunks are committed under this batch's id, so a repeat is recognised across chunks.
                _duplicates.Add(new RejectedRow(line, $"job id '{run.ExternalId}' appears earlier in this file; the repeat is not stored."));
            }
            else
            {
                _alreadyStored++;
            }
        }
    }

    // Same formats EF Core and Microsoft.Data.Sqlite write: DateTime and decimal as invariant text, enums by name, booleans as 0/1.
    private static void Bind(sqlite3_stmt statement, int offset, CiJobRun run)
    {
        var i = offset;
        raw.sqlite3_bind_int64(statement, ++i, run.ProviderId);
        raw.sqlite3_bind_int64(statement, ++i, run.BatchId);
        raw.sqlite3_bind_text(statement, ++i, run.ExternalId);
        raw.sqlite3_bind_text(statement, ++i, run.Project);
        BindText(statement, ++i, run.Pipeline);
        raw.sqlite3_bind_text(statement, ++i, run.JobName);
        BindText(statement, ++i, run.RunnerType);
        raw.sqlite3_bind_text(statement, ++i, run.Os.ToString());
        raw.sqlite3_bind_text(statement, ++i, Text(run.StartedAt));
        BindText(statement, ++i, run.FinishedAt is { } finished ? Text(finished) : null);
        raw.sqlite3_bind_int64(statement, ++i, run.DurationSeconds);
        raw.sqlite3_bind_text(statement, ++i, Text(run.RawMinutes));
        raw.sqlite3_bind_text(statement, ++i, Text(run.QuotaMinutes));
        raw.sqlite3_bind_int64(statement, ++i, run.ListAmountMicros);
        raw.sqlite3_bind_int64(statement, ++i, run.PaidAmountMicros);
        raw.sqlite3_bind_text(statement, ++i, Text(run.Credits));
        raw.sqlite3_bind_text(statement, ++i, run.Currency);
        raw.sqlite3_bind_text(statement, ++i, run.Status.ToString());
        BindText(statement, ++i, run.ProviderStatus);
        raw.sqlite3_bind_int(statement, ++i, run.IsRetry ? 1 : 0);
    }

    private static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    private static string Text(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static string Text(decimal value) => value.ToString("0.0###########################", CultureInfo.InvariantCulture);

    public override async Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken)
    {
        await WriteChunkAsync(cancellationToken);
        return new WriteOutcome(_inserted, _alreadyStored, _duplicates, _rollup);
    }

    public override async ValueTask DisposeAsync()
    {
        _insertMany?.Dispose();
        if (_existing is not null)
        {
            await _existing.DisposeAsync();
        }
        if (_connection?.State == System.Data.ConnectionState.Open)
        {
            // The pooled connection goes back to SQLite's default cache (which frees the import's pages).
            Pragma("cache_size = -2000");
        }
    }
}
