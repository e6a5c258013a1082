using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Ledger;

public sealed record LedgerRow(long Id, DateTime OccurredAt, DateTime RecordedAt, string Fund, LedgerEntryKind Kind, Money Amount, Money Original, decimal ExchangeRate,
    string Description, string? Counterparty, string? RecordedBy, long? ReversesEntryId, bool Reversed, Guid? TransferId, bool CounterpartyHidden = false)
{
    /// <summary>Whether an admin may still reverse this entry: not a reversal itself, and not reversed already.</summary>
    public bool CanReverse => Kind != LedgerEntryKind.Reversal && !Reversed;
}

public sealed record LedgerPage(IReadOnlyList<LedgerRow> Rows, int Total, int Page, int PageSize);

/// <summary>The reviewers' read of the books: fund balances and the ledger, newest first, a page at a time.</summary>
public sealed class LedgerBook(Handlers handlers, IOptions<PortalOptions> options)
{
    public const int PageSize = 50;

    public Task<Result<IReadOnlyList<FundBalance>>> BalancesAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Reviewer, "Only reviewers can see fund balances."), async scope =>
        {
            var db = scope.Db;
            return Result<IReadOnlyList<FundBalance>>.Ok(await FundBalances.AllAsync(db, options.Value.BaseCurrency, cancellationToken));
        }, cancellationToken);

    public Task<Result<LedgerPage>> PageAsync(string userId, int? fundId, int page, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Reviewer, "Only reviewers can read the ledger."), async scope =>
        {
            var db = scope.Db;
            page = Math.Max(0, page);
            var query = db.LedgerEntries.AsNoTracking();
            if (fundId is { } id)
            {
                query = query.Where(e => e.FundId == id);
            }
            var total = await query.CountAsync(cancellationToken);
            var rows = await query
                .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
                .Skip(page * PageSize).Take(PageSize)
                .Select(e => new LedgerRow(e.Id, e.OccurredAt, e.RecordedAt,
                    db.Funds.Where(f => f.Id == e.FundId).Select(f => f.Name).FirstOrDefault() ?? "",
                    e.Kind, new Money(e.AmountMinor, e.Currency), new Money(e.OriginalAmountMinor, e.OriginalCurrency), e.ExchangeRate, e.Description,
                    db.Organisations.Where(o => o.Id == e.CounterpartyOrganisationId).Select(o => o.Name).FirstOrDefault(),
                    db.Users.Where(u => u.Id == e.RecordedByUserId).Select(u => u.Email).FirstOrDefault(),
                    e.ReversesEntryId,
                    db.LedgerEntries.Any(r => r.ReversesEntryId == e.Id),
                    e.TransferId, e.CounterpartyHidden))
                .ToListAsync(cancellationToken);
            return Result<LedgerPage>.Ok(new LedgerPage(rows, total, page, PageSize));
        }, cancellationToken);
}
