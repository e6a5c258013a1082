using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>A file on disk to import (uploads are streamed to a temporary file first, never held in memory).</summary>
/// <param name="Format">Null: detect from the header or the first bytes.</param>
/// <param name="ProviderId">Null: the provider of the format's kind (for the generic CSV, each row's <c>provider</c> column).</param>
public sealed record ImportRequest(string FilePath, string FileName, ICiImportFormat? Format, int? ProviderId);

/// <summary>How far an import has come: bytes of the file read so far, of how many, and rows seen.</summary>
public sealed record ImportProgress(long BytesRead, long TotalBytes, int Rows);

/// <summary>
/// Imports one CI usage export as one batch, all or nothing: the file is hashed (the same file is never imported twice while its
/// batch stands), parsed as a stream, its runs written in bulk with the batch's monthly roll-up, and every rejected row recorded
/// with its line and reason. On PostgreSQL in one transaction; on SQLite in short chunks under a Running batch that readers skip
/// until it completes (ADR 11). A file that cannot be read at all leaves only a Failed batch saying why.
/// </summary>
public sealed class ImportCiUsage(IDbContextFactory<AppDbContext> contexts, Handlers handlers, TimeProvider clock, ILogger<ImportCiUsage> logger)
{
    /// <summary>More rejected rows than this and the file is surely not what it claims to be: the batch fails instead.</summary>
    public const int MaxRejectedRows = 10_000;

    private const int ProgressEveryRows = 2_000;

    /// <summary>How many chunks of <see cref="ProgressEveryRows"/> rows the parser may run ahead of the writer (memory stays bounded).</summary>
    private const int ParseAheadChunks = 4;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can import CI usage.");

    /// <summary>The role is checked first; the import then runs in contexts and transactions of its own (chunked on SQLite, ADR 0011).</summary>
    public Task<Result<ImportReport>> ImportAsync(ImportRequest request, string userId, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, _ => ImportCheckedAsync(request, userId, progress, cancellationToken), cancellationToken);

