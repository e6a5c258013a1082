using FundingPortal.Web.Features.Organisations;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Features.Administration;

/// <summary>
/// The <c>create-admin</c> verb: makes a confirmed account with the Admin role, or grants the role to an existing account.
/// The admin is asked to set up two-factor authentication at first sign-in.
/// </summary>
public sealed class CreateAdmin(UserManager<ApplicationUser> users, AppDbContext db, TimeProvider clock)
{
    public async Task<CommandResult> RunAsync(string email, string password)
    {
        if (!OrganisationInput.IsEmail(email))
        {
            return new(false, $"--email '{email}' is not an email address.");
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0] };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return new(false, $"--password: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }
        }
        if (await users.IsInRoleAsync(user, Roles.Admin))
        {
            return new(true, $"{email} is already an admin.");
        }
        var granted = await users.AddToRoleAsync(user, Roles.Admin);
        if (!granted.Succeeded)
        {
            return new(false, string.Join(" ", granted.Errors.Select(e => e.Description)));
        }
        db.Audit("user.role-granted", nameof(ApplicationUser), user.Id, userId: null, clock.GetUtcNow().UtcDateTime, after: new { role = Roles.Admin, via = "create-admin" });
        await db.SaveChangesAsync();
        return new(true, $"{email} is an admin. At first sign-in they will be asked to set up an authenticator app.");
    }
}
