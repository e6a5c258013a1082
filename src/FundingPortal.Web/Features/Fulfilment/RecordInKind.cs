using FundingPortal.Web.Features.Organisations;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>
/// The recording side of things delivered in kind, shared by <see cref="LogHours"/> and <see cref="RecordDelivery"/>: who may see and record
/// on a pledge, the pledge as its page shows it, and saving a new item with its audit event.
/// </summary>
internal static class RecordInKind
{
    /// <summary>Any signed-in user; what they may touch is then scoped to their organisations' pledges.</summary>
    public static readonly HandlerRules Members = new(Caller.SignedIn, "Sign in first.");

    /// <summary>The pledge belongs to the organisation and the user is one of its members; anything else reads as "not found".</summary>
    public static async Task<bool> IsMembersPledgeAsync(AppDbContext db, int organisationId, int pledgeId, string userId, CancellationToken cancellationToken) =>
        await db.ForMemberAsync(organisationId, userId, cancellationToken) is not null
        && await db.Pledges.AnyAsync(p => p.Id == pledgeId && p.OrganisationId == organisationId, cancellationToken);

    /// <summary>The member's pledge as its hours or deliveries page shows it; null when it is not one of theirs.</summary>
    public static async Task<PledgeFulfilmentView?> MembersPledgeAsync(HandlerScope scope, int organisationId, int pledgeId, string baseCurrency,
        CancellationToken cancellationToken) =>
        await IsMembersPledgeAsync(scope.Db, organisationId, pledgeId, scope.UserId, cancellationToken)
            ? await PledgeFulfilment.LoadAsync(scope.Db, pledgeId, scope.Today, baseCurrency, cancellationToken)
            : null;

    /// <summary>Saves a new item and the audit event naming it in one transaction.</summary>
    public static async Task<Result<int>> AddAsync<T>(HandlerScope scope, T item, string action, int organisationId, object after,
        CancellationToken cancellationToken)
        where T : DeliveredInKind<T>
    {
        var db = scope.Db;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<T>().Add(item);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit(action, typeof(T).Name, item.Id.ToString(CultureInfo.InvariantCulture), scope.UserId, scope.Now, organisationId, after: after);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<int>.Ok(item.Id);
    }
}
