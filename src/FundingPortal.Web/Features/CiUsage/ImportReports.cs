namespace FundingPortal.Web.Features.CiUsage;

/// <summary>What a batch brought in, per currency: runs, minutes kept apart from quota minutes and credits, list-price value and paid.</summary>
public sealed record ImportTotals(string Currency, long Runs, decimal RawMinutes, decimal QuotaMinutes, decimal Credits, decimal ListAmount, decimal PaidAmount);

public sealed record ImportRejectionRow(int Line, string Reason);

public sealed record ProviderChoice(int Id, string Name, CiProviderKind Kind);

/// <summary>The batch report shown after an upload and answered by the API.</summary>
public sealed record ImportReport(
    int BatchId,
    string Status,
    string Format,
    string? Provider,
    string FileName,
    DateTime StartedAt,
    DateTime? FinishedAt,
    int RowsRead,
    int RowsImported,
    int RowsRejected,
    int RowsAlreadyStored,
    int RowsNotMinutes,
    string? FailureReason,
    IReadOnlyList<ImportTotals> Totals,
    IReadOnlyList<ImportRejectionRow> Rejections,
    bool MoreRejections);

public sealed record ImportBatchRow(int Id, string FileName, string Format, string? Provider, ImportBatchStatus Status, DateTime StartedAt, int RowsRead,
    int RowsImported, int RowsRejected, string? FailureReason);

/// <summary>One page of past imports and how many there are.</summary>
public sealed record ImportBatchPage(IReadOnlyList<ImportBatchRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>Batch reports and the list of past batches, for reviewers.</summary>
public sealed class ImportReports(IDbContextFactory<AppDbContext> contexts, Handlers handlers)
{
    /// <summary>The report lists this many rejected rows; the rest are counted (and kept in the database).</summary>
    public const int RejectionsShown = 1_000;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can read import batches.");

    public Task<Result<ImportReport>> GetAsync(int batchId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async _ =>
            await ReportAsync(contexts, batchId, cancellationToken) is { } report ? Result<ImportReport>.Ok(report) : Result<ImportReport>.NotFound($"Import batch #{batchId}"),
            cancellationToken);

    /// <summary>Past imports are listed this many to a page.</summary>
    public const int PageSize = 20;

    /// <summary>Page <paramref name="page"/> (from 0) of the past imports, newest first.</summary>
    public Task<Result<ImportBatchPage>> ListAsync(string userId, int page = 0, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var total = await db.ImportBatches.CountAsync(cancellationToken);
            page = Math.Clamp(page, 0, Math.Max(0, (total - 1) / PageSize));
            var rows = await (from b in db.ImportBatches.AsNoTracking()
                              join p in db.CiProviders on b.ProviderId equals p.Id into providers
                              from p in providers.DefaultIfEmpty()
                              orderby b.Id descending
                              select new { b.Id, b.FileName, b.Format, Provider = p == null ? null : p.Name, b.Status, b.StartedAt, b.RowsRead, b.RowsImported, b.RowsRejected, b.FailureReason })
                .Skip(page * PageSize).Take(PageSize).ToListAsync(cancellationToken);
            return Result<ImportBatchPage>.Ok(new ImportBatchPage([.. rows.Select(r => new ImportBatchRow(r.Id, r.FileName, CiImportFormats.Describe(r.Format), r.Provider, r.Status,
                r.StartedAt, r.RowsRead, r.RowsImported, r.RowsRejected, r.FailureReason))], total, page, PageSize));
        }, cancellationToken);

    /// <summary>The providers a file can be imported for (the import page's choice).</summary>
    public async Task<IReadOnlyList<ProviderChoice>> ProvidersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.CiProviders.AsNoTracking().OrderBy(p => p.Name).Select(p => new ProviderChoice(p.Id, p.Name, p.Kind)).ToListAsync(cancellationToken);
    }

    /// <param name="totals">The batch's totals when the caller already summed them (an import, from its roll-up); read from its records otherwise.</param>
    internal static async Task<ImportReport?> ReportAsync(IDbContextFactory<AppDbContext> contexts, int batchId, CancellationToken cancellationToken,
        IReadOnlyList<ImportTotals>? totals = null)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var batch = await db.ImportBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            return null;
        }
        var provider = batch.ProviderId is { } id ? await db.CiProviders.Where(p => p.Id == id).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken) : null;
        totals ??= await TotalsAsync(db, batch, cancellationToken);
        var rejections = await db.ImportRejections.AsNoTracking().Where(r => r.BatchId == batchId).OrderBy(r => r.Line).ThenBy(r => r.Id)
            .Take(RejectionsShown + 1).Select(r => new ImportRejectionRow(r.Line, r.Reason)).ToListAsync(cancellationToken);
        return new ImportReport(batch.Id, batch.Status.ToString(), CiImportFormats.Describe(batch.Format), provider, batch.FileName, batch.StartedAt, batch.FinishedAt,
            batch.RowsRead, batch.RowsImported, batch.RowsRejected, batch.RowsAlreadyStored, batch.RowsNotMinutes, batch.FailureReason,
            totals, [.. rejections.Take(RejectionsShown)], rejections.Count > RejectionsShown);
    }

    /// <summary>Per currency, rounded as reports show them; money is micros (integers), so totals are exact.</summary>
    internal static ImportTotals Total(string currency, long runs, decimal raw, decimal quota, decimal credits, long listMicros, long paidMicros) =>
        new(currency, runs, decimal.Round(raw, 4), decimal.Round(quota, 4), decimal.Round(credits, 4),
            listMicros / CiPriceBook.MicrosPerUnit, paidMicros / CiPriceBook.MicrosPerUnit);

    private static async Task<IReadOnlyList<ImportTotals>> TotalsAsync(AppDbContext db, ImportBatch batch, CancellationToken cancellationToken)
    {
        // Summed in the database. A running batch's records are not counted yet (on SQLite they arrive in chunks, ADR 11); a failed one has none.
        var completed = batch.Status == ImportBatchStatus.Completed;
        var totals = await db.CiUsageRecords.AsNoTracking().Where(r => completed && r.BatchId == batch.Id).GroupBy(r => r.Currency)
            .Select(g => new
            {
                Currency = g.Key,
                Runs = g.LongCount(),
                Raw = g.Sum(r => r.RawMinutes),
                Quota = g.Sum(r => r.QuotaMinutes),
                Credits = g.Sum(r => r.Credits),
                List = g.Sum(r => r.ListAmountMicros),
                Paid = g.Sum(r => r.PaidAmountMicros),
            }).ToListAsync(cancellationToken);
        return [.. totals.OrderBy(t => t.Currency, StringComparer.Ordinal).Select(t => Total(t.Currency, t.Runs, t.Raw, t.Quota, t.Credits, t.List, t.Paid))];
    }
}
