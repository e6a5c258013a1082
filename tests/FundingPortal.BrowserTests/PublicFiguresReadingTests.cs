using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>
/// The public page reads right at 1280 and 390 px: one runway with its explanation, the "top N of M" note, the runway chart's axis
/// and table, a day-one sponsor not shown as late, and a CI provider in the same colour as on the reviewers' CI cost report.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class PublicFiguresReadingTests(PortalApp app)
{
    private static readonly string[] GitLabShades = ["#e65100", "#bf360c", "#fb8c00"];

    [Fact]
    public async Task The_public_page_explains_one_runway_notes_the_top_sponsors_and_shows_a_new_sponsor_with_nothing_due_yet()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var newcomer = await ArrangeSponsorsAsync(tag);

        foreach (var size in new[] { ScreenChecks.Desktop, ScreenChecks.Phone })
        {
            var page = await app.NewPageAsync(size);
            await page.Context.BypassPublicCacheAsync();
            await page.GotoAsync("transparency");

            await Expect(page.Locator("#figure-runway .figure-value")).ToHaveTextAsync(new Regex(@"^(\d+(\.\d)? months|not shrinking)$"));
            await Expect(page.Locator("#runway-explained")).ToContainTextAsync("net spend");
            await Expect(page.Locator("#runway-explained")).ToContainTextAsync("“not shrinking” means income covered spending");
            // The one rule in both places: the headline runway is the "runway with everyone" of the if-this-sponsor-left view.
            var headline = (await page.Locator("#figure-runway .figure-value").InnerTextAsync()).Trim();
            await Expect(page.Locator("#if-sponsor-left-note")).ToContainTextAsync($"runway with everyone: {headline}");

            var rows = await page.Locator("#if-sponsor-left tbody tr").CountAsync();
            var rest = await page.Locator("#if-sponsor-left-rest tbody tr").CountAsync();
            Assert.Equal(10, rows);
            await Expect(page.Locator("#if-sponsor-left-note")).ToContainTextAsync($"Showing the top 10 of {rows + rest} sponsors by share");
            await Expect(page.Locator("#if-sponsor-left-note a[href='api/public/summary']")).ToBeVisibleAsync();

            // The runway chart has values on its axis and a table with a row per month shown.
            // (While income covers spend every month the line runs along the "not shrinking" band, above the axis's zero.)
            Assert.True(await page.Locator("section[aria-labelledby='runway-heading'] svg .axis-value").CountAsync() >= 1, "The runway chart has no axis values.");
            await Expect(page.Locator("#runway-line tbody tr")).ToHaveCountAsync(12);
            await Expect(page.Locator("#runway-line tbody tr").Last.Locator("td").Last).ToHaveTextAsync(new Regex(@"^(\d+(\.\d)? months|not shrinking)$"));

            var row = page.Locator("#sponsors tbody tr", new() { HasText = newcomer });
            await Expect(row.Locator("td").Last).ToHaveTextAsync("nothing due yet");
            await Expect(page.Locator("#honoured-explained")).ToContainTextAsync("grace period");

            await page.AssertFitsAsync();
            await page.AssertAccessibleAsync();
            await PortalApp.ScreenshotAsync(page, size == ScreenChecks.Phone ? "transparency-phone" : "transparency");
        }
    }

    [Fact]
    public async Task A_ci_provider_has_the_same_colour_on_the_public_page_and_on_the_ci_cost_report()
    {
        var name = $"GitLab {Guid.NewGuid():N}"[..16];
        var providerId = await SeedCiUsageAsync(name);

        var page = await app.NewPageAsync();
        await page.Context.BypassPublicCacheAsync();
        await page.GotoAsync("transparency");
        var publicBar = await page.Locator($"#ci-chart rect[data-series='{name}']").First.GetAttributeAsync("fill");
        var publicKey = await KeyColourAsync(page, name);
        // GitLab CI's colour is one of its kind's shades, fixed by the kind and the name.
        Assert.Contains(publicBar, GitLabShades);
        Assert.Equal(publicBar, publicKey);

        var admin = await CiCostsJourneyTests.SignInAsAdminAsync(app);
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await admin.GotoAsync($"devops/ci?from={month}&to={month}&provider={providerId}");
        // Once the circuit has drawn the page, so the legend and bars read are the ones that stay.
        await admin.WaitForInteractiveAsync("#ci-from");
        await Expect(admin.Locator("#ci-legend")).ToContainTextAsync(name);
        Assert.Equal(publicBar, await KeyColourAsync(admin, name));
        // The bars MudBlazor draws are coloured (filled or stroked) from the same palette.
        var fills = await admin.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#ci-chart svg *')].flatMap(e => [getComputedStyle(e).fill, getComputedStyle(e).stroke]).filter(f => f.startsWith('rgb'))
                .map(f => '#' + f.match(/\d+/g).slice(0, 3).map(n => (+n).toString(16).padStart(2, '0')).join(''))
            """);
        Assert.Contains(publicBar, fills);
    }

    /// <summary>
    /// The colour of the provider's key in the chart legend, as a hex colour; waited for, because an element the renderer has just
    /// replaced has no computed style.
    /// </summary>
    private static async Task<string?> KeyColourAsync(IPage page, string provider)
    {
        var colour = await page.WaitForFunctionAsync("""
            provider => {
                const key = [...document.querySelectorAll('.chart-legend .legend-item')].find(e => e.dataset.series === provider)?.querySelector('.key');
                const rgb = key && key.isConnected ? getComputedStyle(key).backgroundColor.match(/\d+/g) : null;
                return rgb && '#' + rgb.slice(0, 3).map(n => (+n).toString(16).padStart(2, '0')).join('');
            }
            """, provider);
        return await colour.JsonValueAsync<string>();
    }

    /// <summary>Eleven sponsors who gave this month (so "If this sponsor left" has more than ten), one of them new with an unpaid pledge first due today.</summary>
    private async Task<string> ArrangeSponsorsAsync(string tag)
    {
        await using var db = app.NewDbContext();
        var now = DateTime.UtcNow;
        var email = $"owner-{tag}@example.com";
        var owner = new ApplicationUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant() };
        db.Users.Add(owner);
        var organisations = Enumerable.Range(1, 11).Select(i => Organisation.Create(new OrganisationProfile($"Sponsor {i} {tag}", $"sponsor-{i}-{tag}", null, null,
            $"billing-{i}-{tag}@example.com", PublicListing.ByName), owner.Id, now)).ToList();
        db.Organisations.AddRange(organisations);
        await db.SaveChangesAsync();
        var central = await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
        foreach (var (organisation, i) in organisations.Select((o, i) => (o, i)))
        {
            db.LedgerEntries.Add(LedgerEntry.Book(new LedgerPosting(central, LedgerEntryKind.Contribution, new Money(1_000 + i, "USD"), new Money(1_000 + i, "USD"), 1m,
                $"From {organisation.Name}", now, now, null, organisation.Id)));
        }
        var newcomer = organisations[0];
        var today = DateOnly.FromDateTime(now);
        var pledge = Pledge.SubmitMoney(newcomer.Id, central, new Money(10_000, "USD"), new PledgeSchedule(PledgeFrequency.Monthly, today, null, 3),
            PaymentMethod.Invoice, PaymentTiming.Now, owner.Id, now);
        Assert.True(pledge.Accept(owner.Id, "Arranged for the test", now).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        return newcomer.Name;
    }

    /// <summary>A GitLab CI provider with usage this month, written to the monthly roll-up as an import leaves it.</summary>
    private async Task<int> SeedCiUsageAsync(string name)
    {
        await using var db = app.NewDbContext();
        var provider = CiProvider.New(name, CiProviderKind.GitLabCi, CiRounding.PerJobUpToMinute, 0, "USD").Value!;
        db.CiProviders.Add(provider);
        await db.SaveChangesAsync();
        var month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "CiUsageMonths" ("ProviderId", "Month", "Project", "JobName", "Status", "IsRetry", "Currency", "Runs", "DurationSeconds",
                "RawMinutes", "QuotaMinutes", "Credits", "ListAmountMicros", "PaidAmountMicros")
            VALUES ({provider.Id}, {month}, 'compiler', 'build', 'Success', 0, 'USD', 10, 6000, 100, 100, 0, 5000000, 4000000)
            """);
        return provider.Id;
    }
}
