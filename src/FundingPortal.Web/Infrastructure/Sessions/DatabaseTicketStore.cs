using System.Security.Claims;
using System.Security.Cryptography;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace FundingPortal.Web.Infrastructure.Sessions;

/// <summary>
/// Keeps sign-in sessions in the database (<see cref="UserSession"/>): the cookie carries only a random key, so signing out, "sign out
/// everywhere" or an admin ending a session deletes the row and the cookie stops working at once, on every instance. The ticket carries
/// the key as a claim (<see cref="SessionClaim"/>), so pages know which session is the current one.
/// </summary>
public sealed class DatabaseTicketStore(IDbContextFactory<AppDbContext> contexts, TimeProvider clock) : ITicketStore
{
    public const string SessionClaim = "fp_session";

    /// <summary>How stale "last seen" may get before a request writes it again (a write per request would be wasted).</summary>
    public static readonly TimeSpan LastSeenPrecision = TimeSpan.FromMinutes(1);

    private const string RetrievedItem = "fp_session_ticket";

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null!, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        WithKey(ticket, key);
        var userId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("A session is for a signed-in person; the ticket names nobody.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(UserSession.Start(key, userId, TicketSerializer.Default.Serialize(ticket), ticket.Properties.ExpiresUtc?.UtcDateTime,
            httpContext?.Request.Headers.UserAgent.ToString(), httpContext?.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, null!, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        WithKey(ticket, key);
        var now = clock.GetUtcNow().UtcDateTime;
        // The security stamp check renews the cookie on every request; write only when the claims changed or "last seen" went stale.
        if (httpContext?.Items[RetrievedItem] is (AuthenticationTicket before, DateTime lastSeen)
            && SameClaims(before.Principal, ticket.Principal) && now - lastSeen < LastSeenPrecision)
        {
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await db.UserSessions.SingleOrDefaultAsync(s => s.Id == key, cancellationToken);
        if (session is null)
        {
            return;
        }
        session.Renew(TicketSerializer.Default.Serialize(ticket), ticket.Properties.ExpiresUtc?.UtcDateTime, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, null!, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await db.UserSessions.AsNoTracking().Where(s => s.Id == key).Select(s => new { s.Ticket, s.LastSeenAt, s.ExpiresAt })
            .SingleOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (session is null || session.ExpiresAt < now)
        {
            return null;
        }
        var ticket = TicketSerializer.Default.Deserialize(session.Ticket);
        if (ticket is not null && httpContext is not null)
        {
            httpContext.Items[RetrievedItem] = (ticket, session.LastSeenAt);
        }
        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, null!, CancellationToken.None);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync(cancellationToken);
    }

    private static void WithKey(AuthenticationTicket ticket, string key)
    {
        var identity = ticket.Principal.Identities.First();
        if (identity.FindFirst(SessionClaim) is { } old)
        {
            identity.RemoveClaim(old);
        }
        identity.AddClaim(new Claim(SessionClaim, key));
    }

    private static bool SameClaims(ClaimsPrincipal before, ClaimsPrincipal after) =>
        before.Claims.Select(c => (c.Type, c.Value)).Order().SequenceEqual(after.Claims.Select(c => (c.Type, c.Value)).Order());
}
