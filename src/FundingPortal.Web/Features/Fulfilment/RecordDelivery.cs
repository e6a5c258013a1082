using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>What someone types to record infrastructure delivered in kind.</summary>
public sealed class DeliveryInput
{
    public DateTime? On { get; set; }

    public string? Description { get; set; }

    /// <summary>Stated value in the pledge's currency, such as 1250.00.</summary>
    public string? Value { get; set; }
}

public sealed record DeliveryView(int Id, DateOnly On, string Description, string Value, ConfirmationStatus Status, string? RejectionReason);

public sealed record DeliveriesPageView(PledgeFulfilmentView Pledge, IReadOnlyList<DeliveryView> Deliveries);

/// <summary>
/// Sponsor members (or reviewers) record infrastructure delivered against an infrastructure pledge; it counts at its stated value
/// once a reviewer confirms it (<see cref="ReviewDeliveries"/>).
/// </summary>
public sealed class RecordDelivery(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, IOptions<PortalOptions> portal)
{
    public static readonly string[] Fields = ["on", "description", "value"];

    public async Task<Result<DeliveriesPageView>> GetAsync(int organisationId, int pledgeId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await LogHours.IsMembersPledgeAsync(db, organisationId, pledgeId, userId, cancellationToken))
        {
            return Result<DeliveriesPageView>.NotFound("The pledge");
        }
        var view = await PledgeFulfilment.LoadAsync(db, pledgeId, Today(), portal.Value.BaseCurrency, cancellationToken);
        var deliveries = await db.InKindDeliveries.AsNoTracking().Where(d => d.PledgeId == pledgeId)
            .OrderByDescending(d => d.DeliveredOn).ThenByDescending(d => d.Id).ToListAsync(cancellationToken);
        return Result<DeliveriesPageView>.Ok(new DeliveriesPageView(view!, deliveries.Select(d =>
            new DeliveryView(d.Id, d.DeliveredOn, d.Description, d.Value.ToString(), d.Status, d.RejectionReason)).ToList()));
    }

    /// <summary>A member of the pledge's organisation records a delivery.</summary>
    public async Task<Result<int>> RecordAsync(int organisationId, int pledgeId, DeliveryInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await LogHours.IsMembersPledgeAsync(db, organisationId, pledgeId, userId, cancellationToken))
        {
            return Result<int>.NotFound("The pledge");
        }
        return await SaveAsync(db, pledgeId, input, userId, cancellationToken);
    }

    /// <summary>A reviewer records a delivery seen on the provider's side (credits granted, runners online).</summary>
    public async Task<Result<int>> RecordAsReviewerAsync(int pledgeId, DeliveryInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<int>.Forbidden("Only reviewers record deliveries for any organisation.");
        }
        if (!await db.Pledges.AnyAsync(p => p.Id == pledgeId, cancellationToken))
        {
            return Result<int>.NotFound("The pledge");
        }
        return await SaveAsync(db, pledgeId, input, userId, cancellationToken);
    }

    private async Task<Result<int>> SaveAsync(AppDbContext db, int pledgeId, DeliveryInput input, string userId, CancellationToken cancellationToken)
    {
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId, cancellationToken);
        if (input.On is not { } on)
        {
            return Result<int>.Invalid("on", "Enter the day it was delivered.");
        }
        var value = Money.ParsePositive(input.Value, pledge.Currency);
        if (!value.Succeeded)
        {
            return Result<int>.Invalid("value", value.Problem!.Message);
        }
        var recorded = InKindDelivery.Record(pledge, DateOnly.FromDateTime(on), input.Description, value.Value, userId, Today());
        if (!recorded.Succeeded)
        {
            return Result<int>.From(recorded.Problem!);
        }
        var delivery = recorded.Value!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.InKindDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit("delivery.recorded", nameof(InKindDelivery), delivery.Id.ToString(CultureInfo.InvariantCulture), userId, now, pledge.OrganisationId,
            after: new { pledgeId, on = delivery.DeliveredOn, delivery.Description, value = delivery.Value.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<int>.Ok(delivery.Id);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
