namespace FundingPortal.Web.Features.Administration;

public sealed record AuditRow(long Id, DateTime At, string Who, string Action, string Entity, string? Before, string? After);

/// <summary>The audit trail for reviewers and admins, newest first, a page at a time.</summary>
public sealed class AuditLog(Handlers handlers)
{
    public const int PageSize = 50;

    private static readonly HandlerRules Readers = new(Caller.Reviewer, "Only reviewers and admins read the audit trail.");

    public Task<Result<(IReadOnlyList<AuditRow> Rows, int Total)>> PageAsync(string? action, int page, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Readers, async scope =>
        {
            var db = scope.Db;
            var query = db.AuditEvents.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(action))
            {
                query = query.Where(a => a.Action.StartsWith(action.Trim()));
            }
            var total = await query.CountAsync(cancellationToken);
            var rows = await query.OrderByDescending(a => a.Id).Skip(Math.Max(0, page) * PageSize).Take(PageSize)
                .Select(a => new AuditRow(a.Id, a.At,
                    a.UserId == null ? "system" : db.Users.Where(u => u.Id == a.UserId).Select(u => u.Email).FirstOrDefault() ?? a.UserId,
                    a.Action, a.EntityType + " " + a.EntityId, a.Before, a.After))
                .ToListAsync(cancellationToken);
            return Result<(IReadOnlyList<AuditRow>, int)>.Ok((rows, total));
        }, cancellationToken);
}
