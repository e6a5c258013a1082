using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary><c>checkout.session.async_payment_failed</c>: the earliest open installment is marked failed and the organisation is told.</summary>
public sealed class CheckoutSessionAsyncPaymentFailed : IStripeEventApplier
{
    public string EventType => "checkout.session.async_payment_failed";

    public async Task<AppliedEvent> ApplyAsync(StripeEventContext e)
    {
        var pledge = await SessionPledgeAsync(e);
        var installment = FirstOpen(pledge);
        if (pledge is null || installment is null)
        {
            return new AppliedEvent("failed session for nothing open");
        }
        installment.MarkFailed();
        e.Db.Audit("installment.payment-failed", nameof(Installment), Key(installment.Id), ApplyStripeEvent.StripeActor, e.At, pledge.OrganisationId,
            null, new { session = Text(e.Data, "id"), status = installment.Status.ToString() });
        return new AppliedEvent($"installment {installment.Id} failed",
            StripeEmails.PaymentFailed(pledge, installment, "The bank transfer or delayed card payment you started in Stripe Checkout did not go through."));
    }
}
