using FundingPortal.Web.Features.FollowUp;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>What differs between reviewing hours and reviewing deliveries: the rows, the sentences and the audit record.</summary>
/// <param name="Rules">Reviewers only; the sentence for a lost race (the item or its period changed at the same moment).</param>
/// <param name="What">The item as "not found" names it: "The time entry".</param>
/// <param name="Stale">What the reviewer is told when the item moved on since they loaded the list.</param>
/// <param name="PeriodGone">What the reviewer is told when the installment it was recorded on no longer exists.</param>
/// <param name="Action">The audit action's prefix: "time-entry" gives "time-entry.confirmed" and "time-entry.rejected".</param>
/// <param name="After">The audit event's after-state.</param>
public sealed record InKindReview<T>(HandlerRules Rules, string What, Func<AppDbContext, DbSet<T>> Items, Func<T, string> Stale, string PeriodGone,
    string Action, Func<T, Pledge, object> After)
    where T : DeliveredInKind<T>;

/// <summary>
/// The one review of something delivered in kind (<see cref="ReviewTimeEntries"/>, <see cref="ReviewDeliveries"/> name what differs in an
/// <see cref="InKindReview{T}"/>): a reviewer confirms it, which counts it on its installment and settles the pledge, or rejects it with a
/// reason. The item's version guards against two reviewers acting at once (the second is told; it counts once).
/// </summary>
public abstract class ReviewInKind<T>(Handlers handlers)
    where T : DeliveredInKind<T>
{
    public const int QueueSize = 500;

    protected abstract InKindReview<T> Review { get; }

    /// <param name="expectedVersion">The version the reviewer saw; when given and the item moved on since, the reviewer is told.</param>
    public Task<Result<int>> ConfirmAsync(int id, string userId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(id, userId, expectedVersion, (item, installment, now) => item.Confirm(installment!, userId, now), confirming: true, cancellationToken);

    public Task<Result<int>> RejectAsync(int id, string? reason, string userId, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ReviewAsync(id, userId, expectedVersion, (item, _, now) => item.Reject(userId, reason, now), confirming: false, cancellationToken);

    /// <summary>
    /// The reviewer's queue, under the same rules as the review: what still waits for one, at most <see cref="QueueSize"/> rows, shaped
    /// (joined, ordered, projected) by <paramref name="rows"/>.
    /// </summary>
    protected Task<Result<IReadOnlyList<TRow>>> QueueRowsAsync<TRow>(string userId, Func<AppDbContext, IQueryable<T>, IQueryable<TRow>> rows,
        CancellationToken cancellationToken) =>
        handlers.RunAsync(userId, Review.Rules, async scope =>
        {
            var waiting = Review.Items(scope.Db).AsNoTracking().Where(i => i.Status == ConfirmationStatus.Submitted);
            return Result<IReadOnlyList<TRow>>.Ok(await rows(scope.Db, waiting).Take(QueueSize).ToListAsync(cancellationToken));
        }, cancellationToken);

    private Task<Result<int>> ReviewAsync(int id, string userId, int? expectedVersion, Func<T, Installment?, DateTime, Result<T>> act, bool confirming,
        CancellationToken cancellationToken) =>
        handlers.RunAsync(userId, Review.Rules, async scope =>
        {
            var db = scope.Db;
            var item = await Review.Items(db).SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
            if (item is null)
            {
                return Result<int>.NotFound(Review.What);
            }
            if (expectedVersion is { } version && version != item.Version)
            {
                return Result<int>.Conflict(Review.Stale(item));
            }
            var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == item.PledgeId, cancellationToken);
            var installment = pledge.Installments.SingleOrDefault(i => i.Id == item.InstallmentId);
            if (confirming && installment is null)
            {
                return Result<int>.Conflict(Review.PeriodGone);
            }
            var reviewed = act(item, installment, scope.Now);
            if (!reviewed.Succeeded)
            {
                return reviewed.Problem!;
            }
            if (confirming)
            {
                var settings = await FollowUpSettings.ReadAsync(db, cancellationToken);
                settings.Settle(pledge, scope.Today, scope.Now);
            }
            db.Audit($"{Review.Action}.{(confirming ? "confirmed" : "rejected")}", typeof(T).Name, item.Id.ToString(CultureInfo.InvariantCulture), userId,
                scope.Now, pledge.OrganisationId, new { status = nameof(ConfirmationStatus.Submitted) }, Review.After(item, pledge));
            await db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(item.Id);
        }, cancellationToken);
}
