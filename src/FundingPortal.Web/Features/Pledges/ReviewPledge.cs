using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Pledges;

public enum ReviewDecision
{
    Accept,
    Decline,
    RequestChanges,
}

/// <summary>
/// A reviewer accepts, declines or sends back a submitted pledge, always with a reason the sponsor reads. The page holds the
/// version it showed; if another reviewer acted since, this one is told what happened instead of overwriting it.
/// </summary>
public sealed class ReviewPledge(IDbContextFactory<AppDbContext> contexts, Handlers handlers, Mailer mailer)
{
    public const int ReasonMaxLength = 2000;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only the devops group's reviewers can review pledges.");

    public Task<Result<PledgeStatus>> DecideAsync(int pledgeId, ReviewDecision decision, int version, string? reason, string reviewerId,
        CancellationToken cancellationToken = default) =>
        handlers.RunAsync(reviewerId, Reviewers, scope => DecideAsync(pledgeId, decision, version, reason, scope, cancellationToken), cancellationToken);

    private async Task<Result<PledgeStatus>> DecideAsync(int pledgeId, ReviewDecision decision, int version, string? reason, HandlerScope scope,
        CancellationToken cancellationToken)
    {
        var (db, reviewerId, now) = scope;
        if (!Enum.IsDefined(decision))
        {
            return Result<PledgeStatus>.Invalid("decision", "Accept, decline or ask for changes.");
        }
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0)
        {
            return Result<PledgeStatus>.Invalid("reason", "Give a reason: the sponsor reads it.");
        }
        if (reason.Length > ReasonMaxLength)
        {
            return Result<PledgeStatus>.Invalid("reason", $"Keep the reason under {ReasonMaxLength} characters.");
        }
        var pledge = await db.Pledges.Include(p => p.Organisation).Include(p => p.Fund).ThenInclude(f => f!.Task)
            .SingleOrDefaultAsync(p => p.Id == pledgeId, cancellationToken);
        if (pledge is null)
        {
            return Result<PledgeStatus>.NotFound("The pledge");
        }
        if (pledge.Version != version)
        {
            return AlreadyActed(pledge.Status);
        }
        // Saved only if the row still has the version this reviewer saw, even if another reviewer saves between here and there.
        db.Entry(pledge).Property(p => p.Version).OriginalValue = version;
        var before = pledge.Status;
        var decided = decision switch
        {
            ReviewDecision.Accept => pledge.Accept(reviewerId, reason, now),
            ReviewDecision.Decline => pledge.Decline(reviewerId, reason, now),
            _ => pledge.RequestChanges(reviewerId, reason, now),
        };
        if (!decided.Succeeded)
        {
            return decided.Problem!;
        }
        var terms = PledgeTerms.Describe(pledge, FundName(pledge.Fund!));
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Audit(AuditAction(decision), nameof(Pledge), pledge.Id.ToString(CultureInfo.InvariantCulture), reviewerId, now, pledge.OrganisationId,
                new { status = before.ToString() }, new { status = pledge.Status.ToString(), reason, installments = pledge.Installments.Count });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Tell this reviewer what the other one decided, read afresh (this context still holds the state it failed to save).
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var current = await fresh.Pledges.Where(p => p.Id == pledgeId).Select(p => p.Status).SingleAsync(cancellationToken);
            return AlreadyActed(current);
        }
        await mailer.SendAsync(PledgeEmails.Reviewed(pledge.Organisation!, pledge.Status, terms, reason, pledge.AwaitsCardPayment), cancellationToken);
        return Result<PledgeStatus>.Ok(pledge.Status);
    }

    internal static string FundName(Fund fund) => fund.Kind == FundKind.Central ? "the central fund" : $"the task '{fund.Task?.Title ?? fund.Name}'";

    private static Result<PledgeStatus> AlreadyActed(PledgeStatus status) =>
        Result<PledgeStatus>.Conflict($"Another reviewer already acted on this pledge: it is now {Display.Words(status).ToLowerInvariant()}.");

    /// <summary>What a decision did, in words: "accepted", "sent back for changes", "declined".</summary>
    internal static string Decided(ReviewDecision decision) => decision switch
    {
        ReviewDecision.Accept => "accepted",
        ReviewDecision.RequestChanges => "sent back for changes",
        _ => "declined",
    };

    private static string AuditAction(ReviewDecision decision) => decision switch
    {
        ReviewDecision.Accept => "pledge.accepted",
        ReviewDecision.Decline => "pledge.declined",
        _ => "pledge.changes-requested",
    };
}
