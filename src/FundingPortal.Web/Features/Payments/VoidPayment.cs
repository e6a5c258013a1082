using FundingPortal.Web.Features.FollowUp;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// Takes back a payment recorded by mistake, completely: every ledger line of the payment (its contribution, and a fee if it had one)
/// gets a reversing entry, the installment gives the amount back and is open again, the pledge moves back to where it stands without
/// the payment, and the honoured rate follows (its roll-up follows the installment). A reviewer other than the one who recorded it
/// does it, with a reason, in one transaction with an audit event. The bank reference is released, so the right payment can be
/// recorded under it.
/// </summary>
public sealed class VoidPayment(Handlers handlers)
{
    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers void payments.",
        "This payment or its pledge changed while it was being voided. Reload and try again.");

    public Task<Result<int>> VoidAsync(int paymentId, string? reason, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, scope => VoidAsync(scope, paymentId, reason, cancellationToken), cancellationToken);

    private static async Task<Result<int>> VoidAsync(HandlerScope scope, int paymentId, string? reason, CancellationToken cancellationToken)
    {
        var (db, userId, now) = scope;
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null)
        {
            return Result<int>.NotFound("The payment");
        }
        var counted = payment.CountsTowardsInstallment;
        var before = new { payment.Status, payment.ExternalId };
        var voided = payment.Void(reason, userId, now);
        if (!voided.Succeeded)
        {
            return voided.Problem!;
        }

        var lines = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.PaymentId == paymentId && e.Kind != LedgerEntryKind.Reversal
                && !db.LedgerEntries.Any(r => r.ReversesEntryId == e.Id))
            .ToListAsync(cancellationToken);
        var reversals = lines.Select(e => e.Reverse($"Payment #{paymentId} voided: {payment.VoidReason}", userId, now)).ToList();

        Pledge? pledge = null;
        if (payment.PledgeId is { } pledgeId)
        {
            pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId, cancellationToken);
            if (counted && pledge.Installments.FirstOrDefault(i => i.Id == payment.InstallmentId) is { } installment)
            {
                installment.TakeBackReceived(payment.AmountMinor);
            }
            var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
            settings.Settle(pledge, DateOnly.FromDateTime(now), now);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            db.LedgerEntries.AddRange(reversals);
            await db.SaveChangesAsync(cancellationToken);
            db.Audit("payment.voided", nameof(Payment), paymentId.ToString(CultureInfo.InvariantCulture), userId, now, payment.OrganisationId,
                before, new
                {
                    payment.Status,
                    payment.VoidReason,
                    Reversals = reversals.Select(r => r.Id).ToList(),
                    PledgeStatus = pledge?.Status,
                });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return Result<int>.Conflict("A line of this payment was reversed at the same moment. Reload and try again.");
        }
        return Result<int>.Ok(payment.Id);
    }
}