    private async Task<Result<ImportReport>> ImportCheckedAsync(ImportRequest request, string userId, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(request.FileName.Trim());
        fileName = fileName.Length == 0 ? "upload" : fileName.Length > 260 ? fileName[^260..] : fileName;

        await using var file = new FileStream(request.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (file.Length == 0)
        {
            return Result<ImportReport>.Invalid("file", "The file is empty.");
        }
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        file.Position = 0;

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var earlier = await db.ImportBatches.AsNoTracking()
                .Where(b => b.FileSha256 == sha256 && (b.Status == ImportBatchStatus.Completed || b.Status == ImportBatchStatus.Running))
                .Select(b => new { b.Id, b.StartedAt, b.FileName }).FirstOrDefaultAsync(cancellationToken);
            if (earlier is not null)
            {
                return Result<ImportReport>.Conflict(
                    $"This file was imported already as batch #{earlier.Id} ('{earlier.FileName}', {earlier.StartedAt:yyyy-MM-dd HH:mm} UTC); nothing was added. Roll that batch back to import it again.");
            }
        }

        var format = request.Format ?? CiImportFormats.Fallback;
        var rowsRead = 0;
        try
        {
            // Detected once, here; the parser is handed the format and does not look again.
            format = CiImportFormats.Choose(request.Format, CiImportFormats.Detect(file));
            var (provider, byName) = await ProvidersAsync(format, request.ProviderId, cancellationToken);
            return await ImportInTransactionAsync(file, fileName, sha256, format, provider, byName, userId, progress, count => rowsRead = count, cancellationToken);
        }
        catch (Exception exception) when (exception is ImportFileException or DecoderFallbackException)
        {
            return await FailAsync(request.ProviderId, format, fileName, sha256, userId, exception.Message, rowsRead, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is DbException)
        {
            logger.LogWarning(exception, "CI import of {FileName} could not be saved", fileName);
            return Result<ImportReport>.Conflict("The file could not be saved: it is being imported right now by someone else, or the data changed. Try again.");
        }
    }

    private async Task<(CiPriceBook? Provider, Dictionary<string, CiPriceBook> ByName)> ProvidersAsync(ICiImportFormat format, int? providerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var providers = await db.CiProviders.AsNoTracking().Include(p => p.Prices).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var byName = providers.ToDictionary(p => p.Name, p => new CiPriceBook(p), StringComparer.OrdinalIgnoreCase);
        var kind = format.ProviderKind;
        CiProvider? provider;
        if (providerId is { } id)
        {
            provider = providers.FirstOrDefault(p => p.Id == id) ?? throw new ImportFileException($"CI provider #{id} does not exist.");
            if (kind is { } expected && provider.Kind != expected)
            {
                throw new ImportFileException($"{provider.Name} is not a {expected} provider; a {format.Description} belongs to one.");
            }
        }
        else
        {
            provider = kind is { } expected ? providers.FirstOrDefault(p => p.Kind == expected) : null;
            if (kind is not null && provider is null)
            {
                throw new ImportFileException($"No {kind} provider is set up; an admin adds it (with its prices) first.");
            }
        }
        return (provider is null ? null : byName[provider.Name], byName);
    }

    private async Task<Result<ImportReport>> ImportInTransactionAsync(FileStream file, string fileName, string sha256, ICiImportFormat format, CiPriceBook? provider,
        Dictionary<string, CiPriceBook> byName, string userId, IProgress<ImportProgress>? progress, Action<int> rowsSoFar, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            return await ImportInChunksAsync(db, file, fileName, sha256, format, provider, byName, userId, progress, rowsSoFar, cancellationToken);
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = ImportBatch.Start(provider?.Provider.Id, format.Id, fileName, sha256, userId, clock.GetUtcNow().UtcDateTime);
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);

        var written = await WriteRunsAsync(db, file, format, batch.Id, provider, byName, progress, rowsSoFar, cancellationToken);
        await SaveRejectionsAsync(db, batch.Id, written.Rejected, cancellationToken);
        await AddToRollupAsync(db, batch.Id, written, cancellationToken);
        Complete(db, batch, written);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await ReportCompletedAsync(file, batch, written, progress, cancellationToken);
    }

