using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Administration;

public sealed record UserRow(string Id, string DisplayName, string Email, bool EmailConfirmed, bool TwoFactorEnabled, bool LockedOut, IReadOnlyList<string> Roles);

/// <summary>Admins list accounts and grant or take away the Admin and Reviewer roles. Every change is audited.</summary>
public sealed class ManageRoles(IDbContextFactory<AppDbContext> contexts, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int PageSize = 50;

    public async Task<(IReadOnlyList<UserRow> Rows, int Total)> ListAsync(string? search, int page, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(term));
        }
        var total = await query.CountAsync(cancellationToken);
        var now = clock.GetUtcNow();
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
        return (users.Select(u => new UserRow(u.Id, u.DisplayName, u.Email ?? "", u.EmailConfirmed, u.TwoFactorEnabled, u.LockoutEnd > now, u.Roles)).ToList(), total);
    }

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
        // A new security stamp signs the person out of other sessions, so the new role takes effect everywhere.
        await users.UpdateSecurityStampAsync(user);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Audit(grant ? "user.role-granted" : "user.role-revoked", nameof(ApplicationUser), user.Id, adminUserId, clock.GetUtcNow().UtcDateTime,
            before: new { role, had = !grant }, after: new { role, has = grant });
        await db.SaveChangesAsync(cancellationToken);
        return Result<string>.Ok(user.Email ?? userId);
    }
}
