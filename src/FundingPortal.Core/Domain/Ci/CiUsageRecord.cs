namespace FundingPortal.Core.Domain;

public enum CiJobStatus
{
    Success,
    Failed,
    Cancelled,
    TimedOut,
    Skipped,
}

/// <summary>
/// One CI job run (or one provider usage row). Money is kept in millionths of the currency unit because CI prices are
/// fractions of a cent; raw minutes, quota minutes, list-price value and the amount actually paid stay separate.
/// </summary>
public class CiUsageRecord
{
    private CiUsageRecord()
    {
    }

    public long Id { get; private set; }

    public int ProviderId { get; private set; }

    public int BatchId { get; private set; }

    /// <summary>The provider's own id for the job, unique per provider, so overlapping exports store each job once.</summary>
    public string ExternalId { get; private set; } = "";

    public string Project { get; private set; } = "";

    public string? Pipeline { get; private set; }

    public string JobName { get; private set; } = "";

    public string? RunnerType { get; private set; }

    public RunnerOs Os { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public long DurationSeconds { get; private set; }

    public decimal RawMinutes { get; private set; }

    public decimal QuotaMinutes { get; private set; }

    public long ListAmountMicros { get; private set; }

    public long PaidAmountMicros { get; private set; }

    /// <summary>Credits the run used (CircleCI's TOTAL_CREDITS); zero for providers that bill minutes.</summary>
    public decimal Credits { get; private set; }

    public string Currency { get; private set; } = "USD";

    public CiJobStatus Status { get; private set; }

    public string? ProviderStatus { get; private set; }

    public bool IsRetry { get; private set; }

    public static CiUsageRecord Create(CiJobRun run) => new()
    {
        ProviderId = run.ProviderId,
        BatchId = run.BatchId,
        ExternalId = run.ExternalId,
        Project = run.Project,
        Pipeline = run.Pipeline,
        JobName = run.JobName,
        RunnerType = run.RunnerType,
        Os = run.Os,
        StartedAt = run.StartedAt,
        FinishedAt = run.FinishedAt,
        DurationSeconds = run.DurationSeconds,
        RawMinutes = run.RawMinutes,
        QuotaMinutes = run.QuotaMinutes,
        ListAmountMicros = run.ListAmountMicros,
        PaidAmountMicros = run.PaidAmountMicros,
        Credits = run.Credits,
        Currency = run.Currency,
        Status = run.Status,
        ProviderStatus = run.ProviderStatus,
        IsRetry = run.IsRetry,
    };
}
