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

    public void SetHostingCost(Money perMonth) => MonthlyHostingCostMinor = perMonth.MinorUnits;

    public const int MaxIncludedMinutes = 10_000_000;

    /// <summary>A provider an admin adds, checked field by field.</summary>
    public static Result<CiProvider> New(string? name, CiProviderKind kind, CiRounding rounding, int includedMinutesPerMonth, string? currency)
    {
        var provider = new CiProvider { Kind = kind };
        var changed = provider.Configure(name, rounding, includedMinutesPerMonth, currency);
        return changed.Map(_ => provider);
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
