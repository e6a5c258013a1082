using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary><c>invoice.paid</c>: one recurring card payment, booked once per invoice id; links the subscription if it came first.</summary>
public sealed class InvoicePaid(BookCardPayment cards) : IStripeEventApplier
{
    public string EventType => "invoice.paid";

    public async Task<AppliedEvent> ApplyAsync(StripeEventContext e)
    {
        var invoiceId = Text(e.Data, "id")!;
        if (await e.Db.Payments.AnyAsync(p => p.StripeInvoiceId == invoiceId, e.CancellationToken))
        {
            return new AppliedEvent("invoice already booked");
        }
        var (pledge, subscriptionId) = await InvoicePledgeAsync(e);
        var amount = Long(e.Data, "amount_paid");
        var currency = CurrencyOf(e.Data);
        // An invoice with nothing to pay (a trial, a full discount) is normal and books nothing; a paid invoice our books cannot hold is not.
        if (pledge is null || amount == 0)
        {
            return new AppliedEvent(pledge is null ? "invoice for no pledge of ours" : "nothing paid on this invoice");
        }
        if (Unbookable(amount, currency) is { } reason)
        {
            return AppliedEvent.ForReview($"invoice {invoiceId} for pledge {pledge.Id}: {reason}");
        }
        if (subscriptionId is not null && pledge.StripeSubscriptionId is null)
        {
            // invoice.paid can arrive before checkout.session.completed: link the subscription here, whichever comes first.
            pledge.LinkSubscription(subscriptionId);
        }
        var payment = await cards.BookAsync(e, pledge, amount, currency!, 0,
            $"Card payment (Stripe invoice {invoiceId})", null, InvoicePaymentIntent(e.Data), invoiceId);
        return new AppliedEvent($"payment {payment.Id} booked for pledge {pledge.Id}");
    }
}
