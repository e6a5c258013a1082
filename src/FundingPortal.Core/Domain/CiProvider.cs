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

    public const int MaxIncludedMinutes = 10_000_000;

    /// <summary>A provider an admin adds, checked field by field.</summary>
    public static Result<CiProvider> New(string? name, CiProviderKind kind, CiRounding rounding, int includedMinutesPerMonth, string? currency)
    {
        var provider = new CiProvider { Kind = kind };
        var changed = provider.Configure(name, rounding, includedMinutesPerMonth, currency);
        return changed.Succeeded ? Result<CiProvider>.Ok(provider) : Result<CiProvider>.From(changed.Problem!);
    }

    /// <summary>Changes what the price book says about the provider as a whole. The currency stays once usage may be priced in it.</summary>
    public Result<CiProvider> Configure(string? name, CiRounding rounding, int includedMinutesPerMonth, string? currency)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            return Result<CiProvider>.Invalid("name", "Enter the provider's name (at most 100 characters).");
        }
        if (!Enum.IsDefined(rounding))
        {
            return Result<CiProvider>.Invalid("rounding", "Pick a rounding rule.");
        }
        if (includedMinutesPerMonth is < 0 or > MaxIncludedMinutes)
        {
            return Result<CiProvider>.Invalid("includedMinutesPerMonth", $"Included minutes must be between 0 and {MaxIncludedMinutes:#,0} a month.");
        }
        if (!Domain.Currency.IsKnown(currency))
        {
            return Result<CiProvider>.Invalid("currency", $"'{currency}' is not a currency the portal accepts.");
        }
        Name = trimmed;
        Rounding = rounding;
        IncludedMinutesPerMonth = includedMinutesPerMonth;
        Currency = currency!;
        return Result<CiProvider>.Ok(this);
    }

    /// <summary>What self-hosted runners cost a month (machines, power, hosting); zero for providers that send a bill.</summary>
    public Result<Money> ChangeHostingCost(Money perMonth)
    {
        if (perMonth.Currency != Currency)
        {
            return Result<Money>.Invalid("hostingCost", $"Enter the hosting cost in {Currency}, the provider's currency.");
        }
        if (perMonth.MinorUnits < 0 || perMonth.MinorUnits > Money.MaxMinorUnits)
        {
            return Result<Money>.Invalid("hostingCost", "The hosting cost cannot be negative.");
        }
        MonthlyHostingCostMinor = perMonth.MinorUnits;
        return Result<Money>.Ok(perMonth);
    }

    /// <summary>A per-minute list price an admin enters; refused when out of range or when the runner type already has a price from that date.</summary>
    public Result<CiRunnerPrice> AddListPrice(string? runnerType, RunnerOs os, decimal pricePerMinute, decimal multiplier, DateOnly validFrom)
    {
        if (CheckPrice(runnerType, os, validFrom) is { } problem)
        {
            return Result<CiRunnerPrice>.From(problem);
        }
        if (pricePerMinute is < 0 or > MaxPricePerMinute || decimal.Round(pricePerMinute, 6) != pricePerMinute)
        {
            return Result<CiRunnerPrice>.Invalid("pricePerMinute", $"The price per minute must be between 0 and {MaxPricePerMinute} with at most 6 decimal places.");
        }
        if (multiplier is <= 0 or > 100)
        {
            return Result<CiRunnerPrice>.Invalid("multiplier", "The multiplier must be more than 0 and at most 100.");
        }
        return Result<CiRunnerPrice>.Ok(AddPrice(runnerType!.Trim(), os, pricePerMinute, multiplier, validFrom));
    }

    /// <summary>A credit price an admin enters for a credit-based provider (credits burnt per minute × price of a credit).</summary>
    public Result<CiRunnerPrice> AddCreditListPrice(string? runnerType, RunnerOs os, int creditsPerMinute, decimal pricePerCredit, DateOnly validFrom)
    {
        if (CheckPrice(runnerType, os, validFrom) is { } problem)
        {
            return Result<CiRunnerPrice>.From(problem);
        }
        if (creditsPerMinute is <= 0 or > 100_000)
        {
            return Result<CiRunnerPrice>.Invalid("creditsPerMinute", "Credits per minute must be between 1 and 100,000.");
        }
        if (pricePerCredit is <= 0 or > 1m || decimal.Round(pricePerCredit, 8) != pricePerCredit)
        {
            return Result<CiRunnerPrice>.Invalid("pricePerCredit", "The price of a credit must be more than 0 and at most 1 with at most 8 decimal places.");
        }
        if (creditsPerMinute * pricePerCredit > MaxPricePerMinute)
        {
            return Result<CiRunnerPrice>.Invalid("creditsPerMinute", $"That makes a minute cost more than {MaxPricePerMinute}.");
        }
        return Result<CiRunnerPrice>.Ok(AddCreditPrice(runnerType!.Trim(), os, creditsPerMinute, pricePerCredit, validFrom));
    }

    /// <summary>No hosted runner costs more than this a minute; a larger figure is a typing mistake (a monthly price, say).</summary>
    public const decimal MaxPricePerMinute = 100m;

    private Problem? CheckPrice(string? runnerType, RunnerOs os, DateOnly validFrom)
    {
        var trimmed = runnerType?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            return new Problem(ProblemKind.Invalid, "runnerType", "Enter the runner type (at most 100 characters), e.g. ubuntu-latest.");
        }
        if (!Enum.IsDefined(os))
        {
            return new Problem(ProblemKind.Invalid, "os", "Pick the runner's operating system.");
        }
        if (validFrom.Year < 2000)
        {
            return new Problem(ProblemKind.Invalid, "validFrom", "Enter the date the price applies from.");
        }
        return _prices.Any(p => p.RunnerType == trimmed && p.ValidFrom == validFrom)
            ? new Problem(ProblemKind.Conflict, "validFrom", $"{trimmed} already has a price from {validFrom:yyyy-MM-dd}.")
            : null;
    }

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
        return Result<CreditPool>.Ok(Create(providerId, trimmed, credits, pledgeId, startsOn, expiresOn));
    }

    /// <summary>What a pool for this kind of provider counts: CircleCI bills credits, the others count (quota) minutes.</summary>
    public static CreditUnit UnitFor(CiProviderKind kind) => kind == CiProviderKind.CircleCi ? CreditUnit.Credits : CreditUnit.QuotaMinutes;
}

