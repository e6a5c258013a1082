using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Infrastructure.Sessions;

public sealed record SessionRow(string Id, string Device, string? Address, DateTime CreatedAt, DateTime LastSeenAt, bool Current);

/// <summary>
/// A person's signed-in sessions: listed on their account page, ended one at a time or all together ("sign out everywhere"), and ended by
/// an admin. Ending all of them also changes the security stamp, so a cookie made before cannot come back by any other way.
/// </summary>
public sealed class UserSessions(IDbContextFactory<AppDbContext> contexts, IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<IReadOnlyList<SessionRow>> ListAsync(string userId, string? currentSessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var sessions = await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId && (s.ExpiresAt == null || s.ExpiresAt > now))
            .OrderByDescending(s => s.LastSeenAt).Select(s => new { s.Id, s.UserAgent, s.Address, s.CreatedAt, s.LastSeenAt }).ToListAsync(cancellationToken);
        return sessions.Select(s => new SessionRow(s.Id, Device(s.UserAgent), s.Address, s.CreatedAt, s.LastSeenAt, s.Id == currentSessionId)).ToList();
    }

    /// <summary>Signs one of the person's own sessions out; another person's session id is simply not found.</summary>
    public async Task<Result<bool>> EndAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ended = await db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (ended == 0)
        {
            return Result<bool>.NotFound("The session");
        }
        db.Audit("user.session-ended", nameof(ApplicationUser), userId, userId, clock.GetUtcNow().UtcDateTime, after: new { sessions = 1 });
        await db.SaveChangesAsync(cancellationToken);
        return Result<bool>.Ok(true);
    }

    /// <summary>Signs a person out everywhere: every session row goes and the security stamp changes. <paramref name="actorId"/> is who asked.</summary>
    public async Task<int> EndAllAsync(string userId, string actorId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByIdAsync(userId) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ended = await db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        db.Audit("user.sessions-ended", nameof(ApplicationUser), userId, actorId, clock.GetUtcNow().UtcDateTime, after: new { sessions = ended });
        await db.SaveChangesAsync(cancellationToken);
        return ended;
    }

    /// <summary>A person-readable name for a browser from its User-Agent: "Firefox on Linux", never the whole string.</summary>
    public static string Device(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown device";
        }
        string? Find(params (string Token, string Name)[] known) =>
            known.FirstOrDefault(k => userAgent.Contains(k.Token, StringComparison.OrdinalIgnoreCase)).Name;
        var browser = Find(("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl"))
            ?? "A browser";
        var system = Find(("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"));
        return system is null ? browser : string.Create(CultureInfo.InvariantCulture, $"{browser} on {system}");
    }
}
