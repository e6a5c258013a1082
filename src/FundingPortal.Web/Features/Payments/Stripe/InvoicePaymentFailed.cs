using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary><c>invoice.payment_failed</c>: the installment falls past due; one email per invoice and attempt.</summary>
public sealed class InvoicePaymentFailed : IStripeEventApplier
{
    public string EventType => "invoice.payment_failed";

    public async Task<AppliedEvent> ApplyAsync(StripeEventContext e)
    {
        var (pledge, _) = await InvoicePledgeAsync(e);
        var installment = pledge?.Installments.Where(i => i.IsOpen && i.DueDate <= DateOnly.FromDateTime(e.At).AddDays(1))
            .OrderBy(i => i.Sequence).FirstOrDefault()
            ?? FirstOpen(pledge);
        if (pledge is null || installment is null)
        {
            return new AppliedEvent("failed invoice for nothing open");
        }
        installment.MarkFailed();
        var attempt = Long(e.Data, "attempt_count");
        e.Db.Audit("installment.payment-failed", nameof(Installment), Key(installment.Id), ApplyStripeEvent.StripeActor, e.At, pledge.OrganisationId,
            null, new { invoice = Text(e.Data, "id"), attempt, status = installment.Status.ToString() });
        // One event per invoice and attempt, and each event is applied once: so one email per invoice and attempt.
        return new AppliedEvent($"installment {installment.Id} past due (attempt {attempt})",
            StripeEmails.PaymentFailed(pledge, installment,
                $"Stripe could not take the card payment (attempt {attempt}). Please update the card in the payment email Stripe sent you."));
    }
}
