namespace FundingPortal.Web.Features.Ledger;

/// <summary>
/// An admin hides (or shows again) who a ledger line came from or went to on the public page, the public API and the exports. A line
/// of a payment hides every line of that payment (contribution, fee, refunds, reversals), and the public counts them under
/// "Undisclosed", never under the sponsor. The amounts stay public and the books are untouched; the change leaves an audit event.
/// </summary>
public sealed class HideCounterparty(Handlers handlers)
{
    public Task<Result<bool>> SetAsync(long entryId, bool hidden, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Admin, "Only admins can hide a ledger line's counterparty."), async scope =>
        {
            var db = scope.Db;
            var entry = await db.LedgerEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken);
            if (entry is null)
            {
                return Result<bool>.NotFound("The ledger entry");
            }
            var lines = await (entry.PaymentId is { } paymentId
                ? db.LedgerEntries.Where(e => e.PaymentId == paymentId)
                : db.LedgerEntries.Where(e => e.Id == entryId || e.ReversesEntryId == entryId)).ToListAsync(cancellationToken);
            var changed = lines.Where(e => e.CounterpartyHidden != hidden).ToList();
            if (changed.Count == 0)
            {
                return Result<bool>.Ok(hidden);
            }
            var now = scope.Now;
            changed.ForEach(e => e.HideCounterparty(hidden));
            db.Audit(hidden ? "ledger.counterparty-hidden" : "ledger.counterparty-shown", nameof(LedgerEntry), entryId.ToString(CultureInfo.InvariantCulture), userId, now,
                before: new { CounterpartyHidden = !hidden }, after: new { CounterpartyHidden = hidden, Lines = changed.Select(e => e.Id).ToList(), entry.PaymentId });
            await db.SaveChangesAsync(cancellationToken);
            return Result<bool>.Ok(hidden);
        }, cancellationToken);
}
