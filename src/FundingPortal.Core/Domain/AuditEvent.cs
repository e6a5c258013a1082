namespace FundingPortal.Core.Domain;

/// <summary>Who changed what and when, with the values before and after (as JSON). Written in the same transaction as the change.</summary>
public class AuditEvent
{
    private AuditEvent()
    {
    }

    public long Id { get; private set; }

    public DateTime At { get; private set; }

    public string? UserId { get; private set; }

    /// <summary>A dotted name such as <c>organisation.member-removed</c> or <c>user.role-granted</c>.</summary>
    public string Action { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    public int? OrganisationId { get; private set; }

    public string? Before { get; private set; }

    public string? After { get; private set; }

    public static AuditEvent Record(string action, string entityType, string entityId, string? userId, DateTime at, int? organisationId = null, string? before = null, string? after = null) => new()
    {
        Action = action,
        EntityType = entityType,
        EntityId = entityId,
        UserId = userId,
        At = at,
        OrganisationId = organisationId,
        Before = before,
        After = after,
    };
}

/// <summary>A token for scripts calling <c>/api/</c>. Shown once; only its SHA-256 hash is stored.</summary>
public class ApiToken
{
    private ApiToken()
    {
    }

    public int Id { get; private set; }

    public string UserId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string TokenHash { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public static ApiToken Create(string userId, string name, string tokenHash, DateTime now) => new()
    {
        UserId = userId,
        Name = name,
        TokenHash = tokenHash,
        CreatedAt = now,
    };

    public void MarkUsed(DateTime now) => LastUsedAt = now;

    public void Revoke(DateTime now) => RevokedAt = now;
}

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

/// <summary>A portal setting an admin can change (key and value); every change is audited.</summary>
public class PortalSetting
{
    private PortalSetting()
    {
    }

    public string Key { get; private set; } = "";

    public string Value { get; private set; } = "";

    public static PortalSetting Create(string key, string value) => new() { Key = key, Value = value };

    public void Change(string value) => Value = value;
}
