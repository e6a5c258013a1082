namespace FundingPortal.Core.Domain;

public enum CiProviderKind
{
    GitHubActions,
    GitLabCi,
    CircleCi,
    AppVeyor,
    Buildkite,
    AzurePipelines,
    SelfHosted,
    Other,
}

public enum CiRounding
{
    /// <summary>Each job's minutes are rounded up to a whole minute (GitHub Actions).</summary>
    PerJobUpToMinute,

    /// <summary>Minutes are summed and only the total is rounded.</summary>
    PerTotal,
}

public enum RunnerOs
{
    Linux,
    Windows,
    MacOs,
    Other,
}

/// <summary>A CI service the devops group pays for (or runs itself), with its price book.</summary>
public class CiProvider
{
    private readonly List<CiRunnerPrice> _prices = [];

    private CiProvider()
    {
    }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public CiProviderKind Kind { get; private set; }

    public CiRounding Rounding { get; private set; }

    public int IncludedMinutesPerMonth { get; private set; }

    public string Currency { get; private set; } = "USD";

    /// <summary>For self-hosted runners: what hosting costs per month, spread over runner-hours.</summary>
    public long MonthlyHostingCostMinor { get; private set; }

    public IReadOnlyList<CiRunnerPrice> Prices => _prices;

    public static CiProvider Create(string name, CiProviderKind kind, CiRounding rounding, int includedMinutesPerMonth, string currency) => new()
    {
        Name = name,
        Kind = kind,
        Rounding = rounding,
        IncludedMinutesPerMonth = includedMinutesPerMonth,
        Currency = currency,
    };

    public void SetHostingCost(Money perMonth) => MonthlyHostingCostMinor = perMonth.MinorUnits;

    public CiRunnerPrice AddPrice(string runnerType, RunnerOs os, decimal pricePerMinute, decimal multiplier, DateOnly validFrom)
    {
        var price = new CiRunnerPrice(runnerType, os, pricePerMinute, multiplier, validFrom);
        _prices.Add(price);
        return price;
    }

    /// <summary>
    /// A price for a credit-based provider (CircleCI): a runner type burns credits per minute and a credit costs money.
    /// The per-minute price is derived from both, so code that only knows minutes still prices the job.
    /// </summary>
    public CiRunnerPrice AddCreditPrice(string runnerType, RunnerOs os, int creditsPerMinute, decimal pricePerCredit, DateOnly validFrom)
    {
        var price = new CiRunnerPrice(runnerType, os, creditsPerMinute * pricePerCredit, 1m, validFrom, pricePerCredit);
        _prices.Add(price);
        return price;
    }
}

/// <summary>
/// A per-minute list price for one runner type from a date on. Prices are fractions of a cent, so they are decimals,
/// never floating point. The multiplier says how fast included minutes are used; it is not applied to money.
/// </summary>
public class CiRunnerPrice
{
    internal CiRunnerPrice(string runnerType, RunnerOs os, decimal pricePerMinute, decimal multiplier, DateOnly validFrom, decimal pricePerCredit = 0)
    {
        RunnerType = runnerType;
        Os = os;
        PricePerMinute = pricePerMinute;
        Multiplier = multiplier;
        ValidFrom = validFrom;
        PricePerCredit = pricePerCredit;
    }

    public int Id { get; private set; }

    public int ProviderId { get; private set; }

    public string RunnerType { get; private set; }

    public RunnerOs Os { get; private set; }

    public decimal PricePerMinute { get; private set; }

    public decimal Multiplier { get; private set; }

    /// <summary>For credit-based providers (CircleCI): the price of one credit; zero elsewhere.</summary>
    public decimal PricePerCredit { get; private set; }

    public DateOnly ValidFrom { get; private set; }
}

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

/// <summary>
/// The monthly roll-up of CI usage: one row per provider, UTC month, project, job, status, retry flag and currency,
/// kept up to date by every import and rollback so reports never scan the usage records.
/// </summary>
public class CiUsageMonth
{
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
}

public enum ImportFormat
{
    GitHubActionsCsv,
    GitHubActionsEnhancedCsv,
    GitLabJobsJson,
    CircleCiUsageCsv,
    GenericCsv,
}

public enum ImportBatchStatus
{
    Running,
    Completed,
    Failed,
    RolledBack,
}

/// <summary>One imported file or API sync. The file's hash is unique, so the same file is never imported twice.</summary>
public class ImportBatch
{
    private readonly List<ImportRejection> _rejections = [];

    private ImportBatch()
    {
    }

    public int Id { get; private set; }

    public int? ProviderId { get; private set; }

