namespace FundingPortal.Core.Domain;

public enum ConfirmationStatus
{
    Submitted,
    Confirmed,
    Rejected,
}

/// <summary>How one kind of thing delivered in kind words its review: "These hours were already confirmed.", who may not review what.</summary>
/// <param name="Subject">What the item is called in a sentence, with its verb: "These hours were", "This delivery was".</param>
/// <param name="ReviewingOwn">Why the person who recorded it may not review it.</param>
/// <param name="ReasonNeeded">What to say when a rejection comes without a reason.</param>
/// <param name="WrongInstallment">The bug when it is confirmed against another installment than the one it was recorded on.</param>
/// <param name="MayRejectOwn">Whether the person who recorded it may still reject it (take back their own mistake).</param>
public sealed record ReviewRules(string Subject, string ReviewingOwn, string ReasonNeeded, string WrongInstallment, bool MayRejectOwn = false);

/// <summary>
/// Something a sponsor delivered in kind — engineer hours (<see cref="TimeEntry"/>) or infrastructure (<see cref="InKindDelivery"/>) — that
/// counts against the installment it was recorded on once a reviewer other than the person who recorded it confirms it; a rejection
/// needs a reason the sponsor sees. The review rule is here once, for both.
/// </summary>
public abstract class DeliveredInKind<TSelf> : IVersioned
    where TSelf : DeliveredInKind<TSelf>
{
    public const int DescriptionMaxLength = 2000;

    public int Id { get; protected set; }

    public int PledgeId { get; protected set; }

    public int? InstallmentId { get; protected set; }

    public string Description { get; protected set; } = "";

    public ConfirmationStatus Status { get; protected set; }

    public string? RecordedByUserId { get; protected set; }

    public string? ReviewedByUserId { get; protected set; }

    public DateTime? ReviewedAt { get; protected set; }

    public string? RejectionReason { get; protected set; }

    public int Version { get; set; }

    protected abstract ReviewRules Rules { get; }

    /// <summary>Counts what was delivered on its installment (hours, or the stated value).</summary>
    protected abstract Result<Installment> CountOn(Installment installment);

    /// <summary>
    /// Completes a new item: it counts against the installment whose period holds <paramref name="day"/>, names who recorded it, and waits
    /// for review. <paramref name="noPeriod"/> is the refusal when the pledge has no such period (not accepted, or stopped).
    /// </summary>
    protected static Result<TSelf> Recorded(TSelf item, Pledge pledge, DateOnly day, string description, string userId, string noPeriod)
    {
        if (pledge.InstallmentFor(day) is not { } installment)
        {
            return Result<TSelf>.Conflict(noPeriod);
        }
        item.PledgeId = pledge.Id;
        item.InstallmentId = installment.Id;
        item.Description = description.Trim();
        item.RecordedByUserId = userId;
        item.Status = ConfirmationStatus.Submitted;
        return Result<TSelf>.Ok(item);
    }

    /// <summary>A reviewer other than the one who recorded it confirms it; it then counts against its installment.</summary>
    public Result<TSelf> Confirm(Installment installment, string reviewerId, DateTime now)
    {
        if (Refusal(reviewerId, mayBeOwn: false) is { } problem)
        {
            return problem;
        }
        if (installment.Id != InstallmentId)
        {
            throw new InvalidOperationException(Rules.WrongInstallment);
        }
        var counted = CountOn(installment);
        if (!counted.Succeeded)
        {
            return counted.Problem!;
        }
        Review(ConfirmationStatus.Confirmed, reviewerId, null, now);
        return Result<TSelf>.Ok((TSelf)this);
    }

    public Result<TSelf> Reject(string reviewerId, string? reason, DateTime now)
    {
        if (Refusal(reviewerId, mayBeOwn: Rules.MayRejectOwn) is { } problem)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Result<TSelf>.Invalid("reason", Rules.ReasonNeeded);
        }
        Review(ConfirmationStatus.Rejected, reviewerId, reason.Trim(), now);
        return Result<TSelf>.Ok((TSelf)this);
    }

    /// <summary>Why this reviewer may not review it now: it was reviewed already, or they recorded it themselves.</summary>
    private Problem? Refusal(string reviewerId, bool mayBeOwn)
    {
        if (Status != ConfirmationStatus.Submitted)
        {
            return Result<TSelf>.Conflict($"{Rules.Subject} already {Status.ToString().ToLowerInvariant()}.").Problem;
        }
        return !mayBeOwn && reviewerId == RecordedByUserId ? Result<TSelf>.Forbidden(Rules.ReviewingOwn).Problem : null;
    }

    private void Review(ConfirmationStatus status, string reviewerId, string? reason, DateTime now)
    {
        Status = status;
        ReviewedByUserId = reviewerId;
        RejectionReason = reason;
        ReviewedAt = now;
    }
}
