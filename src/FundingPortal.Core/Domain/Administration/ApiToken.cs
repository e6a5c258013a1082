namespace FundingPortal.Core.Domain;

/// <summary>A token for scripts calling <c>/api/</c>. Shown once; only its SHA-256 hash is stored.</summary>
public class ApiToken
{
    private ApiToken()
    {
    }

    public int Id { get; private set; }

    public string UserId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public string TokenHash { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public static ApiToken Create(string userId, string name, string tokenHash, DateTime now) => new()
    {
        UserId = userId,
        Name = name,
        TokenHash = tokenHash,
        CreatedAt = now,
    };

    public void MarkUsed(DateTime now) => LastUsedAt = now;

    public void Revoke(DateTime now) => RevokedAt = now;
}
