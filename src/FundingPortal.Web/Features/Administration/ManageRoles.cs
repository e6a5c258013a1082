using FundingPortal.Web.Infrastructure.Sessions;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Features.Administration;

public sealed record UserRow(string Id, string DisplayName, string Email, bool EmailConfirmed, bool TwoFactorEnabled, bool LockedOut, IReadOnlyList<string> Roles);

/// <summary>
/// Admins list accounts, grant or take away the Admin and Reviewer roles, and end a person's sessions. The caller's own Admin role is
/// read from the database each time. Taking a role away ends every session of that person, so it counts at once. Every change is audited.
/// </summary>
public sealed class ManageRoles(Handlers handlers, IServiceScopeFactory scopes)
{
    public const int PageSize = 50;

    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins (signed in with their second factor) manage accounts.");

    public Task<Result<(IReadOnlyList<UserRow> Rows, int Total)>> ListAsync(string? search, int page, string adminUserId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(adminUserId, Admins, async scope =>
        {
            var db = scope.Db;
            var query = db.Users.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(search))
            {
                var term = search.Trim().ToUpperInvariant();
                query = query.Where(u => u.NormalizedEmail!.Contains(term));
            }
            var total = await query.CountAsync(cancellationToken);
            var now = scope.Now;
            var users = await query.OrderBy(u => u.NormalizedEmail).Skip(Math.Max(0, page) * PageSize).Take(PageSize)
                .Select(u => new
                {
                    u.Id,
                    u.DisplayName,
                    u.Email,
                    u.EmailConfirmed,
                    u.TwoFactorEnabled,
                    u.LockoutEnd,
                    Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                })
                .ToListAsync(cancellationToken);
            return Result<(IReadOnlyList<UserRow>, int)>.Ok(
                (users.Select(u => new UserRow(u.Id, u.DisplayName, u.Email ?? "", u.EmailConfirmed, u.TwoFactorEnabled, u.LockoutEnd > now, u.Roles)).ToList(), total));
        }, cancellationToken);

    /// <summary>Signs a person out on every device (an admin's answer to a lost laptop or a leaving member).</summary>
    public Task<Result<int>> EndSessionsAsync(string userId, string adminUserId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(adminUserId, Admins, async scope =>
        {
            if (!await scope.Db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
            {
                return Result<int>.NotFound("The account");
            }
            await using var services = scopes.CreateAsyncScope();
            return Result<int>.Ok(await services.ServiceProvider.GetRequiredService<UserSessions>().EndAllAsync(userId, adminUserId, cancellationToken));
        }, cancellationToken);

    public async Task<Result<string>> SetRoleAsync(string userId, string role, bool grant, string adminUserId, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(role))
        {
            return Result<string>.Invalid("role", $"'{role}' is not a role.");
        }
        if (!grant && role == Roles.Admin && userId == adminUserId)
        {
            return Result<string>.Conflict("You cannot take the Admin role from yourself; ask another admin.");
        }
        return await handlers.RunAsync(adminUserId, Admins, scope => ChangeRoleAsync(userId, role, grant, scope, cancellationToken), cancellationToken);
    }

    private async Task<Result<string>> ChangeRoleAsync(string userId, string role, bool grant, HandlerScope caller, CancellationToken cancellationToken)
    {
        var adminUserId = caller.UserId;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Result<string>.NotFound("The account");
        }
        if (await users.IsInRoleAsync(user, role) == grant)
        {
            return Result<string>.Ok(user.Email ?? userId);
        }
        var changed = grant ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        if (!changed.Succeeded)
        {
            return Result<string>.Conflict(string.Join(" ", changed.Errors.Select(e => e.Description)));
        }
        // A new security stamp makes every cookie of the person re-read its roles on the next request; a demotion also ends their
        // sessions, so nothing keeps working on the old role (an open page's circuit included).
        await users.UpdateSecurityStampAsync(user);
        if (!grant)
        {
            await scope.ServiceProvider.GetRequiredService<UserSessions>().EndAllAsync(user.Id, adminUserId, cancellationToken);
        }
        caller.Db.Audit(grant ? "user.role-granted" : "user.role-revoked", nameof(ApplicationUser), user.Id, adminUserId, caller.Now,
            before: new { role, had = !grant }, after: new { role, has = grant });
        await caller.Db.SaveChangesAsync(cancellationToken);
        return Result<string>.Ok(user.Email ?? userId);
    }
}
