using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>
/// A payment recorded by mistake is taken back: a reviewer books far too much against an invoice, another reviewer voids it, the right
/// amount is recorded under the same bank reference, and the public page, the task page and the public JSON show only the right amount.
/// The organisation, task and pledge are arranged in the database (the pledge form and review are journeys of their own); the payments,
/// the void and what the public sees go through the portal. Other tests share the portal, so the public figures are checked as rows of
/// this test's own organisation, or as changes of the global totals while this test runs.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class VoidPaymentJourneyTests(PortalApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_mistaken_payment_voided_by_another_reviewer_leaves_only_the_right_amount_on_the_public_pages()
    {
        var known = await ArrangeAsync();
        var visitor = await app.NewPageAsync();
        var before = await SummaryAsync(visitor);

        var reviewerA = Person.New("Rita");
        var page = await app.NewPageAsync();
        await page.RegisterAsync(reviewerA);
        await page.ConfirmEmailAsync(app, reviewerA);
        await app.GrantRoleAsync(reviewerA.Email, Roles.Reviewer);
        await page.SignInAsync(reviewerA);

        // A million against an installment of a hundred is refused on the amount field, and nothing is booked.
        var reference = $"INV-{Person.Unique()}";
        await page.GotoAsync($"devops/pledges/{known.PledgeId}/fulfilment");
        await page.WaitForInteractiveAsync("#payment-amount");
        await Expect(page.Locator("#pledge-status")).ToHaveTextAsync("Active");
        await Expect(page.Locator("#payment-currency")).ToHaveValueAsync("USD");
        await page.Locator("#payment-amount").FillAsync("1000000");
        await page.Locator("#payment-reference").FillAsync(reference);
        await page.Locator("#record-payment").ClickAsync();
        var amountField = page.Locator(".mud-input-control", new() { Has = page.Locator("#payment-amount") });
        await Expect(amountField).ToContainTextAsync(new Regex(@"more than one payment may be|still asks 100\.00 USD; this is 999,900\.00 USD more"));
        await Expect(page.Locator("#error-message")).ToHaveCountAsync(0);
        await Expect(page.Locator("#status-message")).ToHaveCountAsync(0);
        await Expect(page.Locator("#payments tr[data-payment-id]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#pledge-status")).ToHaveTextAsync("Active");
        Assert.Empty(await PaymentsAsync(known.PledgeId));

        // A thousand, knowingly booked as an overpayment: the mistake that slips through.
        await page.Locator("#payment-amount").FillAsync("1000.00");
        await page.Locator("#payment-overpayment").ClickAsync();
        await page.Locator("#payment-overpayment-reason").FillAsync("The sponsor said they added a year's support");
        await page.Locator("#record-payment").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Payment recorded");
        var mistaken = page.Locator("#payments tr[data-payment-id]");
        await Expect(mistaken).ToHaveCountAsync(1);
        await Expect(mistaken).ToContainTextAsync("1,000.00 USD");
        await Expect(mistaken).ToContainTextAsync(reference);
        await Expect(mistaken.Locator(".overpayment")).ToContainTextAsync("Overpayment of 900.00 USD");
        await Expect(page.Locator("#pledge-status")).ToHaveTextAsync("Fulfilled");
        var mistakenId = int.Parse((await mistaken.GetAttributeAsync("data-payment-id"))!, CultureInfo.InvariantCulture);

        // The reviewer who recorded it is not offered to void it himself (the handler refuses him too, see BooksTests).
        await Expect(mistaken.Locator(".void-payment")).ToHaveCountAsync(0);
        await Expect(mistaken.Locator(".payment-status")).ToContainTextAsync("Received");

        // Another reviewer voids it: the installment is open again and the pledge active.
        var reviewerB = Person.New("Bruno");
        var other = await app.NewPageAsync();
        await other.RegisterAsync(reviewerB);
        await other.ConfirmEmailAsync(app, reviewerB);
        await app.GrantRoleAsync(reviewerB.Email, Roles.Reviewer);
        await other.SignInAsync(reviewerB);
        await other.GotoAsync($"devops/pledges/{known.PledgeId}/fulfilment");
        var row = other.Locator($"#payments tr[data-payment-id='{mistakenId}']");
        await other.WaitForInteractiveAsync("#payment-amount");
        await row.Locator(".void-payment").ClickAsync();
        await Expect(other.Locator("#void-panel")).ToContainTextAsync("Void the payment of 1,000.00 USD");
        await other.Locator("#void-reason").FillAsync("Typed 1000 instead of 100; the bank statement shows 100.00");
        await PortalApp.ScreenshotAsync(other, "void-payment");
        await other.Locator("#void-submit").ClickAsync();
        await Expect(other.Locator("#status-message")).ToContainTextAsync("Payment voided");
        await Expect(other.Locator("#error-message")).ToHaveCountAsync(0);
        await Expect(row.Locator(".payment-status")).ToContainTextAsync("Voided: Typed 1000 instead of 100");
        await Expect(row.Locator(".void-payment")).ToHaveCountAsync(0);
        await Expect(other.Locator("#installments tr[data-installment='1'] td").Nth(4)).ToHaveTextAsync("Scheduled");
        // The installments table writes money as the reminder emails do (currency first), the payments table as Money does.
        await Expect(other.Locator("#installments tr[data-installment='1'] td").Nth(3)).ToHaveTextAsync("0.00 USD");
        await Expect(other.Locator("#pledge-status")).ToHaveTextAsync("Active");

        // The right payment, under the same bank reference: the void released it.
        await other.Locator("#payment-amount").FillAsync("100.00");
        await other.Locator("#payment-reference").FillAsync(reference);
        await other.Locator("#record-payment").ClickAsync();
        await Expect(other.Locator("#status-message")).ToContainTextAsync($"Payment recorded (100.00 USD, reference {reference})");
        await Expect(other.Locator("#payments tr[data-payment-id]")).ToHaveCountAsync(2);
        var right = other.Locator($"#payments tr[data-payment-id]:not([data-payment-id='{mistakenId}'])");
        await Expect(right).ToContainTextAsync("100.00 USD");
        await Expect(right).ToContainTextAsync(reference);
        await Expect(right.Locator(".payment-status")).ToContainTextAsync("Received");
        await Expect(right.Locator(".overpayment")).ToHaveCountAsync(0);
        await Expect(other.Locator("#installments tr[data-installment='1'] td").Nth(4)).ToHaveTextAsync("Fulfilled");
        await Expect(other.Locator("#pledge-status")).ToHaveTextAsync("Fulfilled");
        await PortalApp.ScreenshotAsync(other, "after-void-fulfilment");
        var payments = await PaymentsAsync(known.PledgeId);
        Assert.Equal([(PaymentStatus.Voided, 100_000L), (PaymentStatus.Received, 10_000L)], payments.Select(p => (p.Status, p.AmountMinor)));
        Assert.All(payments, p => Assert.Equal(reference, p.Reference));

        // A visitor sees a hundred, and only a hundred, wherever the sponsor's money shows.
        var response = await visitor.GotoAsync("");
        Assert.Equal(200, response!.Status);
        var sponsorRow = visitor.Locator("#sponsors tbody tr", new() { HasText = known.OrganisationName });
        await Expect(sponsorRow).ToHaveCountAsync(1);
        await Expect(sponsorRow.Locator("td").Nth(1)).ToHaveTextAsync("100.00 USD");
        var leftRow = visitor.Locator("#if-sponsor-left tbody tr", new() { HasText = known.OrganisationName });
        await Expect(leftRow).ToHaveCountAsync(1);
        await Expect(leftRow.Locator("td").Nth(2)).ToHaveTextAsync("100.00 USD");
        var fundRow = visitor.Locator("#fund-balances tbody tr", new() { Has = visitor.Locator($"a[href='tasks/{known.TaskSlug}']") });
        await Expect(fundRow.Locator("td").Nth(1)).ToHaveTextAsync("100.00 USD");
        var taskCard = visitor.Locator(".public-tasks > *", new() { HasText = known.TaskTitle });
        await Expect(taskCard.Locator(".funding-received")).ToHaveTextAsync("100.00 USD");
        await PortalApp.ScreenshotAsync(visitor, "after-void-public");

        await taskCard.GetByRole(AriaRole.Link, new() { Name = known.TaskTitle }).ClickAsync();
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = known.TaskTitle })).ToBeVisibleAsync();
        var funderRow = visitor.Locator("#task-funders tbody tr", new() { HasText = known.OrganisationName });
        await Expect(funderRow).ToHaveCountAsync(1);
        await Expect(funderRow.Locator("td").Nth(1)).ToHaveTextAsync("100.00 USD");
        await Expect(visitor.Locator("#task-funding .funding-received")).ToHaveTextAsync("100.00 USD");
        await Expect(visitor.Locator("#task-funders")).Not.ToContainTextAsync("1,000.00");
        await PortalApp.ScreenshotAsync(visitor, "after-void-task-public");

        // The public JSON: this month's money in and the balance grew by the hundred; the voided thousand left no money out behind.
        var after = await SummaryAsync(visitor);
        Assert.Equal(10_000, after.InThisMonth - before.InThisMonth);
        Assert.Equal(0, after.OutThisMonth - before.OutThisMonth);
        Assert.Equal(10_000, after.BalanceMinor - before.BalanceMinor);
        Assert.Equal(10_000, after.IfLeft(known.OrganisationName));

        // And a visitor's own check of the books, with the script the README gives, finds every figure matching.
        var verdict = await VerifyAsync();
        Assert.True(verdict.ExitCode == 0, verdict.Output);
        Assert.Matches(@"^(\d+) of \1 figures match$", verdict.Output.TrimEnd().Split('\n').Last());
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "FundingPortal.sln")))
        {
            root = root.Parent!;
        }
        var start = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root.FullName, "scripts", "verify-public-figures.py"));
        start.ArgumentList.Add(app.BaseUrl.GetLeftPart(UriPartial.Authority));
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private sealed record Known(string OrganisationName, string TaskTitle, string TaskSlug, int PledgeId);

    private sealed record Summary(long BalanceMinor, long InThisMonth, long OutThisMonth, IReadOnlyDictionary<string, long> SponsorLastYear)
    {
        public long? IfLeft(string name) => SponsorLastYear.TryGetValue(name, out var minor) ? minor : null;
    }

    /// <summary>
    /// The public summary as JSON, past the output cache (see <see cref="Portal.BypassPublicCacheAsync"/>), so the figures are those of
    /// this moment even if the test's own arrangement in the database went past the cache's eviction.
    /// </summary>
    private static async Task<Summary> SummaryAsync(IPage page)
    {
        var response = await page.APIRequest.GetAsync("api/public/summary",
            new() { Headers = new Dictionary<string, string> { ["Authorization"] = Portal.BypassPublicCache } });
        Assert.Equal(200, response.Status);
        using var json = JsonDocument.Parse(await response.TextAsync());
        var root = json.RootElement;
        var month = new DateOnly(Today.Year, Today.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var thisMonth = root.GetProperty("moneyPerMonth").EnumerateArray().Single(m => m.GetProperty("month").GetString() == month);
        var sponsors = root.GetProperty("concentration").GetProperty("ifSponsorLeft").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("lastYearMinor").GetInt64());
        return new Summary(root.GetProperty("balanceMinor").GetInt64(), thisMonth.GetProperty("inMinor").GetInt64(),
            thisMonth.GetProperty("outMinor").GetInt64(), sponsors);
    }

    private async Task<List<Payment>> PaymentsAsync(int pledgeId)
    {
        await using var db = app.NewDbContext();
        return await db.Payments.AsNoTracking().Where(p => p.PledgeId == pledgeId).OrderBy(p => p.Id).ToListAsync();
    }

    /// <summary>An organisation listed by name, an open task with its fund, and an accepted one-off invoice pledge of 100.00 USD due three days ago.</summary>
    private async Task<Known> ArrangeAsync()
    {
        var tag = Person.Unique();
        await using var db = app.NewDbContext();
        var now = DateTime.UtcNow;
        var email = $"owner-{tag}@example.com";
        var owner = new ApplicationUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant() };
        db.Users.Add(owner);
        var organisation = Organisation.Create(
            new OrganisationProfile($"Careful Counters {tag}", $"careful-{tag}", null, null, $"billing-{tag}@example.com", PublicListing.ByName), owner.Id, now);
        db.Organisations.Add(organisation);
        var task = DevopsTask.Propose($"Release signing {tag}", $"release-signing-{tag}", "Sign every release artefact.",
            new Money(500_000, "USD"), Hours.FromHours(0), null, now);
        task.MoveTo(DevopsTaskStatus.Open, null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        var fundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();

        var pledge = Pledge.SubmitMoney(organisation.Id, fundId, new Money(10_000, "USD"), PledgeSchedule.OneOff(Today.AddDays(-3)),
            PaymentMethod.Invoice, PaymentTiming.Now, owner.Id, now);
        Assert.True(pledge.Accept(owner.Id, "Arranged for the test", now).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        return new Known(organisation.Name, task.Title, task.Slug, pledge.Id);
    }
}
