namespace FundingPortal.Web.Features.Fulfilment;

public sealed record DeliveryQueueRow(int Id, DateOnly On, string Description, string Value, int OrganisationId, string Organisation, string Fund,
    int PledgeId, string? Infrastructure, int Version);

/// <summary>Reviewers confirm (counting the stated value on the installment) or reject recorded infrastructure deliveries, through <see cref="ReviewInKind{T}"/>.</summary>
public sealed class ReviewDeliveries(Handlers handlers) : ReviewInKind<InKindDelivery>(handlers)
{
    protected override InKindReview<InKindDelivery> Review => DeliveryReview;

    private static readonly InKindReview<InKindDelivery> DeliveryReview = new(
        new HandlerRules(Caller.Reviewer, "Only reviewers confirm deliveries.",
            "Another reviewer acted on this delivery (or its period) at the same moment. Reload to see where it stands."),
        "The delivery", db => db.InKindDeliveries,
        _ => "Another reviewer already acted on this delivery. Reload the list.",
        "The period this delivery was recorded on no longer exists.",
        "delivery",
        (delivery, pledge) => new { status = delivery.Status.ToString(), value = delivery.Value.ToString(), reason = delivery.RejectionReason, pledgeStatus = pledge.Status.ToString() });

    public Task<Result<IReadOnlyList<DeliveryQueueRow>>> QueueAsync(string userId, CancellationToken cancellationToken = default) =>
        QueueRowsAsync(userId, (db, waiting) =>
            from d in waiting
            join p in db.Pledges on d.PledgeId equals p.Id
            orderby d.DeliveredOn, d.Id
            select new DeliveryQueueRow(d.Id, d.DeliveredOn, d.Description, new Money(d.ValueMinor, d.Currency).ToString(), p.OrganisationId,
                p.Organisation!.Name, p.Fund!.Name, d.PledgeId, p.InfrastructureDescription, d.Version), cancellationToken);
}
