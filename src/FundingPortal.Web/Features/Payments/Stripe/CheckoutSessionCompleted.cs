using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary>
/// <c>checkout.session.completed</c>: a paid one-off session is booked; an unpaid one waits for <c>async_payment_succeeded</c>; a
/// subscription session only links the subscription to the pledge (its money comes with <c>invoice.paid</c>).
/// </summary>
public sealed class CheckoutSessionCompleted(BookCardPayment cards) : IStripeEventApplier
{
    public string EventType => "checkout.session.completed";

    public async Task<AppliedEvent> ApplyAsync(StripeEventContext e)
    {
        if (Text(e.Data, "mode") == "subscription")
        {
            var pledge = await SessionPledgeAsync(e);
            var subscriptionId = IdOf(e.Data, "subscription");
            return pledge is null || subscriptionId is null
                ? new AppliedEvent("subscription session for no pledge of ours")
                : LinkSubscription(e, pledge, subscriptionId);
        }
        return Text(e.Data, "payment_status") == "paid"
            ? await cards.PaidSessionAsync(e)
            : new AppliedEvent("checkout completed, payment not yet confirmed: waiting for async_payment_succeeded");
    }

    private static AppliedEvent LinkSubscription(StripeEventContext e, Pledge pledge, string subscriptionId)
    {
        if (pledge.StripeSubscriptionId == subscriptionId)
        {
            return new AppliedEvent("subscription already linked");
        }
        pledge.LinkSubscription(subscriptionId);
        e.Db.Audit("pledge.subscription-linked", nameof(Pledge), Key(pledge.Id), ApplyStripeEvent.StripeActor, e.At, pledge.OrganisationId, null,
            new { subscription = subscriptionId });
        return new AppliedEvent($"subscription linked to pledge {pledge.Id}");
    }
}
