namespace FundingPortal.Web.Features.Administration;

public sealed record ApiTokenRow(int Id, string Name, string UserEmail, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>
/// API tokens for scripts (the admin page and the <c>create-api-token</c> verb). A new token is shown once; only its hash is stored.
/// </summary>
public sealed class ManageApiTokens(Handlers handlers)
{
    public const int NameMaxLength = 100;

    private static readonly HandlerRules Admins = new(Caller.Admin, "Only admins (signed in with their second factor) manage API tokens.");

    /// <param name="createdByUserId">The admin creating it on the page (checked), or null for the <c>create-api-token</c> verb run on the server.</param>
    public Task<Result<string>> CreateAsync(string email, string name, string? createdByUserId, CancellationToken cancellationToken = default) =>
        createdByUserId is null
            ? handlers.RunOnServerAsync(scope => CreateAsync(email, name, scope, cancellationToken), cancellationToken)
            : handlers.RunAsync(createdByUserId, Admins, scope => CreateAsync(email, name, scope, cancellationToken), cancellationToken);

    private static async Task<Result<string>> CreateAsync(string email, string name, HandlerScope scope, CancellationToken cancellationToken)
    {
        var db = scope.Db;
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
        var apiToken = ApiToken.Create(user.Id, name, SecretToken.Hash(token), scope.Now);
        db.ApiTokens.Add(apiToken);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit("api-token.created", nameof(ApiToken), apiToken.Id.ToString(CultureInfo.InvariantCulture), scope.UserId.Length == 0 ? null : scope.UserId, scope.Now,
            after: new { user = user.Email, name });
        await db.SaveChangesAsync(cancellationToken);
        return Result<string>.Ok(token);
    }

    public Task<Result<IReadOnlyList<ApiTokenRow>>> ListAsync(string adminUserId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(adminUserId, Admins, async scope => Result<IReadOnlyList<ApiTokenRow>>.Ok(await scope.Db.ApiTokens.AsNoTracking()
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenRow(t.Id, t.Name, scope.Db.Users.Where(u => u.Id == t.UserId).Select(u => u.Email!).First(), t.CreatedAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(cancellationToken)), cancellationToken);

    public Task<Result<int>> RevokeAsync(int tokenId, string adminUserId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(adminUserId, Admins, async scope =>
        {
            var token = await scope.Db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
            if (token is null)
            {
                return Result<int>.NotFound("The API token");
            }
            token.Revoke(scope.Now);
            scope.Db.Audit("api-token.revoked", nameof(ApiToken), token.Id.ToString(CultureInfo.InvariantCulture), adminUserId, scope.Now, before: new { token.Name });
            await scope.Db.SaveChangesAsync(cancellationToken);
            return Result<int>.Ok(token.Id);
        }, cancellationToken);
}
