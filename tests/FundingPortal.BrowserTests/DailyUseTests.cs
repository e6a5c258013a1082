using System.Globalization;

using FundingPortal.Core.Domain;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>
/// A sponsor and a reviewer on an ordinary day, at desktop and phone width: a form shows every mistake at once, a pledge waiting
/// for review can be edited, an accepted pledge leads the reviewer to recording a payment, a cancelled pledge shows what is left
/// of it, tasks read in working order, and the pages they use pass axe-core.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class DailyUseTests(PortalApp app)
{
    public static TheoryData<string> Widths => new() { "desktop", "phone" };

    private static ViewportSize Size(string width) => width == "phone" ? ScreenChecks.Phone : ScreenChecks.Desktop;

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_pledge_from_form_to_payment_reads_right_at_every_step(string width)
    {
        var sponsor = Person.New("Petra");
        var page = await app.NewPageAsync(Size(width));
        await page.SignUpAsync(app, sponsor);
        var organisationId = await page.CreateOrganisationAsync($"Daily Use {width}", $"daily-{Person.Unique()}", $"billing-{Person.Unique()}@example.com");

        // Every mistake of the form at once, each under its field.
        await page.GotoAsync($"organisations/{organisationId}/pledges/new");
        await page.WaitForInteractiveAsync("#pledge-start");
        await page.Locator("#pledge-fund").SelectOptionAsync(new SelectOptionValue { Label = "Central fund" });
        await page.Locator("#pledge-start").FillAsync("");
        await page.Locator("#pledge-amount").FillAsync("0");
        await page.Locator("#pledge-method").SelectOptionAsync("Invoice");
        await page.Locator("#pledge-review").ClickAsync();
        await Expect(page.GetByText("Enter the start date (yyyy-MM-dd).")).ToBeVisibleAsync();
        await Expect(page.GetByText("The amount must be more than zero.")).ToBeVisibleAsync();
        await page.AssertFitsAsync();
        await page.AssertAccessibleAsync();

        await page.Locator("#pledge-start").FillAsync(Today());
        await page.Locator("#pledge-periods").FillAsync("6");
        await page.Locator("#pledge-amount").FillAsync("500");
        await page.Locator("#pledge-review").ClickAsync();
        await page.Locator("#pledge-submit").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/pledges/\d+"));
        var pledgeId = int.Parse(page.Url.Split('/').Last().Split('?')[0], CultureInfo.InvariantCulture);

        // Waiting for review, the terms can still change.
        await page.WaitForInteractiveAsync("#pledge-cancel-reason");
        await page.Locator("#pledge-edit").ClickAsync();
        await page.Locator("#pledge-amount").FillAsync("700");
        await page.Locator("#pledge-resubmit").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Changes saved");
        await Expect(page.Locator("#pledge-terms")).ToContainTextAsync("700.00 USD a month for 6 months");
        await Expect(page.Locator("#pledge-status")).ToHaveTextAsync("Submitted, waiting for review");
        await page.AssertFitsAsync();

        // The reviewer accepts; the page then leads to recording a payment, whose amount field suggests what is still asked.
        var reviewer = Person.New("Rhea");
        var reviewerPage = await app.NewPageAsync(Size(width));
        await reviewerPage.SignUpAsync(app, reviewer);
        // A role takes effect at once, without signing in again.
        await app.GrantRoleAsync(reviewer.Email, "Reviewer");
        await reviewerPage.GotoAsync($"devops/pledges/{pledgeId}");
        await reviewerPage.WaitForInteractiveAsync("#review-reason");
        await reviewerPage.AssertAccessibleAsync();
        await reviewerPage.AssertFitsAsync();
        await reviewerPage.Locator("#review-reason").FillAsync("Welcome aboard.");
        await reviewerPage.Locator("#review-accept").ClickAsync();
        await Expect(reviewerPage.Locator("#status-message")).ToContainTextAsync("the pledge is accepted; its status is now Active");
        await reviewerPage.Locator("#record-payment-link").ClickAsync();
        await reviewerPage.WaitForURLAsync($"**/devops/pledges/{pledgeId}/payments/new");
        await reviewerPage.WaitForInteractiveAsync("#payment-amount");
        await Expect(reviewerPage.Locator("#payment-amount")).ToHaveAttributeAsync("placeholder", "700.00");
        await Expect(reviewerPage.Locator("#payment-panel")).ToContainTextAsync("Installment #1 still asks 700.00 USD.");
        await Expect(reviewerPage.Locator("#pledge-status")).ToHaveTextAsync("Active");
        await reviewerPage.AssertFitsAsync();

        // A payment form with several mistakes shows each of them.
        await reviewerPage.Locator("#payment-amount").FillAsync("abc");
        await reviewerPage.Locator("#payment-reference").FillAsync("");
        await reviewerPage.Locator("#record-payment").ClickAsync();
        await Expect(reviewerPage.GetByText("Enter an amount such as 1250.50.")).ToBeVisibleAsync();
        await Expect(reviewerPage.GetByText("Enter the bank or invoice reference", new() { Exact = false })).ToBeVisibleAsync();

        // The sponsor cancels: what is left of the pledge is what was due before, and the page says what was pledged.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync("#pledge-cancel-reason");
        await Expect(page.Locator("#pledge-change-terms")).ToContainTextAsync("make a new pledge");
        await page.Locator("#pledge-cancel-reason").FillAsync("Budget moved to next year.");
        await page.Locator("#pledge-cancel").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Pledge cancelled.");
        await Expect(page.Locator("#pledge-total")).ToHaveTextAsync("700.00 USD after the cancellation (pledged: 4,200.00 USD)");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_task_list_reads_open_in_progress_proposed_done_cancelled(string width)
    {
        var reviewer = Person.New("Tara");
        var page = await app.NewPageAsync(Size(width));
        await page.SignUpAsync(app, reviewer);
        await app.GrantRoleAsync(reviewer.Email, "Reviewer");

        await TasksAsync(DevopsTaskStatus.Cancelled, DevopsTaskStatus.Proposed, DevopsTaskStatus.Open, DevopsTaskStatus.Done, DevopsTaskStatus.InProgress);

        await page.GotoAsync("devops/tasks");
        await Expect(page.Locator("#tasks")).ToBeVisibleAsync();
        var statuses = await page.Locator("#tasks tbody tr td:nth-child(2)").AllInnerTextsAsync();

        string[] order = ["Open", "In progress", "Proposed", "Done", "Cancelled"];
        var ranks = statuses.Select(status => Array.IndexOf(order, status.Trim())).ToList();
        Assert.DoesNotContain(-1, ranks);
        Assert.Equal(order.Length, ranks.Distinct().Count());
        Assert.Equal(ranks.Order(), ranks);
        await page.AssertFitsAsync();
    }

    /// <summary>A task in each of <paramref name="statuses"/>, arranged straight in the portal's database.</summary>
    private async Task TasksAsync(params DevopsTaskStatus[] statuses)
    {
        await using var db = app.NewDbContext();
        var now = DateTime.UtcNow;
        foreach (var status in statuses)
        {
            var task = DevopsTask.Propose($"{status} task {Person.Unique()}", $"t-{Person.Unique()}", "A task.", new Money(100_000, "USD"), Hours.FromHours(10), null, now);
            DevopsTaskStatus[] path = status switch
            {
                DevopsTaskStatus.Open => [DevopsTaskStatus.Open],
                DevopsTaskStatus.InProgress => [DevopsTaskStatus.Open, DevopsTaskStatus.InProgress],
                DevopsTaskStatus.Done => [DevopsTaskStatus.Open, DevopsTaskStatus.InProgress, DevopsTaskStatus.Done],
                DevopsTaskStatus.Cancelled => [DevopsTaskStatus.Cancelled],
                _ => [],
            };
            foreach (var step in path)
            {
                Assert.True(task.MoveTo(step, null, now).Succeeded);
            }
            db.Tasks.Add(task);
        }
        await db.SaveChangesAsync();
    }

    private static string Today() => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