    public ImportFormat Format { get; private set; }

    public string FileName { get; private set; } = "";

    public string FileSha256 { get; private set; } = "";

    public int RowsRead { get; private set; }

    public int RowsImported { get; private set; }

    public int RowsRejected { get; private set; }

    public ImportBatchStatus Status { get; private set; }

    public string? ImportedByUserId { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    /// <summary>Rows whose job was already stored by an earlier batch (overlapping exports): counted, not stored again.</summary>
    public int RowsAlreadyStored { get; private set; }

    /// <summary>Rows that are not build minutes (storage, gigabyte-hours): counted and left out of the usage records.</summary>
    public int RowsNotMinutes { get; private set; }

    /// <summary>Why a failed batch imported nothing (wrong format, missing column, unreadable file).</summary>
    public string? FailureReason { get; private set; }

    public IReadOnlyList<ImportRejection> Rejections => _rejections;

    public static ImportBatch Start(int? providerId, ImportFormat format, string fileName, string sha256, string? userId, DateTime now) => new()
    {
        ProviderId = providerId,
        Format = format,
        FileName = fileName,
        FileSha256 = sha256,
        ImportedByUserId = userId,
        StartedAt = now,
        Status = ImportBatchStatus.Running,
    };

    public void Reject(int line, string reason)
    {
        _rejections.Add(new ImportRejection(line, reason));
        RowsRejected++;
    }

    public void Complete(int rowsRead, int rowsImported, DateTime now)
    {
        RowsRead = rowsRead;
        RowsImported = rowsImported;
        Status = ImportBatchStatus.Completed;
        FinishedAt = now;
    }

    /// <summary>Completes an import whose rejections were written straight to the database (so a huge file's list is never held in memory).</summary>
    public void Complete(int rowsRead, int rowsImported, int rowsRejected, int rowsAlreadyStored, int rowsNotMinutes, DateTime now)
    {
        if (Status != ImportBatchStatus.Running)
        {
            throw new InvalidOperationException($"A {Status} batch cannot complete.");
        }
        RowsRejected = rowsRejected;
        RowsAlreadyStored = rowsAlreadyStored;
        RowsNotMinutes = rowsNotMinutes;
        Complete(rowsRead, rowsImported, now);
    }

    /// <summary>A batch that imported nothing, kept so the person who uploaded the file can read why.</summary>
    public void Fail(string reason, int rowsRead, DateTime now)
    {
        if (Status != ImportBatchStatus.Running)
        {
            throw new InvalidOperationException($"A {Status} batch cannot fail.");
        }
        FailureReason = reason.Length > 1000 ? reason[..1000] : reason;
        RowsRead = rowsRead;
        RowsImported = 0;
        Status = ImportBatchStatus.Failed;
        FinishedAt = now;
    }

    public void RollBack(DateTime now)
    {
        if (Status != ImportBatchStatus.Completed)
        {
            throw new InvalidOperationException($"Only a completed batch can be rolled back; this one is {Status}.");
        }
        Status = ImportBatchStatus.RolledBack;
        FinishedAt = now;
    }
}

public class ImportRejection
{
    internal ImportRejection(int line, string reason)
    {
        Line = line;
        Reason = reason;
    }

    public long Id { get; private set; }

    public int BatchId { get; private set; }

    public int Line { get; private set; }

    /// <summary>A rejection written on its own, outside the batch's list (imports stream them to the database in chunks).</summary>
    public static ImportRejection For(int batchId, int line, string reason) =>
        new(line, reason.Length > 1000 ? reason[..1000] : reason) { BatchId = batchId };

    public string Reason { get; private set; }
}

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

    public static CreditPool Create(int providerId, string name, long credits, int? pledgeId, DateOnly startsOn, DateOnly? expiresOn) => new()
    {
        ProviderId = providerId,
        Name = name,
        Credits = credits,
        PledgeId = pledgeId,
        StartsOn = startsOn,
        ExpiresOn = expiresOn,
    };
}

/// <summary>Planned spend per provider (or per fund) for one month, with the share of it that raises a warning.</summary>
public class Budget
{
    private Budget()
    {
    }

    public int Id { get; private set; }

    public int? ProviderId { get; private set; }

    public int? FundId { get; private set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public int AlertThresholdPercent { get; private set; }

    public static Budget ForProvider(int providerId, DateOnly month, Money amount, int alertThresholdPercent) => new()
    {
        ProviderId = providerId,
        Month = new DateOnly(month.Year, month.Month, 1),
        AmountMinor = amount.MinorUnits,
        Currency = amount.Currency,
        AlertThresholdPercent = alertThresholdPercent,
    };
}
