namespace FundingPortal.Core.Domain;

/// <summary>What one run costs by the price book: raw minutes, quota minutes and the list price in micros, kept apart.</summary>
public readonly record struct CiRunCost(decimal RawMinutes, decimal QuotaMinutes, long ListAmountMicros, CiRunnerPrice? Price);

/// <summary>
/// Prices runs from a provider's price book where an export carries no money (GitLab jobs, CircleCI credits, generic CSV rows
/// without a cost). The price is the one valid on the run's (UTC) day for its runner type, else for its operating system.
/// The multiplier only says how fast included minutes are used: it gives quota minutes and never touches money.
/// </summary>
public sealed class CiPriceBook
{
    public const decimal MicrosPerUnit = 1_000_000m;

    private readonly Dictionary<string, CiRunnerPrice[]> _byRunner;
    private readonly Dictionary<RunnerOs, CiRunnerPrice[]> _byOs;
    private readonly Dictionary<(string, RunnerOs, DateOnly), CiRunnerPrice?> _found = [];

    public CiPriceBook(CiProvider provider)
    {
        Provider = provider;
        _byRunner = provider.Prices.GroupBy(p => p.RunnerType, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ValidFrom).ToArray(), StringComparer.OrdinalIgnoreCase);
        _byOs = provider.Prices.GroupBy(p => p.Os).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ValidFrom).ToArray());
    }

    public CiProvider Provider { get; }

    /// <summary>The price valid on <paramref name="day"/> for the runner type, else the cheapest for the operating system; null when none applies.</summary>
    public CiRunnerPrice? PriceFor(string? runnerType, RunnerOs os, DateOnly day)
    {
        // A million-row import asks for a few runner types on a few hundred days: answer each question once.
        var key = (runnerType ?? "", os, day);
        if (!_found.TryGetValue(key, out var price))
        {
            price = Find(runnerType, os, day);
            _found[key] = price;
        }
        return price;
    }

    private CiRunnerPrice? Find(string? runnerType, RunnerOs os, DateOnly day)
    {
        if (runnerType is not null && _byRunner.TryGetValue(runnerType, out var exact) && Array.Find(exact, p => p.ValidFrom <= day) is { } price)
        {
            return price;
        }
        if (!_byOs.TryGetValue(os, out var sameOs))
        {
            return null;
        }
        // Several runner types of one OS: the one whose latest valid price is cheapest (the standard runner) is the safest guess.
        return sameOs.Where(p => p.ValidFrom <= day).GroupBy(p => p.RunnerType, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First()).OrderBy(p => p.PricePerMinute).FirstOrDefault();
    }

    /// <summary>The minutes a run is billed for under the provider's rounding rule.</summary>
    public static decimal BilledMinutes(long durationSeconds, CiRounding rounding) => rounding == CiRounding.PerJobUpToMinute
        ? decimal.Ceiling(durationSeconds / 60m)
        : decimal.Round(durationSeconds / 60m, 4, MidpointRounding.AwayFromZero);

    /// <summary>Prices a run by its duration. Without a price the minutes are still counted and the money is zero.</summary>
    public CiRunCost PriceRun(long durationSeconds, string? runnerType, RunnerOs os, DateOnly day)
    {
        var raw = BilledMinutes(durationSeconds, Provider.Rounding);
        var price = PriceFor(runnerType, os, day);
        if (price is null)
        {
            return Provider.MonthlyHostingCostMinor > 0
                ? new CiRunCost(raw, 0, ToMicros(raw * HostingPricePerMinute(Provider, day)), null)
                : new CiRunCost(raw, raw, 0, null);
        }
        return new CiRunCost(raw, raw * price.Multiplier, ToMicros(raw * price.PricePerMinute), price);
    }

    /// <summary>Prices credits (CircleCI) at the credit price valid on the day; zero when the book has no credit price.</summary>
    public long PriceCredits(decimal credits, string? runnerType, RunnerOs os, DateOnly day)
    {
        var price = PriceFor(runnerType, os, day);
        var perCredit = price is { PricePerCredit: > 0 } ? price.PricePerCredit : CreditPriceOn(day);
        return ToMicros(credits * perCredit);
    }

    /// <summary>The provider's credit price valid on the day, whatever the runner (plans price credits, not runners).</summary>
    public decimal CreditPriceOn(DateOnly day) => Provider.Prices.Where(p => p.PricePerCredit > 0 && p.ValidFrom <= day)
        .OrderByDescending(p => p.ValidFrom).Select(p => p.PricePerCredit).FirstOrDefault();

    /// <summary>
    /// A self-hosted runner's monthly hosting bill spread over the runner-minutes of that month (one machine running the whole
    /// month), so a runner-minute carries its share of the bill.
    /// </summary>
    public static decimal HostingPricePerMinute(CiProvider provider, DateOnly day)
    {
        var minutes = DateTime.DaysInMonth(day.Year, day.Month) * 24m * 60m;
        return provider.MonthlyHostingCostMinor / 100m / minutes;
    }

    public static long ToMicros(decimal amount) => (long)decimal.Round(amount * MicrosPerUnit, 0, MidpointRounding.AwayFromZero);
}
