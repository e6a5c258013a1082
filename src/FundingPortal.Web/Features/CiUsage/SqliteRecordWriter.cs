using System.Diagnostics;
using System.Globalization;

using Microsoft.Data.Sqlite;

using SQLitePCL;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// SQLite: the runs are written in chunks, each its own short transaction (ADR 11), through one INSERT prepared once and bound by
/// position through SQLite's C API, as Python's <c>executemany</c> does (Microsoft.Data.Sqlite binds by name and costs about twice as
/// much per row; multi-row VALUES statements were slower still). Each chunk is sorted by job id first, so random ids (GitHub's are
/// hashes) land on neighbouring pages of the unique index. The chunk size follows the measured speed so that one chunk holds the
/// write lock about <see cref="LockBudget"/>; the roll-up is summed from the rows actually inserted.
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
    private sqlite3_stmt? _insert;
    private SqliteCommand _existing = null!;
    private int _synchronous;
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
        // A chunk need not survive a power cut: its batch stays Running until the final transaction (which syncs as always), and a
        // Running batch is taken back out at start-up. In WAL mode NORMAL syncs at checkpoints only, not at every chunk's commit.
        _synchronous = Convert.ToInt32(Pragma("synchronous"), CultureInfo.InvariantCulture);
        Pragma("synchronous = NORMAL");
        _insert = Prepare();
        _existing = _connection.CreateCommand();
        _existing.CommandText = "SELECT \"BatchId\" FROM \"CiUsageRecords\" WHERE \"ProviderId\" = $provider AND \"ExternalId\" = $id";
        _existing.Parameters.Add(new SqliteParameter { ParameterName = "$provider" });
        _existing.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
    }

    private object? Pragma(string setting)
    {
        using var pragma = _connection.CreateCommand();
        pragma.CommandText = $"PRAGMA {setting}";
        return pragma.ExecuteScalar();
    }

    private sqlite3_stmt Prepare()
    {
        var sql = $"INSERT INTO \"CiUsageRecords\" ({Columns}) VALUES ({string.Join(", ", Enumerable.Repeat("?", ColumnCount))}) " +
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
            foreach (var (line, run) in _chunk)
            {
                Insert(line, run);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // Aim the next chunk at the lock budget from this one's speed.
        var rowsPerSecond = _chunk.Count / Math.Max(watch.Elapsed.TotalSeconds, 0.001);
        _chunkRows = (int)Math.Clamp(rowsPerSecond * LockBudget.TotalSeconds * 0.8, MinChunkRows, MaxChunkRows);
        _chunk.Clear();
    }

    private void Insert(int line, CiJobRun run)
    {
        var insert = _insert!;
        Bind(insert, run);
        Check(raw.sqlite3_step(insert));
        var inserted = raw.sqlite3_changes(_connection.Handle) == 1;
        raw.sqlite3_reset(insert);
        if (inserted)
        {
            _rollup.Add(run);
            _inserted++;
            return;
        }
        _existing.Parameters[0].Value = run.ProviderId;
        _existing.Parameters[1].Value = run.ExternalId;
        // Earlier chunks are committed under this batch's id, so a repeat is recognised across chunks.
        if (Convert.ToInt32(_existing.ExecuteScalar(), CultureInfo.InvariantCulture) == batchId)
        {
            _duplicates.Add(new RejectedRow(line, $"job id '{run.ExternalId}' appears earlier in this file; the repeat is not stored."));
            return;
        }
        _alreadyStored++;
    }

    // Same formats EF Core and Microsoft.Data.Sqlite write: DateTime and decimal as invariant text, enums by name, booleans as 0/1.
    private static void Bind(sqlite3_stmt statement, CiJobRun run)
    {
        var i = 0;
        raw.sqlite3_bind_int64(statement, ++i, run.ProviderId);
        raw.sqlite3_bind_int64(statement, ++i, run.BatchId);
        Text(statement, ++i, run.ExternalId);
        Text(statement, ++i, run.Project);
        BindText(statement, ++i, run.Pipeline);
        Text(statement, ++i, run.JobName);
        BindText(statement, ++i, run.RunnerType);
        Text(statement, ++i, run.Os.ToString());
        Text(statement, ++i, Text(run.StartedAt));
        BindText(statement, ++i, run.FinishedAt is { } finished ? Text(finished) : null);
        raw.sqlite3_bind_int64(statement, ++i, run.DurationSeconds);
        Text(statement, ++i, Text(run.RawMinutes));
        Text(statement, ++i, Text(run.QuotaMinutes));
        raw.sqlite3_bind_int64(statement, ++i, run.ListAmountMicros);
        raw.sqlite3_bind_int64(statement, ++i, run.PaidAmountMicros);
        Text(statement, ++i, Text(run.Credits));
        Text(statement, ++i, run.Currency);
        Text(statement, ++i, run.Status.ToString());
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
            Text(statement, index, value);
        }
    }

    // UTF-16 as .NET holds it: SQLite converts it in C, with no UTF-8 copy made per value on the managed side.
    private static void Text(sqlite3_stmt statement, int index, string value) => raw.sqlite3_bind_text16(statement, index, value);

    private static string Text(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static string Text(decimal value) => value.ToString("0.0###########################", CultureInfo.InvariantCulture);

    public override async Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken)
    {
        await WriteChunkAsync(cancellationToken);
        return new WriteOutcome(_inserted, _alreadyStored, _duplicates, _rollup);
    }

    public override async ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        if (_existing is not null)
        {
            await _existing.DisposeAsync();
        }
        if (_connection?.State == System.Data.ConnectionState.Open)
        {
            // The pooled connection goes back to SQLite's default cache (which frees the import's pages) and syncing.
            Pragma("cache_size = -2000");
            Pragma($"synchronous = {_synchronous}");
        }
    }
}
