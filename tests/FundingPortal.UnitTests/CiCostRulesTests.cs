using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.CiCosts;

namespace FundingPortal.UnitTests;

public class CiCostRulesTests
{
    private static CiProvider Provider(CiProviderKind kind = CiProviderKind.GitHubActions) => CiProvider.New("GitHub Actions", kind, CiRounding.PerJobUpToMinute, 2000, "USD").Value!;

    [Theory]
    [InlineData("", 0, "USD", "name")]
    [InlineData("GitHub", -1, "USD", "includedMinutesPerMonth")]
    [InlineData("GitHub", 0, "XXX", "currency")]
    public void A_provider_names_the_field_it_refuses(string name, int included, string currency, string field)
    {
        var result = CiProvider.New(name, CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, included, currency);

        Assert.Equal(field, result.Problem?.Field);
    }

    [Fact]
    public void A_price_from_the_same_date_for_the_same_runner_is_a_conflict_but_a_later_date_is_a_new_price()
    {
        var provider = Provider();
        Assert.True(provider.AddListPrice("ubuntu-latest", RunnerOs.Linux, 0.008m, 1, new DateOnly(2023, 1, 1)).Succeeded);

        var same = provider.AddListPrice(" ubuntu-latest ", RunnerOs.Linux, 0.007m, 1, new DateOnly(2023, 1, 1));
        var cut = provider.AddListPrice("ubuntu-latest", RunnerOs.Linux, 0.006m, 1, new DateOnly(2026, 1, 1));

        Assert.Equal((ProblemKind.Conflict, "validFrom"), (same.Problem?.Kind, same.Problem?.Field));
        Assert.True(cut.Succeeded);
        Assert.Equal(2, provider.Prices.Count);
    }

    [Theory]
    [InlineData(0, 0.0006, "creditsPerMinute")]
    [InlineData(10, 0, "pricePerCredit")]
    [InlineData(10, 0.000000001, "pricePerCredit")]
    public void A_bad_credit_price_is_refused(int creditsPerMinute, double pricePerCredit, string field)
    {
        var result = Provider(CiProviderKind.CircleCi).AddCreditListPrice("medium", RunnerOs.Linux, creditsPerMinute, (decimal)pricePerCredit, new DateOnly(2025, 1, 1));

        Assert.Equal(field, result.Problem?.Field);
    }

    [Fact]
    public void The_hosting_cost_must_be_in_the_providers_currency()
    {
        var provider = Provider(CiProviderKind.SelfHosted);

        Assert.Equal("hostingCost", provider.ChangeHostingCost(new Money(100_00, "EUR")).Problem?.Field);
        Assert.True(provider.ChangeHostingCost(new Money(1_450_00, "USD")).Succeeded);
        Assert.Equal(1_450_00, provider.MonthlyHostingCostMinor);
    }

    [Theory]
    [InlineData(0, "timeoutMinutes")]
    [InlineData(CiJobTimeout.MaxMinutes + 1, "timeoutMinutes")]
    public void A_job_timeout_stays_within_a_week(int minutes, string field) =>
        Assert.Equal(field, CiJobTimeout.Create(1, "app", "build", minutes).Problem?.Field);

    [Fact]
    public void A_budget_is_for_the_first_of_its_month_and_its_threshold_is_a_percentage()
    {
        var budget = Budget.Plan(1, new DateOnly(2026, 3, 17), new Money(500_00, "USD"), 80).Value!;

        Assert.Equal(new DateOnly(2026, 3, 1), budget.Month);
        Assert.Equal("alertThresholdPercent", Budget.Plan(1, budget.Month, new Money(1, "USD"), 101).Problem?.Field);
        Assert.Equal("amount", Budget.Plan(1, budget.Month, new Money(0, "USD"), 80).Problem?.Field);
    }

    [Fact]
    public void A_credit_pool_counts_credits_for_circleci_and_minutes_elsewhere()
    {
        Assert.Equal(CreditUnit.Credits, CreditPool.UnitFor(CiProviderKind.CircleCi));
        Assert.Equal(CreditUnit.QuotaMinutes, CreditPool.UnitFor(CiProviderKind.GitLabCi));
        Assert.Equal("expiresOn", CreditPool.Open(1, "Pool", 10, null, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 1)).Problem?.Field);
    }

    [Theory]
    [InlineData(5_000, "USD", "0.01 USD")] // half a cent rounds away from zero
    [InlineData(4_999, "USD", "0.00 USD")]
    [InlineData(-5_000, "USD", "-0.01 USD")]
    [InlineData(1_500_000, "JPY", "2 JPY")]
    [InlineData(752_005, "USD", "0.75 USD")]
    public void Millionths_round_to_the_currencys_minor_unit(long micros, string currency, string shown) =>
        Assert.Equal(shown, CiAmounts.ToMoney(micros, currency).ToString());

    [Theory]
    [InlineData(0, 80, CiBudgetState.Under)]
    [InlineData(79_999_999, 80, CiBudgetState.Under)]
    [InlineData(80_000_000, 80, CiBudgetState.Warning)]
    [InlineData(100_000_000, 80, CiBudgetState.Warning)]
    [InlineData(100_000_001, 80, CiBudgetState.Over)]
    public void The_budget_warns_from_the_threshold_and_is_over_past_the_full_amount(long actualMicros, int threshold, CiBudgetState state) =>
        Assert.Equal(state, new CiBudgetRow(new DateOnly(2026, 1, 1), 1, "GitHub", new Money(100_00, "USD"), threshold, actualMicros).State);

    [Theory]
    [InlineData("2026-13", null, "from")]
    [InlineData("2026-05", "2026-01", "to")]
    [InlineData("2020-01", "2026-01", "to")]
    public void A_report_period_refuses_what_is_not_a_period(string from, string? to, string field) =>
        Assert.Equal(field, CiPeriod.Parse(from, to, null, new DateOnly(2026, 6, 15)).Problem?.Field);

    [Fact]
    public void A_report_period_defaults_to_the_last_twelve_utc_months() =>
        Assert.Equal(new CiPeriod(new DateOnly(2025, 7, 1), new DateOnly(2026, 6, 1)), CiPeriod.Parse(null, null, null, new DateOnly(2026, 6, 15)).Value);

    [Fact]
    public void Csv_quotes_and_neutralises_what_a_spreadsheet_would_misread()
    {
        var csv = CsvExport.Write(["a", "b", "c", "d"], [["=cmd|' /C calc'!A0", "x,\"y\"", 1.50m, new Money(10, "USD")]]);

        Assert.Equal("a,b,c,d\r\n'=cmd|' /C calc'!A0,\"x,\"\"y\"\"\",1.5,0.10\r\n", csv);
    }
}
