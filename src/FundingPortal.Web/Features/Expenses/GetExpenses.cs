namespace FundingPortal.Web.Features.Expenses;

public sealed record ExpenseRow(int Id, int Version, string Vendor, string Description, ExpenseCategory Category, Money Amount, DateOnly IncurredOn, string Fund,
    ExpenseStatus Status, string SubmittedByUserId, string? SubmittedBy, string? ReviewedBy, string? RejectionReason, string? ReceiptFileName, string? CiProvider,
    DateOnly? BillingMonth, DateTime? PaidAt);

public sealed record Choice(int Id, string Name);

public sealed record ReceiptDownload(string FullPath, string ContentType, string FileName);

/// <summary>Reads of expenses for reviewers: the list (newest first), the choices the form offers, and a receipt to download.</summary>
public sealed class GetExpenses(IDbContextFactory<AppDbContext> contexts, Handlers handlers, ReceiptFiles receipts)
{
    public const int Limit = 200;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can see expenses.");

    public Task<Result<IReadOnlyList<ExpenseRow>>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var db = scope.Db;
            var rows = await db.Expenses.AsNoTracking()
                .OrderBy(e => e.Status == ExpenseStatus.Submitted ? 0 : e.Status == ExpenseStatus.Approved ? 1 : 2).ThenByDescending(e => e.Id)
                .Take(Limit)
                .Select(e => new ExpenseRow(e.Id, e.Version, e.Vendor, e.Description, e.Category, new Money(e.AmountMinor, e.Currency), e.IncurredOn,
                    db.Funds.Where(f => f.Id == e.FundId).Select(f => f.Name).FirstOrDefault() ?? "",
                    e.Status, e.SubmittedByUserId,
                    db.Users.Where(u => u.Id == e.SubmittedByUserId).Select(u => u.Email).FirstOrDefault(),
                    db.Users.Where(u => u.Id == (e.ApprovedByUserId ?? e.RejectedByUserId)).Select(u => u.Email).FirstOrDefault(),
                    e.RejectionReason, e.ReceiptFileName,
                    db.CiProviders.Where(p => p.Id == e.CiProviderId).Select(p => p.Name).FirstOrDefault(),
                    e.BillingMonth, e.PaidAt))
                .ToListAsync(cancellationToken);
            return Result<IReadOnlyList<ExpenseRow>>.Ok(rows);
        }, cancellationToken);

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
