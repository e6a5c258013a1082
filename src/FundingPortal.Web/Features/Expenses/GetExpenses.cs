namespace FundingPortal.Web.Features.Expenses;

public sealed record ExpenseRow(int Id, int Version, string Vendor, string Description, ExpenseCategory Category, Money Amount, DateOnly IncurredOn, string Fund,
    ExpenseStatus Status, string SubmittedByUserId, string? SubmittedBy, string? ReviewedBy, string? RejectionReason, string? ReceiptFileName, string? CiProvider,
    DateOnly? BillingMonth, DateTime? PaidAt);

public sealed record Choice(int Id, string Name);

public sealed record ReceiptDownload(string FullPath, string ContentType, string FileName);

/// <summary>One page of the expense list, the number that match, and how many expenses are in each status (for the filter).</summary>
public sealed record ExpenseListPage(IReadOnlyList<ExpenseRow> Rows, int Total, int Page, int PageSize, IReadOnlyDictionary<ExpenseStatus, int> Counts)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>One step in an expense's life, from its audit events: who did what, when.</summary>
public sealed record ExpenseHistoryItem(DateTime At, string Action, string? By);

/// <summary>An expense with what the detail page adds to its list row: when it was submitted and reviewed, who paid it, its history.</summary>
public sealed record ExpenseDetail(ExpenseRow Row, DateTime SubmittedAt, DateTime? ReviewedAt, string? PaidBy, long? LedgerEntryId,
    IReadOnlyList<ExpenseHistoryItem> History);

/// <summary>
/// Reads of expenses for reviewers: the list a page at a time (the ones needing action first — submitted, then approved — then newest
/// first), one expense with its history, the choices the form offers, and a receipt to download.
/// </summary>
public sealed class GetExpenses(IDbContextFactory<AppDbContext> contexts, Handlers handlers, ReceiptFiles receipts)
{
    public const int PageSize = 25;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can see expenses.");

    /// <summary>Page <paramref name="page"/> (from 0) of the expenses in <paramref name="status"/>, or of all of them when it is null.</summary>
    public Task<Result<ExpenseListPage>> ListAsync(string userId, ExpenseStatus? status = null, int page = 0, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var counts = (await db.Expenses.AsNoTracking().GroupBy(e => e.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
                .ToDictionary(c => c.Status, c => c.Count);
            var total = status is { } only ? counts.GetValueOrDefault(only) : counts.Values.Sum();
            page = Math.Clamp(page, 0, Math.Max(0, (total - 1) / PageSize));
            var query = db.Expenses.AsNoTracking();
            if (status is { } wanted)
            {
                query = query.Where(e => e.Status == wanted);
            }
            var rows = await Rows(db, query
                    .OrderBy(e => e.Status == ExpenseStatus.Submitted ? 0 : e.Status == ExpenseStatus.Approved ? 1 : 2).ThenByDescending(e => e.Id)
                    .Skip(page * PageSize).Take(PageSize))
                .ToListAsync(cancellationToken);
            return Result<ExpenseListPage>.Ok(new ExpenseListPage(rows, total, page, PageSize, counts));
        }, cancellationToken);

    /// <summary>One expense for the detail page: the reviewers who may see the list may see any expense in it.</summary>
    public Task<Result<ExpenseDetail>> DetailAsync(int expenseId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var row = await Rows(db, db.Expenses.AsNoTracking().Where(e => e.Id == expenseId)).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return Result<ExpenseDetail>.NotFound($"Expense #{expenseId}");
            }
            var more = await db.Expenses.AsNoTracking().Where(e => e.Id == expenseId)
                .Select(e => new { e.SubmittedAt, e.ReviewedAt, PaidBy = db.Users.Where(u => u.Id == e.PaidByUserId).Select(u => u.Email).FirstOrDefault() })
                .SingleAsync(cancellationToken);
            var entityId = expenseId.ToString(CultureInfo.InvariantCulture);
            var history = await db.AuditEvents.AsNoTracking().Where(a => a.EntityType == nameof(Expense) && a.EntityId == entityId)
                .OrderBy(a => a.At).ThenBy(a => a.Id)
                .Select(a => new { a.At, a.Action, By = db.Users.Where(u => u.Id == a.UserId).Select(u => u.Email).FirstOrDefault() })
                .ToListAsync(cancellationToken);
            var ledgerEntryId = await db.LedgerEntries.AsNoTracking().Where(l => l.ExpenseId == expenseId).OrderBy(l => l.Id).Select(l => (long?)l.Id)
                .FirstOrDefaultAsync(cancellationToken);
            return Result<ExpenseDetail>.Ok(new ExpenseDetail(row, more.SubmittedAt, more.ReviewedAt, more.PaidBy, ledgerEntryId,
                [.. history.Select(h => new ExpenseHistoryItem(h.At, HistoryWords(h.Action), h.By))]));
        }, cancellationToken);

    /// <summary>"expense.approved" → "Approved"; an action the page does not know yet is shown as recorded.</summary>
    private static string HistoryWords(string action) => action switch
    {
        "expense.submitted" => "Submitted",
        "expense.approved" => "Approved",
        "expense.rejected" => "Rejected",
        "expense.paid" => "Marked paid and booked on the ledger",
        _ => action,
    };

    private static IQueryable<ExpenseRow> Rows(AppDbContext db, IQueryable<Expense> expenses) =>
        expenses.Select(e => new ExpenseRow(e.Id, e.Version, e.Vendor, e.Description, e.Category, new Money(e.AmountMinor, e.Currency), e.IncurredOn,
            db.Funds.Where(f => f.Id == e.FundId).Select(f => f.Name).FirstOrDefault() ?? "",
            e.Status, e.SubmittedByUserId,
            db.Users.Where(u => u.Id == e.SubmittedByUserId).Select(u => u.Email).FirstOrDefault(),
            db.Users.Where(u => u.Id == (e.ApprovedByUserId ?? e.RejectedByUserId)).Select(u => u.Email).FirstOrDefault(),
            e.RejectionReason, e.ReceiptFileName,
            db.CiProviders.Where(p => p.Id == e.CiProviderId).Select(p => p.Name).FirstOrDefault(),
            e.BillingMonth, e.PaidAt));

    public async Task<(IReadOnlyList<Choice> Funds, IReadOnlyList<Choice> CiProviders)> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var funds = await db.Funds.AsNoTracking().OrderBy(f => f.Kind).ThenBy(f => f.Name).Select(f => new Choice(f.Id, f.Name)).ToListAsync(cancellationToken);
        var providers = await db.CiProviders.AsNoTracking().OrderBy(p => p.Name).Select(p => new Choice(p.Id, p.Name)).ToListAsync(cancellationToken);
        return (funds, providers);
    }

    public Task<Result<ReceiptDownload>> ReceiptAsync(int expenseId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers with { Forbidden = "Only reviewers can download receipts." }, async scope =>
        {
            var receipt = await scope.Db.Expenses.AsNoTracking().Where(e => e.Id == expenseId)
                .Select(e => new { e.ReceiptStoragePath, e.ReceiptContentType, e.ReceiptFileName })
                .SingleOrDefaultAsync(cancellationToken);
            if (receipts.FullPath(receipt?.ReceiptStoragePath) is not { } path || !File.Exists(path))
            {
                return Result<ReceiptDownload>.NotFound("The receipt");
            }
            return Result<ReceiptDownload>.Ok(new ReceiptDownload(path, receipt!.ReceiptContentType ?? "application/octet-stream", receipt.ReceiptFileName ?? "receipt"));
        }, cancellationToken);
}
