namespace FundingPortal.Web.Features.Ledger;

/// <summary>
/// An admin corrects the books by reversing an entry: a new entry cancels it out, nothing is changed or deleted. An entry is reversed
/// at most once (a unique index backs this), and a reversal is final. Reversing one leg of a transfer reverses both legs, so money
/// never appears or disappears.
/// </summary>
public sealed class ReverseEntry(Handlers handlers)
{
    public const int ReasonMaxLength = 1000;

    private const string AlreadyReversed = "This entry was already reversed.";

    /// <summary>A second reversal of the same entry, racing this one, breaks the unique index and is told it came too late.</summary>
    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins can reverse ledger entries.", AlreadyReversed);

    public Task<Result<IReadOnlyList<long>>> ReverseAsync(long entryId, string? reason, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Admins, async scope =>
        {
            var db = scope.Db;
            if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > ReasonMaxLength)
            {
                return Result<IReadOnlyList<long>>.Invalid("reason", $"Say why the entry is reversed (up to {ReasonMaxLength} characters).");
            }
            var entry = await db.LedgerEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken);
            if (entry is null)
            {
                return Result<IReadOnlyList<long>>.NotFound("The ledger entry");
            }
            if (entry.PaymentId is { } paymentId)
            {
                return Result<IReadOnlyList<long>>.Conflict(
                    $"This line belongs to payment #{paymentId}: void the payment on its pledge's fulfilment page (or refund a card payment), so its installment, pledge and fee follow.");
            }
            if (entry.Kind == LedgerEntryKind.Reversal)
            {
                return Result<IReadOnlyList<long>>.Conflict("A reversal cannot itself be reversed; book a new entry instead.");
            }
            var entries = entry.TransferId is { } transferId
                ? await db.LedgerEntries.AsNoTracking().Where(e => e.TransferId == transferId).ToListAsync(cancellationToken)
                : [entry];
            var ids = entries.Select(e => e.Id).ToList();
            if (await db.LedgerEntries.AnyAsync(e => e.ReversesEntryId != null && ids.Contains(e.ReversesEntryId.Value), cancellationToken))
            {
                return Result<IReadOnlyList<long>>.Conflict(AlreadyReversed);
            }
            var now = scope.Now;
            var reversals = entries.Select(e => e.Reverse(reason.Trim(), userId, now)).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.LedgerEntries.AddRange(reversals);
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("ledger.reversed", nameof(LedgerEntry), entryId.ToString(CultureInfo.InvariantCulture), userId, now,
                before: new { Entries = ids }, after: new { Reversals = reversals.Select(r => r.Id).ToList(), Reason = reason.Trim() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<IReadOnlyList<long>>.Ok(reversals.Select(r => r.Id).ToList());
        }, cancellationToken);
}
