using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Administration;

public sealed record ApiTokenRow(int Id, string Name, string UserEmail, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>
/// API tokens for scripts (the admin page and the <c>create-api-token</c> verb). A new token is shown once; only its hash is stored.
/// </summary>
public sealed class ManageApiTokens(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public const int NameMaxLength = 100;

    /// <param name="createdByUserId">The admin creating it on the page (checked), or null for the <c>create-api-token</c> verb run on the server.</param>
    public async Task<Result<string>> CreateAsync(string email, string name, string? createdByUserId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (createdByUserId is not null && !await db.IsAdminAsync(createdByUserId, cancellationToken))
        {
            return Result<string>.Forbidden(OnlyAdmins);
        }
        name = name.Trim();
        if (name.Length is 0 or > NameMaxLength)
        {
            return Result<string>.Invalid("name", $"The token's name must be 1 to {NameMaxLength} characters.");
        }
        var normalized = email.Trim().ToUpperInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            return Result<string>.Invalid("email", $"No account uses '{email}'.");
        }
        var token = SecretToken.New(ApiTokenAuthenticationHandler.Prefix);
        var now = clock.GetUtcNow().UtcDateTime;
        var apiToken = ApiToken.Create(user.Id, name, SecretToken.Hash(token), now);
        db.ApiTokens.Add(apiToken);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit("api-token.created", nameof(ApiToken), apiToken.Id.ToString(CultureInfo.InvariantCulture), createdByUserId, now, after: new { user = user.Email, name });
        await db.SaveChangesAsync(cancellationToken);
        return Result<string>.Ok(token);
    }

    public async Task<Result<IReadOnlyList<ApiTokenRow>>> ListAsync(string adminUserId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsAdminAsync(adminUserId, cancellationToken))
        {
            return Result<IReadOnlyList<ApiTokenRow>>.Forbidden(OnlyAdmins);
        }
        return Result<IReadOnlyList<ApiTokenRow>>.Ok(await db.ApiTokens.AsNoTracking()
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenRow(t.Id, t.Name, db.Users.Where(u => u.Id == t.UserId).Select(u => u.Email!).First(), t.CreatedAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(cancellationToken));
    }

    public async Task<Result<int>> RevokeAsync(int tokenId, string adminUserId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsAdminAsync(adminUserId, cancellationToken))
        {
            return Result<int>.Forbidden(OnlyAdmins);
        }
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return Result<int>.NotFound("The API token");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        token.Revoke(now);
        db.Audit("api-token.revoked", nameof(ApiToken), token.Id.ToString(CultureInfo.InvariantCulture), adminUserId, now, before: new { token.Name });
        await db.SaveChangesAsync(cancellationToken);
        return Result<int>.Ok(token.Id);
    }

    private const string OnlyAdmins = "Only admins (signed in with their second factor) manage API tokens.";
}
