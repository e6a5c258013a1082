using System.Security.Claims;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Infrastructure.Sessions;

/// <summary>
/// Identity's sign-in, except that a password sign-in on a machine the person chose to remember at their second factor counts as a
/// two-factor sign-in: the remembered machine is the second factor. (Identity marks it "pwd", which kept admins out of admin pages
/// and told them to set up an authenticator they already had.)
/// </summary>
public sealed class PortalSignInManager(
    UserManager<ApplicationUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation)
    : SignInManager<ApplicationUser>(users, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    protected override async Task<SignInResult> SignInOrTwoFactorAsync(ApplicationUser user, bool isPersistent, string? loginProvider = null, bool bypassTwoFactor = false)
    {
        if (!bypassTwoFactor && loginProvider is null && await UserManager.GetTwoFactorEnabledAsync(user) && await IsTwoFactorClientRememberedAsync(user))
        {
            await SignInWithClaimsAsync(user, isPersistent, [new Claim(IdentitySetup.MultiFactorClaim, IdentitySetup.MultiFactorValue)]);
            return SignInResult.Success;
        }
        return await base.SignInOrTwoFactorAsync(user, isPersistent, loginProvider, bypassTwoFactor);
    }
}
