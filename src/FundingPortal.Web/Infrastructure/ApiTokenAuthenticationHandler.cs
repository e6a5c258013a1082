using System.Security.Claims;
using System.Text.Encodings.Web;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// Authenticates <c>Authorization: Bearer fp_…</c> on <c>/api/</c> calls. Tokens are random; only their SHA-256 is stored,
/// so comparing hashes is enough and a stolen database copy holds no usable token.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AppDbContext db,
    UserManager<ApplicationUser> users,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string Prefix = "fp_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = SecretToken.Hash(header["Bearer ".Length..].Trim());
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("The API token is not valid.");
        }
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("The API token's user cannot sign in.");
        }
        token.MarkUsed(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(Context.RequestAborted);

        List<Claim> claims = [new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.UserName ?? user.Id), new("api_token", token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        claims.AddRange((await users.GetRolesAsync(user)).Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
