using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class MoneyTests
{
    [Theory]
    [InlineData("1250.50", "USD", 125050)]
    [InlineData("1,250.5", "EUR", 125050)]
    [InlineData("500", "JPY", 500)]
    [InlineData("1.234", "KWD", 1234)]
    public void Parses_amounts_into_minor_units_of_the_currency(string text, string currency, long minorUnits)
    {
        var result = Money.ParsePositive(text, currency);

        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.Equal(new Money(minorUnits, currency), result.Value);
    }

    [Theory]
    [InlineData("0", "USD", "more than zero")]
    [InlineData("-5", "USD", "more than zero")]
    [InlineData("12.345", "USD", "2 decimal places")]
    [InlineData("500.5", "JPY", "no minor unit")]
    [InlineData("2000000000000", "USD", "too large")]
    [InlineData("lots", "USD", "Enter an amount")]
    [InlineData("", "USD", "Enter an amount")]
    public void Refuses_amounts_that_cannot_be_stored_exactly(string text, string currency, string reason)
    {
        var result = Money.ParsePositive(text, currency);

        Assert.False(result.Succeeded);
        Assert.Equal("amount", result.Problem!.Field);
        Assert.Contains(reason, result.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_unknown_currency_on_the_currency_field()
    {
        var result = Money.ParsePositive("10", "XYZ");

        Assert.Equal("currency", result.Problem!.Field);
    }

    [Fact]
    public void Does_not_mix_currencies()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(100, "USD") + new Money(100, "EUR"));
    }

    [Fact]
    public void Adds_and_subtracts_in_minor_units()
    {
        var total = new Money(1999, "USD") + new Money(1, "USD") - new Money(500, "USD");

        Assert.Equal(new Money(1500, "USD"), total);
        Assert.Equal(-1500, (-total).MinorUnits);
    }

    [Theory]
    [InlineData(123456, "USD", "1,234.56 USD")]
    [InlineData(500, "JPY", "500 JPY")]
    [InlineData(1001, "BHD", "1.001 BHD")]
    public void Shows_the_currency_own_number_of_decimals(long minorUnits, string currency, string shown)
    {
        Assert.Equal(shown, new Money(minorUnits, currency).ToString());
    }

    [Property]
    public Property Any_positive_amount_survives_a_round_trip_through_major_units()
    {
        var currencies = Gen.Elements(Currency.Codes.ToArray());
        var amounts = Gen.Choose(1, int.MaxValue).Select(i => (long)i * 7);
        return Prop.ForAll(Arb.From(currencies), Arb.From(amounts), (currency, minor) =>
        {
            var money = new Money(minor, currency);
            return Money.FromMajorPositive(money.ToMajor(), currency).Value == money;
        });
    }

    [Property]
    public Property Adding_then_subtracting_gives_back_the_original(int a, int b)
    {
        var left = new Money(a, "EUR");
        var right = new Money(b, "EUR");
        return (left + right - right == left).ToProperty();
    }
}
