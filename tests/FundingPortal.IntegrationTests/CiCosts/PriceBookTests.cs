using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiCosts;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.CiCosts;

[Collection(PortalTests.Name)]
public class PriceBookTests(PortalFactory portal)
{
    private Task<Result<int>> AsAsync(Func<ManagePriceBook, Task<Result<int>>> change) => portal.WithScopeAsync(change);

    [Fact]
    public async Task An_admin_adds_a_provider_and_a_dated_price_and_both_are_audited()
    {
        var admin = await portal.CreateAdminAsync();
        var name = $"Actions {Guid.NewGuid():N}"[..30];

        var created = await AsAsync(book => book.SaveProviderAsync(null, new ProviderInput { Name = name, IncludedMinutesPerMonth = 3000, Currency = "USD" }, admin.Id));
        var price = await AsAsync(book => book.AddPriceAsync(created.Value, new PriceInput
        {
            RunnerType = "ubuntu-latest",
            Os = RunnerOs.Linux,
            PricePerMinute = "0.006",
            Multiplier = "1",
            ValidFrom = new DateTime(2026, 1, 1),
        }, admin.Id));
        var again = await AsAsync(book => book.AddPriceAsync(created.Value, new PriceInput
        {
            RunnerType = "ubuntu-latest",
            PricePerMinute = "0.005",
            ValidFrom = new DateTime(2026, 1, 1),
        }, admin.Id));

        Assert.True(price.Succeeded, price.Problem?.Message);
        Assert.Equal(("ValidFrom", ProblemKind.Invalid), (again.Problem?.Field, again.Problem?.Kind));
        await using var db = portal.NewDbContext();
        var stored = await db.CiRunnerPrices.SingleAsync(p => p.Id == price.Value);
        Assert.Equal((0.006m, 1m, new DateOnly(2026, 1, 1)), (stored.PricePerMinute, stored.Multiplier, stored.ValidFrom));
        var audits = await db.AuditEvents.Where(a => a.UserId == admin.Id).Select(a => a.Action).ToListAsync();
        Assert.Contains("ci-provider.created", audits);
        Assert.Contains("ci-price.added", audits);
    }

    [Theory]
    [InlineData("", "0.008", "1", "RunnerType")]
    [InlineData("ubuntu", "-0.01", "1", "PricePerMinute")]
    [InlineData("ubuntu", "250", "1", "PricePerMinute")]
    [InlineData("ubuntu", "0.0000001", "1", "PricePerMinute")]
    [InlineData("ubuntu", "eight", "1", "PricePerMinute")]
    [InlineData("ubuntu", "0.008", "0", "Multiplier")]
    public async Task A_bad_price_is_refused_naming_the_field(string runnerType, string perMinute, string multiplier, string field)
    {
        var admin = await portal.CreateAdminAsync();
        var p = await portal.Given().CiProviderAsync();

        var result = await AsAsync(book => book.AddPriceAsync(p, new PriceInput
        {
            RunnerType = runnerType,
            PricePerMinute = perMinute,
            Multiplier = multiplier,
            ValidFrom = new DateTime(2026, 1, 1),
        }, admin.Id));

        Assert.Equal(field, result.Problem?.Field);
    }

    [Fact]
    public async Task A_reviewer_who_is_not_an_admin_cannot_change_prices_budgets_limits_or_pools()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var p = await portal.Given().CiProviderAsync();

        Result<int>[] results =
        [
            await AsAsync(book => book.SaveProviderAsync(null, new ProviderInput { Name = "Sneaky CI" }, reviewer.Id)),
            await AsAsync(book => book.AddPriceAsync(p, new PriceInput { RunnerType = "x", PricePerMinute = "0.001", ValidFrom = DateTime.UtcNow }, reviewer.Id)),
            await AsAsync(book => book.SaveBudgetAsync(p, new BudgetInput { Month = DateTime.UtcNow, Amount = "10" }, reviewer.Id)),
            await AsAsync(book => book.SaveTimeoutAsync(p, new TimeoutInput { Project = "app", JobName = "build", TimeoutMinutes = 10 }, reviewer.Id)),
            await AsAsync(book => book.OpenCreditPoolAsync(p, new CreditPoolInput { Name = "Free", Credits = "10", StartsOn = DateTime.UtcNow }, reviewer.Id)),
        ];

        Assert.All(results, r => Assert.Equal(ProblemKind.Forbidden, r.Problem?.Kind));
        await using var db = portal.NewDbContext();
        Assert.False(await db.CiRunnerPrices.AnyAsync(x => x.ProviderId == p));
        Assert.False(await db.Budgets.AnyAsync(x => x.ProviderId == p));
    }

    [Fact]
    public async Task A_budget_for_a_month_is_replaced_not_duplicated_and_a_bad_threshold_is_refused()
    {
        var admin = await portal.CreateAdminAsync();
        var p = await portal.Given().CiProviderAsync();

        var first = await AsAsync(book => book.SaveBudgetAsync(p, new BudgetInput { Month = new DateTime(2026, 3, 17), Amount = "250", AlertThresholdPercent = 80 }, admin.Id));
        var second = await AsAsync(book => book.SaveBudgetAsync(p, new BudgetInput { Month = new DateTime(2026, 3, 1), Amount = "300.50", AlertThresholdPercent = 90 }, admin.Id));
        var badThreshold = await AsAsync(book => book.SaveBudgetAsync(p, new BudgetInput { Month = new DateTime(2026, 4, 1), Amount = "10", AlertThresholdPercent = 0 }, admin.Id));
        var badAmount = await AsAsync(book => book.SaveBudgetAsync(p, new BudgetInput { Month = new DateTime(2026, 4, 1), Amount = "-5" }, admin.Id));

        Assert.Equal(first.Value, second.Value);
        Assert.Equal("AlertThresholdPercent", badThreshold.Problem?.Field);
        Assert.Equal("Amount", badAmount.Problem?.Field);
        await using var db = portal.NewDbContext();
        var budget = await db.Budgets.SingleAsync(b => b.ProviderId == p);
        Assert.Equal((new DateOnly(2026, 3, 1), 300_50L, 90), (budget.Month, budget.AmountMinor, budget.AlertThresholdPercent));
    }

    [Fact]
    public async Task A_job_time_limit_is_saved_once_per_job_and_checked()
    {
        var admin = await portal.CreateAdminAsync();
        var p = await portal.Given().CiProviderAsync();

        var saved = await AsAsync(book => book.SaveTimeoutAsync(p, new TimeoutInput { Project = "app", JobName = "build", TimeoutMinutes = 90 }, admin.Id));
        var changed = await AsAsync(book => book.SaveTimeoutAsync(p, new TimeoutInput { Project = " app ", JobName = "build", TimeoutMinutes = 120 }, admin.Id));
        var tooLong = await AsAsync(book => book.SaveTimeoutAsync(p, new TimeoutInput { Project = "app", JobName = "test", TimeoutMinutes = 20_000 }, admin.Id));

        Assert.Equal(saved.Value, changed.Value);
        Assert.Equal("TimeoutMinutes", tooLong.Problem?.Field);
        await using var db = portal.NewDbContext();
        Assert.Equal(120, (await db.CiJobTimeouts.SingleAsync(t => t.ProviderId == p)).TimeoutMinutes);
    }
}