    /// <summary>
    /// SQLite has one write lock for the whole file, so one transaction around a million rows made every other write wait (issue 15).
    /// Here the Running batch commits first, the records follow in short chunks (readers skip records of batches that are not
    /// Completed), and one short transaction at the end adds the roll-up and completes the batch. Whatever stops the import
    /// takes its records back out, so no one ever counts half a file (ADR 11).
    /// </summary>
    private async Task<Result<ImportReport>> ImportInChunksAsync(AppDbContext db, FileStream file, string fileName, string sha256, ICiImportFormat format,
        CiPriceBook? provider, Dictionary<string, CiPriceBook> byName, string userId, IProgress<ImportProgress>? progress, Action<int> rowsSoFar,
        CancellationToken cancellationToken)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var batch = ImportBatch.Start(provider?.Provider.Id, format.Id, fileName, sha256, userId, clock.GetUtcNow().UtcDateTime);
        db.ImportBatches.Add(batch);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        var rowsRead = 0;
        try
        {
            var written = await WriteRunsAsync(db, file, format, batch.Id, provider, byName, progress, count =>
            {
                rowsRead = count;
                rowsSoFar(count);
            }, cancellationToken);
            // Rejections are only read with their batch's report: they need not wait for the final transaction.
            await SaveRejectionsAsync(db, batch.Id, written.Rejected, cancellationToken);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await AddToRollupAsync(db, batch.Id, written, cancellationToken);
                Complete(db, batch, written);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            return await ReportCompletedAsync(file, batch, written, progress, cancellationToken);
        }
        catch (Exception exception) when (exception is ImportFileException or DecoderFallbackException)
        {
            await AbandonAsync(contexts, clock, batch.Id, exception.Message, rowsRead);
            logger.LogInformation("CI import of {FileName} failed: {Reason}", fileName, exception.Message);
            return Result<ImportReport>.Ok(await ImportReports.ReportAsync(contexts, batch.Id, CancellationToken.None)
                ?? throw new InvalidOperationException("The failed batch is missing."));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "CI import batch {BatchId} of {FileName} stopped; taking its records back out", batch.Id, fileName);
            await AbandonAsync(contexts, clock, batch.Id, "The import stopped before it finished (cancelled, or the database refused a write); nothing of it was kept.", rowsRead);
            throw;
        }
    }

    /// <summary>
    /// Takes an unfinished SQLite batch's records and rejections back out, in chunks so other writers keep getting the lock, and only
    /// then marks it Failed (the same file may then be imported again). Not cancellable: stopping halfway would leave records behind.
    /// </summary>
    internal static async Task AbandonAsync(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, int batchId, string reason, int rowsRead)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var deleteChunk = $"DELETE FROM \"CiUsageRecords\" WHERE \"Id\" IN (SELECT \"Id\" FROM \"CiUsageRecords\" WHERE \"BatchId\" = {{0}} LIMIT {SqliteRecordWriter.DeleteChunkRows})";
        while (await db.Database.ExecuteSqlRawAsync(deleteChunk, [batchId], CancellationToken.None) > 0)
        {
            await Task.Delay(SqliteRecordWriter.ChunkPause, CancellationToken.None);
        }
        await db.ImportRejections.Where(r => r.BatchId == batchId).ExecuteDeleteAsync(CancellationToken.None);
        var batch = await db.ImportBatches.FirstAsync(b => b.Id == batchId, CancellationToken.None);
        if (batch.Status == ImportBatchStatus.Running)
        {
            batch.Fail(reason, rowsRead, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// At start-up on SQLite: a batch still Running was cut off when the portal stopped (PostgreSQL never commits a Running batch).
    /// Its records are taken back out and it fails, so the file can be imported again.
    /// </summary>
    public static async Task<int> AbandonInterruptedAsync(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            return 0;
        }
        var interrupted = await db.ImportBatches.AsNoTracking().Where(b => b.Status == ImportBatchStatus.Running).Select(b => b.Id).ToListAsync(cancellationToken);
        foreach (var id in interrupted)
        {
            await AbandonAsync(contexts, clock, id, "The portal stopped while this file was being imported; nothing of it was kept. Import it again.", 0);
        }
        return interrupted.Count;
    }

    private sealed record Written(int Rows, int NotMinutes, List<RejectedRow> Rejected, WriteOutcome Outcome);

    private static async Task<Written> WriteRunsAsync(AppDbContext db, FileStream file, ICiImportFormat format, int batchId, CiPriceBook? provider,
        Dictionary<string, CiPriceBook> byName, IProgress<ImportProgress>? progress, Action<int> rowsSoFar, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRow>();
        int rows = 0, notMinutes = 0;
        WriteOutcome outcome;
        await using (var writer = await CiRecordWriter.StartAsync(db, batchId, cancellationToken))
        {
            await foreach (var parsed in ParseAheadAsync(file, format, new ImportContext(batchId, provider, byName), cancellationToken))
            {
                foreach (var row in parsed.Rows)
                {
                    rows++;
                    switch (row)
                    {
                        case RunRow run:
                            await writer.AddAsync(run.Line, run.Run, cancellationToken);
                            break;
                        case RejectedRow rejection:
                            rejected.Add(rejection);
                            break;
                        case NotMinutesRow:
                            notMinutes++;
                            break;
                    }
                    if (rejected.Count > MaxRejectedRows)
                    {
                        throw new ImportFileException(
                            $"More than {MaxRejectedRows:N0} rows were rejected (the first, line {rejected[0].Line}: {rejected[0].Reason}); is this the right format? Nothing was imported.");
                    }
                }
                rowsSoFar(rows);
                progress?.Report(new ImportProgress(parsed.Position, file.Length, rows));
                cancellationToken.ThrowIfCancellationRequested();
            }
            outcome = await writer.FinishAsync(cancellationToken);
        }
        rowsSoFar(rows);
        rejected.AddRange(outcome.DuplicatesInFile);
        if (rows == 0)
        {
            throw new ImportFileException("The file holds no rows, only a header (or an empty JSON array).");
        }
        return new Written(rows, notMinutes, rejected, outcome);
    }

    /// <summary>The writer's roll-up of what it stored, or, when it could not tell row by row, the batch's stored records read back.</summary>
    private static Task AddToRollupAsync(AppDbContext db, int batchId, Written written, CancellationToken cancellationToken) =>
        written.Outcome.Rollup is { } rollup ? rollup.SaveAsync(db, cancellationToken) : CiUsageRollup.AddBatchAsync(db, batchId, cancellationToken);

    private sealed record ParsedRows(ImportRow[] Rows, long Position);

    /// <summary>
    /// Parses the file on its own thread, a few thousand rows ahead of the writer, so parsing and writing share the cores instead of
    /// taking turns. The parser's own exceptions (a malformed file) reach the caller unchanged; stopping the caller stops the parser.
    /// </summary>
    private static async IAsyncEnumerable<ParsedRows> ParseAheadAsync(FileStream file, ICiImportFormat format, ImportContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ahead = Channel.CreateBounded<ParsedRows>(new BoundedChannelOptions(ParseAheadChunks)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parsing = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in format.Parse(file, context).Chunk(ProgressEveryRows))
                {
                    await ahead.Writer.WriteAsync(new ParsedRows(chunk, file.Position), stop.Token);
                }
            }
            finally
            {
                ahead.Writer.Complete();
            }
        }, stop.Token);
        try
        {
            await foreach (var parsed in ahead.Reader.ReadAllAsync(stop.Token))
            {
                yield return parsed;
            }
            await parsing;
        }
        finally
        {
            await stop.CancelAsync();
            // The parser's failure is the one to report; when the caller stopped first, the parser's cancellation is not.
            await parsing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private static async Task SaveRejectionsAsync(AppDbContext db, int batchId, List<RejectedRow> rejected, CancellationToken cancellationToken)
    {
        foreach (var chunk in rejected.OrderBy(r => r.Line).Chunk(1_000))
        {
            db.ImportRejections.AddRange(chunk.Select(r => ImportRejection.For(batchId, r.Line, r.Reason)));
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private void Complete(AppDbContext db, ImportBatch batch, Written written)
    {
        batch.Complete(written.Rows, written.Outcome.Inserted, written.Rejected.Count, written.Outcome.AlreadyStored, written.NotMinutes, clock.GetUtcNow().UtcDateTime);
        db.ChangeTracker.DetectChanges();
    }

    private async Task<Result<ImportReport>> ReportCompletedAsync(FileStream file, ImportBatch batch, Written written, IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        progress?.Report(new ImportProgress(file.Length, file.Length, written.Rows));
        logger.LogInformation("CI import batch {BatchId} ({Format}, {FileName}): {Rows} rows, {Inserted} stored, {Rejected} rejected",
            batch.Id, batch.Format, batch.FileName, written.Rows, written.Outcome.Inserted, written.Rejected.Count);
        return Result<ImportReport>.Ok(await ImportReports.ReportAsync(contexts, batch.Id, cancellationToken, written.Outcome.Rollup?.Totals())
            ?? throw new InvalidOperationException("The batch just imported is missing."));
    }

    private async Task<Result<ImportReport>> FailAsync(int? providerId, ICiImportFormat format, string fileName, string sha256, string userId, string reason,
        int rowsRead, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var validProvider = providerId is { } id && await db.CiProviders.AnyAsync(p => p.Id == id, cancellationToken) ? providerId : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var batch = ImportBatch.Start(validProvider, format.Id, fileName, sha256, userId, now);
        batch.Fail(reason, rowsRead, now);
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("CI import of {FileName} failed: {Reason}", fileName, reason);
        return Result<ImportReport>.Ok(await ImportReports.ReportAsync(contexts, batch.Id, cancellationToken)
            ?? throw new InvalidOperationException("The failed batch just saved is missing."));
    }
}
