namespace FundingPortal.Core.Domain;

public sealed record CiJobRun(
    int ProviderId,
    int BatchId,
    string ExternalId,
    string Project,
    string? Pipeline,
    string JobName,
    string? RunnerType,
    RunnerOs Os,
    DateTime StartedAt,
    DateTime? FinishedAt,
    long DurationSeconds,
    decimal RawMinutes,
    decimal QuotaMinutes,
    long ListAmountMicros,
    long PaidAmountMicros,
    string Currency,
    CiJobStatus Status,
    string? ProviderStatus,
    bool IsRetry,
    decimal Credits = 0);
