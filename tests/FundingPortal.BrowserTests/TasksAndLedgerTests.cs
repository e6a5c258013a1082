using System.Text;
using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>The devops group at work: a task with a hostile description shown safely, an expense approved by a second reviewer and paid from a fund.</summary>
[Collection(SharedPortal.Name)]
public sealed partial class TasksAndLedgerTests(PortalApp app)
{
    [Fact]
    public async Task A_reviewer_proposes_a_task_safely_and_a_second_reviewer_approves_and_pays_an_expense_from_its_fund()
    {
        var first = Person.New("Rita");
        var second = Person.New("Victor");
        var page = await SignUpAsReviewerAsync(first);
        var title = $"Windows CI under 90 minutes {Person.Unique()}";
        var slug = $"windows-ci-{Person.Unique()}";

        await page.GotoAsync("devops/tasks/new");
        await page.WaitForInteractiveAsync("#task-title");
        await page.Locator("#task-title").FillAsync(title);
        await page.Locator("#task-slug").FillAsync(slug);
        await page.Locator("#task-description").FillAsync("# The plan\n\nSplit the **test suite**.\n\n<script>window.pwned = true</script>");
        await page.Locator("#task-money-goal").FillAsync("5000");
        await page.Locator("#task-hours-goal").FillAsync("40");
        await page.Locator("#task-issue-url").FillAsync("https://gitlab.example/ghc/ghc/-/issues/1");
        await page.Locator("#propose-task").ClickAsync();

        await page.WaitForURLAsync(TaskUrl());
        await Expect(page.Locator("#task-heading")).ToHaveTextAsync(title);
        await Expect(page.Locator("#task-rendered h1")).ToHaveTextAsync("The plan");
        await Expect(page.Locator("#task-rendered strong")).ToHaveTextAsync("test suite");
        await Expect(page.Locator("#task-rendered")).ToContainTextAsync("<script>window.pwned = true</script>");
        await Expect(page.Locator("#task-rendered script")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<bool?>("() => window.pwned"));
        await Expect(page.Locator("#task-funding")).ToContainTextAsync("0.00 USD received of 5,000.00 USD");
        await Expect(page.Locator("#move-open")).ToBeVisibleAsync();
        await Expect(page.Locator("#move-done")).ToHaveCountAsync(0);
        await PortalApp.ScreenshotAsync(page, "devops-task");

        await page.GotoAsync("devops/tasks");
        await Expect(page.Locator($"#tasks tr[data-slug='{slug}']")).ToContainTextAsync(title);
        await PortalApp.ScreenshotAsync(page, "devops-tasks");

        // The task's fund has received 1,000.00 USD (payments are another engineer's slice; booked directly here).
        var fundId = await ContributeAsync(slug, 100_000);
        await page.GotoAsync("devops/funds");
        var balance = page.Locator($"#fund-balances tr[data-fund-id='{fundId}'] .fund-balance");
        await Expect(balance).ToHaveTextAsync("1,000.00 USD");

        var vendor = $"CircleCI {Person.Unique()}";
        await page.GotoAsync("devops/expenses");
        await page.WaitForInteractiveAsync("#expense-vendor");
        await page.Locator("#expense-vendor").FillAsync(vendor);
        await page.Locator("#expense-description").FillAsync("Build credits for March");
        await page.Locator("#expense-amount").FillAsync("123.45");
        await page.Locator("#expense-fund").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = title }).ClickAsync();
        await page.Locator("#expense-form input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "invoice.pdf",
            MimeType = "application/pdf",
            Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
        });
        await Expect(page.Locator("#receipt-name")).ToHaveTextAsync("invoice.pdf");
        await page.Locator("#submit-expense").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Expense submitted");
        var row = page.Locator("#expenses tbody tr").Filter(new() { HasText = vendor });
        await Expect(row.Locator(".expense-status")).ToContainTextAsync("Submitted");
        await Expect(row).ToContainTextAsync("waiting for another reviewer");
        await Expect(row.Locator(".approve-expense")).ToHaveCountAsync(0);

        var other = await SignUpAsReviewerAsync(second);
        await other.GotoAsync("devops/expenses");
        var theirRow = other.Locator("#expenses tbody tr").Filter(new() { HasText = vendor });
        await other.WaitForInteractiveAsync("#expense-vendor");
        await theirRow.Locator(".approve-expense").ClickAsync();
        await Expect(other.Locator("#status-message")).ToContainTextAsync("approved");
        await Expect(theirRow.Locator(".expense-status")).ToContainTextAsync("Approved");
        await Expect(theirRow.Locator(".receipt-link")).ToHaveTextAsync("invoice.pdf");
        await PortalApp.ScreenshotAsync(other, "devops-expenses");
        await theirRow.Locator(".mark-paid").ClickAsync();
        await Expect(other.Locator("#status-message")).ToContainTextAsync("marked paid");
        await Expect(theirRow.Locator(".expense-status")).ToContainTextAsync("Paid");

        await other.GotoAsync("devops/funds");
        await Expect(other.Locator($"#fund-balances tr[data-fund-id='{fundId}'] .fund-balance")).ToHaveTextAsync("876.55 USD");
        await Expect(other.Locator("#ledger tbody tr").Filter(new() { HasText = vendor })).ToContainTextAsync("-123.45 USD");
        await PortalApp.ScreenshotAsync(other, "devops-funds");
    }

    private async Task<IPage> SignUpAsReviewerAsync(Person person)
    {
        var page = await app.NewPageAsync();
        await page.RegisterAsync(person);
        await Expect(page.Locator("#register-confirmation")).ToContainTextAsync(person.Email);
        await page.ConfirmEmailAsync(app, person);
        await app.GrantRoleAsync(person.Email, Roles.Reviewer);
        await page.SignInAsync(person);
        return page;
    }

    private async Task<int> ContributeAsync(string slug, long minorUnits)
    {
        await using var db = app.NewDbContext();
        var fundId = await db.Funds.Where(f => f.Task!.Slug == slug).Select(f => f.Id).SingleAsync();
        var now = DateTime.UtcNow;
        db.LedgerEntries.Add(LedgerEntry.Book(new LedgerPosting(fundId, LedgerEntryKind.Contribution, new Money(minorUnits, "USD"), new Money(minorUnits, "USD"), 1m,
            "Contribution for the browser test", now, now, null)));
        await db.SaveChangesAsync();
        return fundId;
    }

    [GeneratedRegex(@"/devops/tasks/\d+$")]
    private static partial Regex TaskUrl();
}
