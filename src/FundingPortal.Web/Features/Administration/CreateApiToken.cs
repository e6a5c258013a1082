using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Features.Administration;

/// <summary>The <c>create-api-token</c> verb (and the admin page): a new token for a user, shown once, stored as a hash.</summary>
public sealed class CreateApiToken(UserManager<ApplicationUser> users, AppDbContext db, TimeProvider clock)
{
    public const int NameMaxLength = 100;

    public async Task<CommandResult> RunAsync(string email, string name, string? createdByUserId = null)
    {
        name = name.Trim();
        if (name.Length is 0 or > NameMaxLength)
        {
            return new(false, $"--name must be 1 to {NameMaxLength} characters.");
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return new(false, $"--email: no account uses '{email}'.");
        }
        var token = SecretToken.New(ApiTokenAuthenticationHandler.Prefix);
        var now = clock.GetUtcNow().UtcDateTime;
        var apiToken = ApiToken.Create(user.Id, name, SecretToken.Hash(token), now);
        db.ApiTokens.Add(apiToken);
        await db.SaveChangesAsync();
        db.Audit("api-token.created", nameof(ApiToken), apiToken.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), createdByUserId, now, after: new { user = email, name });
        await db.SaveChangesAsync();
        return new(true, token);
    }
}
