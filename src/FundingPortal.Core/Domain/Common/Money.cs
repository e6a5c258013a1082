using System.Globalization;

namespace FundingPortal.Core.Domain;

/// <summary>
/// An amount of money: a whole number of minor units (cents, pence; yen have none) and an ISO 4217 currency.
/// Never floating point. Arithmetic refuses to mix currencies.
/// </summary>
public readonly record struct Money
{
    /// <summary>The largest amount the portal accepts in one figure: a trillion major units is not a real pledge.</summary>
    public const long MaxMinorUnits = 1_000_000_000_000_00;

    public Money(long minorUnits, string currency)
    {
        if (!Domain.Currency.IsKnown(currency))
        {
            throw new ArgumentException($"'{currency}' is not a currency the portal accepts.", nameof(currency));
        }
        MinorUnits = minorUnits;
        Currency = currency;
    }

    public long MinorUnits { get; }

    public string Currency { get; }

    public static Money Zero(string currency) => new(0, currency);

    /// <summary>
    /// Reads what a person typed ("1,250.50", "500") as an amount in <paramref name="currency"/>.
    /// Refuses amounts that are not positive, too large, or more precise than the currency allows.
    /// </summary>
    public static Result<Money> ParsePositive(string? text, string? currency)
    {
        if (!Domain.Currency.IsKnown(currency))
        {
            return Result<Money>.Invalid("currency", $"'{currency}' is not a currency the portal accepts.");
        }
        if (string.IsNullOrWhiteSpace(text) ||
            !decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var major))
        {
            return Result<Money>.Invalid("amount", "Enter an amount such as 1250.50.");
        }
        return FromMajorPositive(major, currency!);
    }

    /// <summary>Turns a decimal amount in major units into money, refusing what cannot be stored exactly.</summary>
    public static Result<Money> FromMajorPositive(decimal major, string currency)
    {
        var exponent = Domain.Currency.Exponent(currency);
        if (major <= 0)
        {
            return Result<Money>.Invalid("amount", "The amount must be more than zero.");
        }
        var scaled = major * Pow10(exponent);
        if (scaled != decimal.Truncate(scaled))
        {
            return Result<Money>.Invalid("amount", exponent == 0
                ? $"{currency} has no minor unit: enter a whole amount."
                : $"{currency} has {exponent} decimal places at most.");
        }
        if (scaled > MaxMinorUnits)
        {
            return Result<Money>.Invalid("amount", "The amount is too large.");
        }
        return Result<Money>.Ok(new Money((long)scaled, currency));
    }

    /// <summary>
    /// This amount in <paramref name="target"/> at <paramref name="rate"/> (target units per one unit of this currency), rounded half away
    /// from zero to the target's minor unit. The same currency converts only at 1.
    /// </summary>
    public Result<Money> ConvertTo(string target, decimal rate)
    {
        if (!Domain.Currency.IsKnown(target))
        {
            return Result<Money>.Invalid("currency", $"'{target}' is not a currency the portal accepts.");
        }
        if (target == Currency && rate != 1)
        {
            return Result<Money>.Invalid("rate", $"An amount in {Currency} converts to {target} at exactly 1.");
        }
        if (rate is <= 0 or > MaxExchangeRate)
        {
            return Result<Money>.Invalid("rate", $"Enter a rate above 0 and at most {MaxExchangeRate:#,0}.");
        }
        var converted = decimal.Round(ToMajor() * rate * Pow10(Domain.Currency.Exponent(target)), MidpointRounding.AwayFromZero);
        if (decimal.Abs(converted) > MaxMinorUnits)
        {
            return Result<Money>.Invalid("amount", "The converted amount is too large.");
        }
        return Result<Money>.Ok(new Money((long)converted, target));
    }

    /// <summary>No real pair of currencies is further apart than this (one unit of the strongest buys a few hundred thousand of the weakest).</summary>
    public const decimal MaxExchangeRate = 1_000_000m;

    public decimal ToMajor() => MinorUnits / (decimal)Pow10(Domain.Currency.Exponent(Currency));

    public static Money operator +(Money left, Money right) => new(checked(left.MinorUnits + SameCurrency(left, right).MinorUnits), left.Currency);

    public static Money operator -(Money left, Money right) => new(checked(left.MinorUnits - SameCurrency(left, right).MinorUnits), left.Currency);

    public static Money operator -(Money value) => new(checked(-value.MinorUnits), value.Currency);

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public Money Negate() => -this;

    public override string ToString()
    {
        var exponent = Domain.Currency.Exponent(Currency);
        var format = exponent == 0 ? "#,0" : "#,0." + new string('0', exponent);
        return $"{ToMajor().ToString(format, CultureInfo.InvariantCulture)} {Currency}";
    }

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");

    private static long Pow10(int exponent)
    {
        long value = 1;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }
}
