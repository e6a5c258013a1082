using Microsoft.Data.Sqlite;

using Npgsql;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// What writing a batch's runs came to: new records, runs an earlier batch already stored, rows repeating a job id of this file,
/// and the roll-up of the records stored, summed while writing (null when it must be read back from the stored records instead).
/// </summary>
public sealed record WriteOutcome(int Inserted, int AlreadyStored, IReadOnlyList<RejectedRow> DuplicatesInFile, CiRollupBuilder? Rollup);

/// <summary>
/// Writes usage records fast. EF Core stays for everything else; a million rows need the database's own bulk path: multi-row
/// INSERTs bound straight through SQLite's C API, binary COPY into a staging table on PostgreSQL. Either way a job id already
/// stored (by this provider) is skipped, so overlapping exports store each job once. The records carry no foreign keys (ADR 13):
/// the provider and batch are checked once, when the batch starts.
/// </summary>
public abstract class CiRecordWriter : IAsyncDisposable
{
    protected const string Columns =
        "\"ProviderId\", \"BatchId\", \"ExternalId\", \"Project\", \"Pipeline\", \"JobName\", \"RunnerType\", \"Os\", \"StartedAt\", \"FinishedAt\", " +
        "\"DurationSeconds\", \"RawMinutes\", \"QuotaMinutes\", \"ListAmountMicros\", \"PaidAmountMicros\", \"Credits\", \"Currency\", \"Status\", \"ProviderStatus\", \"IsRetry\"";

    protected const int ColumnCount = 20;

    /// <summary>
    /// On PostgreSQL the writer works inside the caller's transaction. On SQLite it must be called outside one: it commits the runs in
    /// chunks, each in its own short transaction, so other writers wait for one chunk, never for the whole file (ADR 11).
    /// </summary>
    public static async Task<CiRecordWriter> StartAsync(AppDbContext db, int batchId, CancellationToken cancellationToken)
    {
        CiRecordWriter writer = db.Database.GetDbConnection() switch
        {
            NpgsqlConnection npgsql when db.Database.CurrentTransaction is null =>
                throw new InvalidOperationException("The PostgreSQL import writes inside a transaction."),
            NpgsqlConnection npgsql => new PostgresRecordWriter(npgsql),
            SqliteConnection => new SqliteRecordWriter(db, batchId),
            var other => throw new NotSupportedException($"No bulk writer for {other.GetType().Name}."),
        };
        await writer.BeginAsync(cancellationToken);
        return writer;
    }

    protected abstract Task BeginAsync(CancellationToken cancellationToken);

    public abstract ValueTask AddAsync(int line, CiJobRun run, CancellationToken cancellationToken);

    public abstract Task<WriteOutcome> FinishAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
