namespace FundingPortal.Web.Features.Payments;

/// <summary><c>checkout.session.async_payment_succeeded</c>: the delayed payment (a bank debit) of a one-off session arrived; it is booked.</summary>
public sealed class CheckoutSessionAsyncPaymentSucceeded(BookCardPayment cards) : IStripeEventApplier
{
    public string EventType => "checkout.session.async_payment_succeeded";

    public Task<AppliedEvent> ApplyAsync(StripeEventContext e) => cards.PaidSessionAsync(e);
}
