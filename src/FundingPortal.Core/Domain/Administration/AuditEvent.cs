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
