using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>A visitor reads the transparency page and a task page: the figures the test booked, no anonymous sponsor's name, on a phone and without JavaScript.</summary>
[Collection(SharedPortal.Name)]
public sealed class TransparencyPageTests(PortalApp app)
{
    [Fact]
    public async Task A_visitor_reads_the_funding_the_test_booked_and_never_sees_an_anonymous_sponsors_name()
    {
        var known = await ArrangeAsync();
        var page = await app.NewPageAsync();

        // The test books straight into the database from its own process, past the portal's cache eviction.
        await page.Context.BypassPublicCacheAsync();
        var response = await page.GotoAsync("");
        Assert.Equal(200, response!.Status);
        var sponsorRow = page.Locator("#sponsors tr", new() { HasText = known.ListedName });
        await Expect(sponsorRow).ToContainTextAsync("123.45 USD");
        var task = page.Locator(".public-tasks > *", new() { HasText = known.TaskTitle });
        await Expect(task.Locator(".funding-received")).ToHaveTextAsync("191.34 USD");
        Assert.DoesNotContain(known.AnonymousName, await page.ContentAsync(), StringComparison.Ordinal);
        await PortalApp.ScreenshotAsync(page, "transparency");

        await task.GetByRole(AriaRole.Link, new() { Name = known.TaskTitle }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = known.TaskTitle })).ToBeVisibleAsync();
        await Expect(page.Locator("#task-funders")).ToContainTextAsync(known.ListedName);
        await Expect(page.Locator("#task-funders")).ToContainTextAsync(new Regex(@"Anonymous sponsor \d+"));
        await Expect(page.Locator("#task-status")).ToHaveTextAsync("Open");
        Assert.DoesNotContain(known.AnonymousName, await page.ContentAsync(), StringComparison.Ordinal);
        await PortalApp.ScreenshotAsync(page, "task-public");

        foreach (var address in new[] { "api/public/summary", "api/public/sponsors", "api/public/tasks", "api/public/ledger.csv" })
        {
            var body = await (await page.APIRequest.GetAsync(address)).TextAsync();
            Assert.DoesNotContain(known.AnonymousName, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_page_reads_at_phone_width_with_javascript_switched_off()
    {
        var known = await ArrangeAsync();
        await using var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            JavaScriptEnabled = false,
        });
        await context.BypassPublicCacheAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("transparency");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funding our shared infrastructure, in the open" })).ToBeVisibleAsync();
        await Expect(page.Locator("#sponsors tr", new() { HasText = known.ListedName })).ToContainTextAsync("123.45 USD");
        await Expect(page.Locator("svg.chart").First).ToBeVisibleAsync();
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px viewport: it scrolls sideways.");
        await PortalApp.ScreenshotAsync(page, "transparency-phone");
    }

    private sealed record Known(string Tag, string ListedName, string AnonymousName, string TaskTitle);

    private async Task<Known> ArrangeAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var db = app.NewDbContext();
        var now = DateTime.UtcNow;
        var email = $"owner-{tag}@example.com";
        var owner = new ApplicationUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant() };
        db.Users.Add(owner);
        Organisation Org(string name, PublicListing listing) =>
            Organisation.Create(new OrganisationProfile(name, $"org-{tag}-{listing}".ToLowerInvariant(), null, null, email, listing), owner.Id, now);
        var listed = Org($"Open Source Friends {tag}", PublicListing.ByName);
        var hidden = Org($"Hush Holdings {tag}", PublicListing.Anonymous);
        db.Organisations.AddRange(listed, hidden);
        var task = DevopsTask.Propose($"Public runners {tag}", $"public-runners-{tag}", "Runners for **everyone**.", new Money(1_000_000, "USD"), Hours.FromHours(10),
            null, now);
        task.MoveTo(DevopsTaskStatus.Open, null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        var fundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();
        foreach (var (organisation, cents) in new[] { (listed, 12_345L), (hidden, 6_789L) })
        {
            db.LedgerEntries.Add(LedgerEntry.Book(new LedgerPosting(fundId, LedgerEntryKind.Contribution, new Money(cents, "USD"), new Money(cents, "USD"), 1m,
                $"From {organisation.Name}", now, now, null, organisation.Id)));
        }
        await db.SaveChangesAsync();
        return new Known(tag, listed.Name, hidden.Name, task.Title);
    }
}
