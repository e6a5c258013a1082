using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Ledger;

/// <summary>
/// An admin hides (or shows again) who a ledger line came from or went to on the public page, the public API and the CSV. The amount
/// stays public and the books are untouched; the change leaves an audit event.
/// </summary>
public sealed class HideCounterparty(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<Result<bool>> SetAsync(long entryId, bool hidden, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsAdminAsync(userId, cancellationToken))
        {
            return Result<bool>.Forbidden("Only admins can hide a ledger line's counterparty.");
        }
        var entry = await db.LedgerEntries.SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken);
        if (entry is null)
        {
            return Result<bool>.NotFound("The ledger entry");
        }
        if (entry.CounterpartyHidden == hidden)
        {
            return Result<bool>.Ok(hidden);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        entry.HideCounterparty(hidden);
        db.Audit(hidden ? "ledger.counterparty-hidden" : "ledger.counterparty-shown", nameof(LedgerEntry), entryId.ToString(CultureInfo.InvariantCulture), userId, now,
            before: new { CounterpartyHidden = !hidden }, after: new { CounterpartyHidden = hidden });
        await db.SaveChangesAsync(cancellationToken);
        return Result<bool>.Ok(hidden);
    }
}
