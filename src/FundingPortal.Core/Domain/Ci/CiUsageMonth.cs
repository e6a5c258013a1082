namespace FundingPortal.Core.Domain;

/// <summary>
/// The monthly roll-up of CI usage: one row per provider, UTC month, project, job, status, retry flag and currency,
/// kept up to date by every import and rollback so reports never scan the usage records.
/// </summary>
public class CiUsageMonth
{
    /// <summary>
    /// The most decimals a stored count of minutes has (a run keeps six); a sum of them has no more. SQLite sums decimals as doubles, so
    /// published sums are rounded back to this.
    /// </summary>
    public const int MinuteDecimals = 6;

    private CiUsageMonth()
    {
    }

    public long Id { get; private set; }

    public int ProviderId { get; private set; }

    /// <summary>The first day of the UTC month the runs started in.</summary>
    public DateOnly Month { get; private set; }

    public string Project { get; private set; } = "";

    public string JobName { get; private set; } = "";

    public CiJobStatus Status { get; private set; }

    public bool IsRetry { get; private set; }

    public string Currency { get; private set; } = "USD";

    public long Runs { get; private set; }

    public long DurationSeconds { get; private set; }

    public decimal RawMinutes { get; private set; }

    public decimal QuotaMinutes { get; private set; }

    public decimal Credits { get; private set; }

    public long ListAmountMicros { get; private set; }

    public long PaidAmountMicros { get; private set; }

    /// <summary>
    /// The longest run of the key, in seconds: the near-timeout report reads it instead of the records. Imports raise it; a
    /// rollback recomputes it from the runs that stay (a maximum cannot be subtracted).
    /// </summary>
    public long LongestDurationSeconds { get; private set; }
}