public enum CreditUnit
{
    Credits,
    QuotaMinutes,
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

    /// <summary>A provider's budget for a month as an admin enters it.</summary>
    public static Result<Budget> Plan(int providerId, DateOnly month, Money amount, int alertThresholdPercent)
    {
        var budget = ForProvider(providerId, month, amount, alertThresholdPercent);
        var changed = budget.Change(amount, alertThresholdPercent);
        return changed.Succeeded ? Result<Budget>.Ok(budget) : changed;
    }

    public Result<Budget> Change(Money amount, int alertThresholdPercent)
    {
        if (amount.MinorUnits <= 0)
        {
            return Result<Budget>.Invalid("amount", "The budget must be more than zero.");
        }
        if (alertThresholdPercent is < 1 or > 100)
        {
            return Result<Budget>.Invalid("alertThresholdPercent", "The alert threshold must be a percentage between 1 and 100.");
        }
        AmountMinor = amount.MinorUnits;
        Currency = amount.Currency;
        AlertThresholdPercent = alertThresholdPercent;
        return Result<Budget>.Ok(this);
    }
}

/// <summary>
/// The time limit a job runs under (GitLab's job timeout, GitHub's <c>timeout-minutes</c>), so the reports can show jobs that
/// come close to it. Without one the reports take the longest timed-out run of the job as its limit.
/// </summary>
public class CiJobTimeout
{
    public const int MaxMinutes = 7 * 24 * 60;

    private CiJobTimeout()
    {
    }

    public int Id { get; private set; }

    public int ProviderId { get; private set; }

    public string Project { get; private set; } = "";

    public string JobName { get; private set; } = "";

    public int TimeoutMinutes { get; private set; }

    public static Result<CiJobTimeout> Create(int providerId, string? project, string? jobName, int timeoutMinutes)
    {
        var projectName = project?.Trim() ?? "";
        var job = jobName?.Trim() ?? "";
        if (projectName.Length is 0 or > 200)
        {
            return Result<CiJobTimeout>.Invalid("project", "Enter the project as the usage shows it (at most 200 characters).");
        }
        if (job.Length is 0 or > 200)
        {
            return Result<CiJobTimeout>.Invalid("jobName", "Enter the job name as the usage shows it (at most 200 characters).");
        }
        var timeout = new CiJobTimeout { ProviderId = providerId, Project = projectName, JobName = job };
        var changed = timeout.Change(timeoutMinutes);
        return changed.Succeeded ? Result<CiJobTimeout>.Ok(timeout) : changed;
    }

    public Result<CiJobTimeout> Change(int timeoutMinutes)
    {
        if (timeoutMinutes is < 1 or > MaxMinutes)
        {
            return Result<CiJobTimeout>.Invalid("timeoutMinutes", $"The timeout must be between 1 and {MaxMinutes:#,0} minutes.");
        }
        TimeoutMinutes = timeoutMinutes;
        return Result<CiJobTimeout>.Ok(this);
    }
}
