using System.Collections.Frozen;

namespace FundingPortal.Core.Domain;

/// <summary>
/// The ISO 4217 currencies the portal accepts, with the number of digits after the decimal point
/// ("exponent") each one uses. Amounts are stored in minor units, so the exponent is what turns
/// <c>500</c> into $5.00 or ¥500.
/// </summary>
public static class Currency
{
    private static readonly FrozenDictionary<string, int> Exponents = new Dictionary<string, int>
    {
        ["USD"] = 2,
        ["EUR"] = 2,
        ["GBP"] = 2,
        ["CHF"] = 2,
        ["CAD"] = 2,
        ["AUD"] = 2,
        ["NZD"] = 2,
        ["SEK"] = 2,
        ["NOK"] = 2,
        ["DKK"] = 2,
        ["PLN"] = 2,
        ["CZK"] = 2,
        ["INR"] = 2,
        ["CNY"] = 2,
        ["SGD"] = 2,
        ["HKD"] = 2,
        ["BRL"] = 2,
        ["MXN"] = 2,
        ["ZAR"] = 2,
        ["ILS"] = 2,
        ["JPY"] = 0,
        ["KRW"] = 0,
        ["ISK"] = 0,
        ["CLP"] = 0,
        ["VND"] = 0,
        ["HUF"] = 2,
        ["BHD"] = 3,
        ["KWD"] = 3,
        ["JOD"] = 3,
        ["OMR"] = 3,
        ["TND"] = 3,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> Codes => Exponents.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && Exponents.ContainsKey(code);

    /// <summary>Digits after the decimal point for <paramref name="code"/>; throws for an unknown code.</summary>
    public static int Exponent(string code) =>
        Exponents.TryGetValue(code, out var exponent)
            ? exponent
            : throw new ArgumentException($"'{code}' is not a currency the portal accepts.", nameof(code));
}
