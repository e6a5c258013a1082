using static FundingPortal.Web.Features.Payments.StripeObjects;

namespace FundingPortal.Web.Features.Payments;

/// <summary><c>customer.subscription.deleted</c>: the recurring pledge ends with its subscription.</summary>
public sealed class CustomerSubscriptionDeleted : IStripeEventApplier
{
    public string EventType => "customer.subscription.deleted";

    public async Task<AppliedEvent> ApplyAsync(StripeEventContext e)
    {
        var subscriptionId = Text(e.Data, "id");
        var pledge = await PledgeAsync(e, Metadata(e.Data), null, subscriptionId);
        if (pledge is null)
        {
            return new AppliedEvent("subscription of no pledge of ours");
        }
        if (pledge.Status == PledgeStatus.Cancelled)
        {
            return new AppliedEvent("pledge already cancelled");
        }
        var before = pledge.Status;
        var cancelled = pledge.Cancel(ApplyStripeEvent.StripeActor, "The card subscription ended in Stripe.", DateOnly.FromDateTime(e.At), e.At);
        if (!cancelled.Succeeded)
        {
            return new AppliedEvent("pledge already ended: " + cancelled.Problem!.Message);
        }
        e.Db.Audit("pledge.cancelled", nameof(Pledge), Key(pledge.Id), ApplyStripeEvent.StripeActor, e.At, pledge.OrganisationId,
            new { status = before.ToString() }, new { status = pledge.Status.ToString(), subscription = subscriptionId });
        return new AppliedEvent($"pledge {pledge.Id} ended with its subscription");
    }
}
