using System.Text.Json;

namespace FundingPortal.Core.Data;

/// <summary>Adds an audit event to the same unit of work as the change it describes, so both are saved or neither is.</summary>
public static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AuditEvent Audit(this AppDbContext db, string action, string entityType, string entityId, string? userId, DateTime at,
        int? organisationId = null, object? before = null, object? after = null)
    {
        var audit = AuditEvent.Record(action, entityType, entityId, userId, at, organisationId,
            before is null ? null : JsonSerializer.Serialize(before, Json),
            after is null ? null : JsonSerializer.Serialize(after, Json));
        db.AuditEvents.Add(audit);
        return audit;
    }
}
