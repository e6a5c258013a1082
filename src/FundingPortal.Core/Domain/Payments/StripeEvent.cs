namespace FundingPortal.Core.Domain;

/// <summary>
/// A Stripe webhook event, stored by its id before it is applied so it is applied exactly once. Three states: waiting (not processed;
/// <see cref="LastError"/> says why the last try failed, and it is tried again), processed, and <see cref="NeedsReview"/> (processed
/// without effect because it can never be booked; <see cref="LastError"/> says why, until a person marks it reviewed).
/// </summary>
public class StripeEvent
{
    private StripeEvent()
    {
    }

    public string Id { get; private set; } = "";

    public string Type { get; private set; } = "";

    public string Payload { get; private set; } = "";

    public DateTime ReceivedAt { get; private set; }

    public DateTime? ProcessedAt { get; private set; }

    public string? LastError { get; private set; }

    public static StripeEvent Receive(string id, string type, string payload, DateTime now) => new()
    {
        Id = id,
        Type = type,
        Payload = payload,
        ReceivedAt = now,
    };

    public void MarkProcessed(DateTime now)
    {
        ProcessedAt = now;
        LastError = null;
    }

    public void MarkFailed(string error) => LastError = error;

    /// <summary>Processed, yet what it says could not be booked: not retried (Stripe gets its 2xx), but shown to a person.</summary>
    public bool NeedsReview => ProcessedAt is not null && LastError is not null;

    /// <summary>Closes an event that can never be booked (an amount or currency the books cannot hold), keeping the reason for review.</summary>
    public void MarkForReview(string reason, DateTime now)
    {
        ProcessedAt = now;
        LastError = reason;
    }

    /// <summary>A person has looked at an event that needed review; refused for any other event.</summary>
    public Result<string> MarkReviewed()
    {
        if (!NeedsReview)
        {
            return Result<string>.Conflict("This Stripe event does not need review.");
        }
        var reason = LastError!;
        LastError = null;
        return Result<string>.Ok(reason);
    }
}
