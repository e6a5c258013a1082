namespace FundingPortal.Core.Domain;

/// <summary>CI credits given in kind or bought; CI usage draws them down.</summary>
public class CreditPool
{
    private CreditPool()
    {
    }

    public int Id { get; private set; }

    public int ProviderId { get; private set; }

    public string Name { get; private set; } = "";

    public long Credits { get; private set; }

    public int? PledgeId { get; private set; }

    public DateOnly StartsOn { get; private set; }

    public DateOnly? ExpiresOn { get; private set; }

    public const long MaxCredits = 1_000_000_000_000;

    /// <summary>
    /// A pool an admin opens, checked field by field. Its unit follows the provider: credits for CircleCI, quota minutes for every
    /// minute-based provider (see <see cref="UnitFor"/>).
    /// </summary>
    public static Result<CreditPool> Open(int providerId, string? name, long credits, int? pledgeId, DateOnly startsOn, DateOnly? expiresOn)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200)
        {
            return Result<CreditPool>.Invalid("name", "Enter a name for the pool (at most 200 characters).");
        }
        if (credits is <= 0 or > MaxCredits)
        {
            return Result<CreditPool>.Invalid("credits", $"The pool must hold between 1 and {MaxCredits:#,0}.");
        }
        if (expiresOn is { } end && end <= startsOn)
        {
            return Result<CreditPool>.Invalid("expiresOn", "The pool must expire after it starts.");
        }
        return Result<CreditPool>.Ok(new CreditPool
        {
            ProviderId = providerId,
            Name = trimmed,
            Credits = credits,
            PledgeId = pledgeId,
            StartsOn = startsOn,
            ExpiresOn = expiresOn,
        });
    }

    /// <summary>What a pool for this kind of provider counts: CircleCI bills credits, the others count (quota) minutes.</summary>
    public static CreditUnit UnitFor(CiProviderKind kind) => kind == CiProviderKind.CircleCi ? CreditUnit.Credits : CreditUnit.QuotaMinutes;
}

public enum CreditUnit
{
    Credits,
    QuotaMinutes,
}
