namespace FundingPortal.Web.Features.Payments;

/// <summary>A Stripe event closed without booking because its amount or currency can never be booked.</summary>
public sealed record StripeEventForReview(string Id, string Type, DateTime ReceivedAt, string Reason);

/// <summary>
/// The Stripe events that need a person: Stripe said money moved, but in an amount or currency the books cannot hold (0, negative, an
/// unknown currency). They were answered 2xx so Stripe stops sending them, booked nothing, and wait here, on the reconciliation page,
/// until an admin has looked into them in Stripe's dashboard and marks them reviewed. The audit trail records both steps.
/// </summary>
public sealed class ReviewStripeEvents(Handlers handlers)
{
    /// <summary>The most listed at once, newest first.</summary>
    public const int Limit = 100;

    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins review Stripe events.");

    public Task<Result<IReadOnlyList<StripeEventForReview>>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Admins, async scope =>
        {
            // The NeedsReview state, spelled out so it runs in SQL.
            var events = await scope.Db.StripeEvents.AsNoTracking().Where(e => e.ProcessedAt != null && e.LastError != null)
                .OrderByDescending(e => e.ReceivedAt).Take(Limit)
                .Select(e => new StripeEventForReview(e.Id, e.Type, e.ReceivedAt, e.LastError!))
                .ToListAsync(cancellationToken);
            return Result<IReadOnlyList<StripeEventForReview>>.Ok(events);
        }, cancellationToken);

    public Task<Result<bool>> MarkReviewedAsync(string eventId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Admins, scope => MarkAsync(scope, eventId, cancellationToken), cancellationToken);

    private static async Task<Result<bool>> MarkAsync(HandlerScope scope, string eventId, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var stored = await db.StripeEvents.SingleOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (stored is null)
        {
            return Result<bool>.NotFound("The Stripe event");
        }
        var reviewed = stored.MarkReviewed();
        if (!reviewed.Succeeded)
        {
            return reviewed.Problem!;
        }
        db.Audit("stripe.event-reviewed", nameof(StripeEvent), stored.Id, scope.UserId, scope.Now, null,
            new { reason = reviewed.Value }, new { reviewed = true });
        await db.SaveChangesAsync(cancellationToken);
        return Result<bool>.Ok(true);
    }
}
