using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.FollowUp;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Fulfilment;

public sealed record DeliveryQueueRow(int Id, DateOnly On, string Description, string Value, int OrganisationId, string Organisation, string Fund,
    int PledgeId, string? Infrastructure, int Version);

/// <summary>Reviewers confirm (counting the stated value on the installment) or reject recorded infrastructure deliveries.</summary>
public sealed class ReviewDeliveries(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<DeliveryQueueRow>>> QueueAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<IReadOnlyList<DeliveryQueueRow>>.Forbidden("Only reviewers confirm deliveries.");
        }
        var rows = await (from d in db.InKindDeliveries.AsNoTracking()
                          where d.Status == ConfirmationStatus.Submitted
                          join p in db.Pledges on d.PledgeId equals p.Id
                          orderby d.DeliveredOn, d.Id
                          select new
                          {
                              d.Id,
                              d.DeliveredOn,
                              d.Description,
                              d.ValueMinor,
                              d.Currency,
                              p.OrganisationId,
                              Organisation = p.Organisation!.Name,
                              Fund = p.Fund!.Name,
                              d.PledgeId,
                              p.InfrastructureDescription,
                              d.Version,
                          })
            .Take(500)
            .ToListAsync(cancellationToken);
        return Result<IReadOnlyList<DeliveryQueueRow>>.Ok(rows.Select(r => new DeliveryQueueRow(r.Id, r.DeliveredOn, r.Description,
            new Money(r.ValueMinor, r.Currency).ToString(), r.OrganisationId, r.Organisation, r.Fund, r.PledgeId, r.InfrastructureDescription, r.Version)).ToList());
    }

    public Task<Result<int>> ConfirmAsync(int deliveryId, string userId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(deliveryId, userId, expectedVersion, "delivery.confirmed", (d, installment, now) => d.Confirm(installment!, userId, now), true, cancellationToken);

    public Task<Result<int>> RejectAsync(int deliveryId, string? reason, string userId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(deliveryId, userId, expectedVersion, "delivery.rejected", (d, _, now) => d.Reject(userId, reason, now), false, cancellationToken);

    private async Task<Result<int>> ReviewAsync(int deliveryId, string userId, int? expectedVersion, string action,
        Func<InKindDelivery, Installment?, DateTime, Result<InKindDelivery>> review, bool confirming, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<int>.Forbidden("Only reviewers confirm deliveries.");
        }
        var delivery = await db.InKindDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null)
        {
            return Result<int>.NotFound("The delivery");
        }
        if (expectedVersion is { } version && version != delivery.Version)
        {
            return Result<int>.Conflict("Another reviewer already acted on this delivery. Reload the list.");
        }
        // The same four-eyes rule as for hours: whoever recorded a delivery does not confirm it too.
        if (confirming && delivery.RecordedByUserId == userId)
        {
            return Result<int>.Forbidden("Another reviewer must confirm a delivery you recorded yourself.");
        }
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == delivery.PledgeId, cancellationToken);
        var installment = pledge.Installments.SingleOrDefault(i => i.Id == delivery.InstallmentId);
        if (confirming && installment is null)
        {
            return Result<int>.Conflict("The period this delivery was recorded on no longer exists.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var result = review(delivery, installment, now);
        if (!result.Succeeded)
        {
            return Result<int>.From(result.Problem!);
        }
        if (confirming)
        {
            var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
            settings.Settle(pledge, DateOnly.FromDateTime(now), now);
        }
        db.Audit(action, nameof(InKindDelivery), delivery.Id.ToString(CultureInfo.InvariantCulture), userId, now, pledge.OrganisationId,
            new { status = nameof(ConfirmationStatus.Submitted) },
            new { status = delivery.Status.ToString(), value = delivery.Value.ToString(), reason = delivery.RejectionReason, pledgeStatus = pledge.Status.ToString() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<int>.Conflict("Another reviewer acted on this delivery (or its period) at the same moment. Reload to see where it stands.");
        }
        return Result<int>.Ok(delivery.Id);
    }
}
