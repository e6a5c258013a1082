using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class CiPriceTests
{
    [Fact]
    public void A_credit_price_keeps_the_credit_price_and_derives_the_price_of_a_minute()
    {
        var provider = CiProvider.New("CircleCI", CiProviderKind.CircleCi, CiRounding.PerTotal, 0, "USD").Value!;

        var price = provider.AddCreditPrice("large", RunnerOs.Linux, creditsPerMinute: 20, pricePerCredit: 0.0006m, new DateOnly(2025, 1, 1));

        Assert.Equal(0.0006m, price.PricePerCredit);
        Assert.Equal(0.012m, price.PricePerMinute);
        Assert.Equal(1m, price.Multiplier);
    }

    [Fact]
    public void A_minute_price_has_no_credit_price()
    {
        var provider = CiProvider.New("GitHub Actions", CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, 2_000, "USD").Value!;

        var price = provider.AddPrice("ubuntu-latest", RunnerOs.Linux, 0.008m, 1m, new DateOnly(2025, 1, 1));

        Assert.Equal(0m, price.PricePerCredit);
    }
}
