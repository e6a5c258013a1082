namespace FundingPortal.Core.Domain;

public enum RunnerOs
{
    Linux,
    Windows,
    MacOs,
    Other,
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
