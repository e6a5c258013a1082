namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// Role checks for handlers, read from the database at the moment of use: every reviewer and admin handler calls one of these, so a
/// role taken away counts at once, whatever the caller's cookie or circuit still says. Pages and endpoints also carry an authorization
/// policy (checked against a cookie revalidated on every request).
/// </summary>
public static class RoleChecks
{
    /// <summary>A reviewer, or an admin who has set up a second factor (powers that come from the Admin role need it everywhere).</summary>
    public static async Task<bool> IsReviewerAsync(this AppDbContext db, string userId, CancellationToken cancellationToken = default) =>
        await db.HasRoleAsync(userId, [Roles.Reviewer], cancellationToken) || await db.IsAdminAsync(userId, cancellationToken);

    /// <summary>An admin who has set up a second factor (the Admin policy also wants it used at sign-in).</summary>
    public static async Task<bool> IsAdminAsync(this AppDbContext db, string userId, CancellationToken cancellationToken = default) =>
        await db.HasRoleAsync(userId, [Roles.Admin], cancellationToken)
        && await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, cancellationToken);

    /// <summary>True when the user may run a handler that asks for <paramref name="caller"/>.</summary>
    public static async Task<bool> IsAllowedAsync(this AppDbContext db, string userId, Caller caller, CancellationToken cancellationToken = default) =>
        caller switch
        {
            Caller.SignedIn => !string.IsNullOrEmpty(userId),
            Caller.Reviewer => await db.IsReviewerAsync(userId, cancellationToken),
            Caller.Admin => await db.IsAdminAsync(userId, cancellationToken),
            _ => false,
        };

    private static Task<bool> HasRoleAsync(this AppDbContext db, string userId, string[] roles, CancellationToken cancellationToken) =>
        (from userRole in db.UserRoles
         join role in db.Roles on userRole.RoleId equals role.Id
         where userRole.UserId == userId && roles.Contains(role.Name!)
         select userRole).AnyAsync(cancellationToken);
}
