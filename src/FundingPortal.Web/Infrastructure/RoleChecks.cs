using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// Role checks for handlers, read from the database. Pages and endpoints also carry an authorization policy; handlers check again
/// so a handler called from anywhere refuses a user without the role.
/// </summary>
public static class RoleChecks
{
    public static Task<bool> IsReviewerAsync(this AppDbContext db, string userId, CancellationToken cancellationToken = default) =>
        db.HasRoleAsync(userId, [Roles.Reviewer, Roles.Admin], cancellationToken);

    /// <summary>An admin who has set up a second factor (the Admin policy also wants it used at sign-in).</summary>
    public static async Task<bool> IsAdminAsync(this AppDbContext db, string userId, CancellationToken cancellationToken = default) =>
        await db.HasRoleAsync(userId, [Roles.Admin], cancellationToken)
        && await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, cancellationToken);

    private static Task<bool> HasRoleAsync(this AppDbContext db, string userId, string[] roles, CancellationToken cancellationToken) =>
        (from userRole in db.UserRoles
         join role in db.Roles on userRole.RoleId equals role.Id
         where userRole.UserId == userId && roles.Contains(role.Name!)
         select userRole).AnyAsync(cancellationToken);
}
