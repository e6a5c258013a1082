namespace FundingPortal.Web.Features.CiCosts;

/// <summary>CI amounts are kept in millionths of the currency unit; people read them as money rounded to the currency's minor unit.</summary>
public static class CiAmounts
{
    public const long MicrosPerUnit = 1_000_000;

    /// <summary>Rounds half away from zero to the currency's minor unit (cents, or whole yen).</summary>
    public static Money ToMoney(long micros, string currency)
    {
        var perMinor = MicrosPerUnit;
        for (var i = 0; i < Currency.Exponent(currency); i++)
        {
            perMinor /= 10;
        }
        return new Money((long)decimal.Round(micros / (decimal)perMinor, MidpointRounding.AwayFromZero), currency);
    }

    /// <summary>A money amount in millionths, to compare with usage (budgets and bills are kept in minor units).</summary>
    public static long ToMicros(Money money)
    {
        var perMinor = MicrosPerUnit;
        for (var i = 0; i < Currency.Exponent(money.Currency); i++)
        {
            perMinor /= 10;
        }
        return checked(money.MinorUnits * perMinor);
    }
}
