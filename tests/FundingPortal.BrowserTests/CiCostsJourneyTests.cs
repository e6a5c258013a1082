using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>An admin reads the CI cost report for seeded usage and adds a price to the price book.</summary>
[Collection(SharedPortal.Name)]
public sealed partial class CiCostsJourneyTests(PortalApp app)
{
    [Fact]
    public async Task An_admin_reads_the_ci_cost_totals_and_adds_a_price()
    {
        var providerName = $"Actions {Person.Unique()}";
        var providerId = await SeedUsageAsync(providerName);
        var page = await SignInAsAdminAsync(app);

        await page.GotoAsync($"devops/ci?from=2026-01&to=2026-02&provider={providerId}");
        // January paid 12.3456 USD and February 7.65 USD: 19.9956 shows as 20.00; at list price 25.00 + 7.65.
        await Expect(page.Locator("#total-paid-USD .ci-total-paid")).ToHaveTextAsync("20.00 USD");
        await Expect(page.Locator("#total-paid-USD")).ToContainTextAsync("list price 32.65 USD");
        await Expect(page.Locator("#total-minutes .ci-total-minutes")).ToHaveTextAsync("3,400");
        await Expect(page.Locator("#ci-monthly tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#ci-monthly tbody tr").First.Locator(".ci-paid")).ToHaveTextAsync("12.35 USD");
        await Expect(page.Locator("#ci-waste tbody tr").First).ToContainTextAsync("400 min");
        await Expect(page.Locator(".csv-link[data-report='monthly']")).ToHaveAttributeAsync("href", new Regex($"from=2026-01&to=2026-02&provider={providerId}"));
        await PortalApp.ScreenshotAsync(page, "ci-costs");

        await page.GotoAsync("devops/ci/prices");
        await page.WaitForInteractiveAsync("#price-runner-type");
        await page.Locator("#selected-provider").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = providerName }).ClickAsync();
        await page.Locator("#price-runner-type").FillAsync("ubuntu-latest");
        await page.Locator("#price-per-minute").FillAsync("0.006");
        await page.Locator("#price-submit").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Added a price for ubuntu-latest.");
        await Expect(page.Locator($"#provider-{providerId} .price-row").Filter(new() { HasText = "ubuntu-latest" }).Locator(".price-per-minute")).ToHaveTextAsync("0.006");

        await page.Locator("#price-runner-type").FillAsync("macos-latest");
        await page.Locator("#price-per-minute").FillAsync("500");
        await page.Locator("#price-submit").ClickAsync();
        await Expect(page.Locator("#price-form")).ToContainTextAsync("The price per minute must be between 0 and 100");
        await PortalApp.ScreenshotAsync(page, "ci-price-book");

        await using var db = app.NewDbContext();
        Assert.Equal(0.006m, await db.CiRunnerPrices.Where(p => p.ProviderId == providerId).Select(p => p.PricePerMinute).SingleAsync());
    }

    [Fact]
    public async Task The_month_pickers_and_the_range_of_the_data_show_an_import_of_older_months()
    {
        var providerName = $"Old Actions {Person.Unique()}";
        var providerId = await SeedUsageAsync(providerName);
        var page = await SignInAsAdminAsync(app);

        await page.GotoAsync($"devops/ci?provider={providerId}");
        await page.WaitForInteractiveAsync("#ci-from");
        await Expect(page.Locator("#ci-from")).ToHaveAttributeAsync("type", "month");
        await Expect(page.Locator("#ci-to")).ToHaveAttributeAsync("type", "month");
        // The default view is the last twelve months; the usage of January and February 2026 may lie before it, and the page says so.
        await Expect(page.Locator("#ci-data-range")).ToContainTextAsync("Range of the data (2026-01 – 2026-02)");
        await page.Locator("#ci-data-range").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("from=2026-01&to=2026-02"));
        await Expect(page.Locator("#ci-period")).ToContainTextAsync("January 2026 – February 2026");
        await Expect(page.Locator("#ci-monthly tbody tr").First).ToContainTextAsync("2026-01");
        await Expect(page.Locator("#ci-from")).ToHaveValueAsync("2026-01");
        await Expect(page.Locator("#ci-legend")).ToContainTextAsync(providerName);

        await page.Locator("#ci-last-3").ClickAsync();
        var now = DateTime.UtcNow;
        var first = new DateTime(now.Year, now.Month, 1).AddMonths(-2);
        await Expect(page).ToHaveURLAsync(new Regex($"from={first:yyyy-MM}&to={now:yyyy-MM}"));

        // A month typed into the address that is not one is named on its field.
        await page.GotoAsync($"devops/ci?from=2026-13&provider={providerId}");
        await Expect(page.GetByText("Enter the first month as yyyy-MM")).ToBeVisibleAsync();
    }

    /// <summary>
    /// A provider with usage in January and February 2026. The browser tests do not load the web assembly, so the monthly
    /// roll-up rows are written as an import would leave them.
    /// </summary>
    private async Task<int> SeedUsageAsync(string name)
    {
        await using var db = app.NewDbContext();
        var provider = CiProvider.New(name, CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, 2000, "USD").Value!;
        db.CiProviders.Add(provider);
        await db.SaveChangesAsync();
        FormattableString Month(string month, string job, string status, int runs, int minutes, long listMicros, long paidMicros) => $"""
            INSERT INTO "CiUsageMonths" ("ProviderId", "Month", "Project", "JobName", "Status", "IsRetry", "Currency", "Runs", "DurationSeconds",
                "RawMinutes", "QuotaMinutes", "Credits", "ListAmountMicros", "PaidAmountMicros")
            VALUES ({provider.Id}, {month}, 'compiler', {job}, {status}, 0, 'USD', {runs}, {minutes * 60}, {minutes}, {minutes}, 0, {listMicros}, {paidMicros})
            """;
        await db.Database.ExecuteSqlAsync(Month("2026-01-01", "validate", "Success", 30, 2000, 20_000_000, 12_345_600 - 3_200_000));
        await db.Database.ExecuteSqlAsync(Month("2026-01-01", "test", "Cancelled", 4, 400, 5_000_000, 3_200_000));
        await db.Database.ExecuteSqlAsync(Month("2026-02-01", "validate", "Success", 10, 1000, 7_650_000, 7_650_000));
        return provider.Id;
    }

    /// <summary>A new admin, signed in with a second factor (what the CI cost report asks of a reviewer who is an admin).</summary>
    internal static async Task<IPage> SignInAsAdminAsync(PortalApp app)
    {
        var admin = Person.New("Ada");
        var created = await app.RunVerbAsync("create-admin", "--email", admin.Email, "--password", admin.Password);
        Assert.True(created.ExitCode == 0, created.Output);
        var page = await app.NewPageAsync();
        await page.SignInWithTwoFactorAsync(admin);
        return page;
    }
}
