namespace FundingPortal.Core.Domain;

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

    /// <summary>A provider's budget for a month as an admin enters it.</summary>
    public static Result<Budget> Plan(int providerId, DateOnly month, Money amount, int alertThresholdPercent)
    {
        var budget = new Budget { ProviderId = providerId, Month = new DateOnly(month.Year, month.Month, 1) };
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
