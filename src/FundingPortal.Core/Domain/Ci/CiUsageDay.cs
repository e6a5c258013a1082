namespace FundingPortal.Core.Domain;

/// <summary>
/// The daily roll-up of what CI usage draws from credit pools: one row per provider and UTC day, kept by every import and
/// rollback like <see cref="CiUsageMonth"/>, so a pool's burn rate over the last days never scans the usage records.
/// </summary>
public class CiUsageDay
{
    private CiUsageDay()
    {
    }

    public long Id { get; private set; }

    public int ProviderId { get; private set; }

    /// <summary>The UTC day the runs started on.</summary>
    public DateOnly Day { get; private set; }

    public long Runs { get; private set; }

    public decimal QuotaMinutes { get; private set; }

    public decimal Credits { get; private set; }
}
