using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Fulfilment;

public sealed record DeliveryView(int Id, DateOnly On, string Description, string Value, ConfirmationStatus Status, string? RejectionReason);

public sealed record DeliveriesPageView(PledgeFulfilmentView Pledge, IReadOnlyList<DeliveryView> Deliveries);

/// <summary>
/// Sponsor members (or reviewers) record infrastructure delivered against an infrastructure pledge; it counts at its stated value
/// once a reviewer confirms it (<see cref="ReviewDeliveries"/>).
/// </summary>
public sealed class RecordDelivery(Handlers handlers, IOptions<PortalOptions> portal)
{
    public static readonly string[] Fields = ["on", "description", "value"];

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers record deliveries for any organisation.");

    public Task<Result<DeliveriesPageView>> GetAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, RecordInKind.Members, async scope =>
        {
            if (await RecordInKind.MembersPledgeAsync(scope, organisationId, pledgeId, portal.Value.BaseCurrency, cancellationToken) is not { } view)
            {
                return Result<DeliveriesPageView>.NotFound("The pledge");
            }
            var deliveries = await scope.Db.InKindDeliveries.AsNoTracking().Where(d => d.PledgeId == pledgeId)
                .OrderByDescending(d => d.DeliveredOn).ThenByDescending(d => d.Id).ToListAsync(cancellationToken);
            return Result<DeliveriesPageView>.Ok(new DeliveriesPageView(view, deliveries.Select(d =>
                new DeliveryView(d.Id, d.DeliveredOn, d.Description, d.Value.ToString(), d.Status, d.RejectionReason)).ToList()));
        }, cancellationToken);

    /// <summary>A member of the pledge's organisation records a delivery.</summary>
    public Task<Result<int>> RecordAsync(int organisationId, int pledgeId, DeliveryInput input, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, RecordInKind.Members, async scope =>
            await RecordInKind.IsMembersPledgeAsync(scope.Db, organisationId, pledgeId, userId, cancellationToken)
                ? await SaveAsync(scope, pledgeId, input, cancellationToken)
                : Result<int>.NotFound("The pledge"), cancellationToken);

    /// <summary>A reviewer records a delivery seen on the provider's side (credits granted, runners online).</summary>
    public Task<Result<int>> RecordAsReviewerAsync(int pledgeId, DeliveryInput input, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
            await scope.Db.Pledges.AnyAsync(p => p.Id == pledgeId, cancellationToken)
                ? await SaveAsync(scope, pledgeId, input, cancellationToken)
                : Result<int>.NotFound("The pledge"), cancellationToken);

    private static async Task<Result<int>> SaveAsync(HandlerScope scope, int pledgeId, DeliveryInput input, CancellationToken cancellationToken)
    {
        var pledge = await scope.Db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId, cancellationToken);
        if (input.On is not { } on)
        {
            return Result<int>.Invalid("on", "Enter the day it was delivered.");
        }
        var value = Money.ParsePositive(input.Value, pledge.Currency);
        if (!value.Succeeded)
        {
            return Result<int>.Invalid("value", value.Problem!.Message);
        }
        var recorded = InKindDelivery.Record(pledge, DateOnly.FromDateTime(on), input.Description, value.Value, scope.UserId, scope.Today);
        if (!recorded.Succeeded)
        {
            return recorded.Problem!;
        }
        var delivery = recorded.Value!;
        return await RecordInKind.AddAsync(scope, delivery, "delivery.recorded", pledge.OrganisationId,
            new { pledgeId, on = delivery.DeliveredOn, delivery.Description, value = delivery.Value.ToString() }, cancellationToken);
    }
}
