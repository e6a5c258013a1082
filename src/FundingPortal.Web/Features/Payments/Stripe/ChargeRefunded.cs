using System.Text.Json;

using Microsoft.Extensions.Options;

using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary><c>charge.refunded</c>: one reversing ledger entry per refund id (a charge can be refunded in parts, and each part arrives again).</summary>
public sealed class ChargeRefunded(StripeGateway stripe, IOptions<PortalOptions> portal) : IStripeEventApplier
{
    public string EventType => "charge.refunded";

    private sealed record StripeRefund(string Id, long Amount, string? Currency, string? Reason, DateTime At);

    public async Task<AppliedEvent> ApplyAsync(StripeEventContext e)
    {
        var paymentIntentId = IdOf(e.Data, "payment_intent");
        var invoiceId = IdOf(e.Data, "invoice");
        var payment = paymentIntentId is null ? null
            : await e.Db.Payments.SingleOrDefaultAsync(p => p.StripePaymentIntentId == paymentIntentId, e.CancellationToken);
        if (payment is null && invoiceId is not null)
        {
            payment = await e.Db.Payments.SingleOrDefaultAsync(p => p.StripeInvoiceId == invoiceId, e.CancellationToken);
        }
        if (payment is null)
        {
            // The payment is not booked yet (its own event is still on the way): fail so Stripe retries this one later.
            throw new InvalidOperationException($"No booked payment for refunded charge {Text(e.Data, "id")} yet.");
        }
        var booked = 0;
        var unbookable = new List<string>();
        foreach (var refund in await RefundsAsync(e, paymentIntentId))
        {
            var reason = Unbookable(refund.Amount, refund.Currency)
                ?? (refund.Currency != payment.Currency ? $"the refund is in {refund.Currency}, the payment in {payment.Currency}." : null);
            if (reason is not null)
            {
                unbookable.Add($"refund {refund.Id} on payment {payment.Id}: {reason}");
                continue;
            }
            if (await RefundPayment.BookAsync(e.Db, payment, refund.Id, new Money(refund.Amount, refund.Currency!), refund.Reason, refund.At,
                    portal.Value.BaseCurrency, ApplyStripeEvent.StripeActor, e.CancellationToken))
            {
                booked++;
            }
        }
        var note = $"{booked} refund(s) booked on payment {payment.Id}";
        return unbookable.Count == 0 ? new AppliedEvent(note) : new AppliedEvent(note, NeedsReview: string.Join(" ", unbookable));
    }

    /// <summary>The charge's refunds that stand (succeeded or pending): from the event, or asked from Stripe when the event has none.</summary>
    private async Task<List<StripeRefund>> RefundsAsync(StripeEventContext e, string? paymentIntentId)
    {
        var refunds = new List<StripeRefund>();
        if (e.Data.TryGetProperty("refunds", out var list) && list.ValueKind == JsonValueKind.Object && list.TryGetProperty("data", out var items))
        {
            foreach (var refund in items.EnumerateArray().Where(r => Text(r, "status") is "succeeded" or "pending"))
            {
                refunds.Add(new StripeRefund(Text(refund, "id")!, Long(refund, "amount"), CurrencyOf(refund), Text(refund, "reason"), UnixOr(refund, "created", e.At)));
            }
        }
        else if (paymentIntentId is not null && stripe.Enabled)
        {
            // Since 2022 Stripe no longer puts the refunds on the charge: ask for them. A failure here fails the event, which is retried.
            foreach (var refund in (await stripe.ListRefundsAsync(paymentIntentId, e.CancellationToken)).Data.Where(r => r.Status is "succeeded" or "pending"))
            {
                refunds.Add(new StripeRefund(refund.Id, refund.Amount, refund.Currency.ToUpperInvariant(), refund.Reason, refund.Created));
            }
        }
        return refunds;
    }
}
