using FundingPortal.Web.Features.FollowUp;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// The one way money received is booked, whatever brought it (a reviewer recording a bank transfer, a Stripe webhook, the
/// reconciliation page): the payment row, the installment's received amount, the ledger contribution (and the processor's fee as
/// its own entry), the pledge settled, and an audit event. The caller owns the transaction and the last <c>SaveChanges</c>.
/// </summary>
public static class BookPayment
{
    public static async Task<Payment> BookAsync(AppDbContext db, Pledge pledge, Installment? installment, PaymentReceipt receipt,
        string description, DateTime now, CancellationToken cancellationToken, string? flagReason = null)
    {
        var payment = Payment.Record(receipt);
        if (flagReason is not null)
        {
            payment.Flag(flagReason);
        }
        var before = new { installment?.Status, installment?.AmountReceivedMinor, pledgeStatus = pledge.Status };
        if (installment is not null && flagReason is null && receipt.Amount.Currency == installment.Currency)
        {
            var counted = installment.RecordReceived(receipt.Amount);
            if (!counted.Succeeded)
            {
                // A payment Stripe took must still be booked; a reviewer sorts out where it belongs.
                payment.Flag(counted.Problem!.Message);
            }
        }
        db.Payments.Add(payment);
        await db.SaveChangesAsync(cancellationToken);
        db.LedgerEntries.Add(LedgerEntry.Book(Core.Domain.Ledger.Contribution(payment, description, now, receipt.RecordedByUserId)));
        if (receipt.FeeBaseMinor > 0)
        {
            db.LedgerEntries.Add(LedgerEntry.Book(Core.Domain.Ledger.Fee(payment, new Money(receipt.FeeBaseMinor, receipt.BaseAmount.Currency),
                $"Processing fee on {description}", now, receipt.RecordedByUserId)));
        }
        var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
        settings.Settle(pledge, DateOnly.FromDateTime(now), now);
        db.Audit(payment.Status == PaymentStatus.Flagged ? "payment.flagged" : "payment.recorded", nameof(Payment),
            payment.Id.ToString(CultureInfo.InvariantCulture), receipt.RecordedByUserId, now, pledge.OrganisationId,
            before, new
            {
                installment?.Status,
                installment?.AmountReceivedMinor,
                pledgeStatus = pledge.Status,
                amount = receipt.Amount.ToString(),
                baseAmount = receipt.BaseAmount.ToString(),
                rate = receipt.ExchangeRate,
                fee = receipt.FeeBaseMinor,
                reference = receipt.Reference,
                channel = receipt.Channel.ToString(),
                flag = flagReason,
            });
        return payment;
    }
}
