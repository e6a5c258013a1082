using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// The demo admin's authenticator key, fixed and printed at start so a newcomer reaches the admin pages without an authenticator app.
/// Development only: demo data seeded in any other environment leaves the admin without a key (asked to set one up), and the
/// <c>totp</c> verb refuses outside Development.
/// </summary>
public static class DemoAuthenticator
{
    public const string AdminEmail = "admin@demo.fundingportal.local";

    /// <summary>Base32, as authenticator apps take it. Public on purpose: it protects nothing but a demo database.</summary>
    public const string AdminKey = "FUNDINGPORTALDEMOADMINKEYONLY234";

    /// <summary>Gives <paramref name="user"/> the known key and switches two-factor sign-in on.</summary>
    public static async Task GiveKnownKeyAsync(UserManager<ApplicationUser> users, IUserStore<ApplicationUser> store, ApplicationUser user)
    {
        await ((IUserAuthenticatorKeyStore<ApplicationUser>)store).SetAuthenticatorKeyAsync(user, AdminKey, CancellationToken.None);
        Must(await users.SetTwoFactorEnabledAsync(user, true));
    }

    private static void Must(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
