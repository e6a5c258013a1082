using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>An expense has a page of its own: the dashboard's queue links to it, and a second reviewer approves and pays it there.</summary>
[Collection(SharedPortal.Name)]
public sealed partial class ExpensePageTests(PortalApp app)
{
    [Fact]
    public async Task The_dashboards_expense_link_opens_the_expense_where_another_reviewer_approves_and_pays_it_with_its_history()
    {
        var submitter = Person.New("Sonia");
        var reviewer = Person.New("Ravi");
        var submitterPage = await SignUpAsReviewerAsync(submitter);
        await submitterPage.Context.CloseAsync();
        var vendor = $"Hetzner {Person.Unique()}";
        var (expenseId, fundId) = await ArrangeExpenseAsync(submitter, vendor);
        var page = await SignUpAsReviewerAsync(reviewer);

        await page.GotoAsync("devops");
        await page.Locator("#queue-expenses a").Filter(new() { HasText = vendor }).ClickAsync();

        await page.WaitForURLAsync(new Regex($"/devops/expenses/{expenseId}$"));
        await Expect(page.Locator("#expense-heading")).ToHaveTextAsync($"Expense #{expenseId}: {vendor}");
        await Expect(page.Locator("#expense-status")).ToContainTextAsync("Submitted");
        await Expect(page.Locator("#expense-amount")).ToHaveTextAsync("80.00 USD");
        await Expect(page.Locator("#expense-description")).ToHaveTextAsync("A build server for March");
        await Expect(page.Locator("#expense-history .history-step")).ToHaveTextAsync(["Submitted"]);
        await page.AssertFitsAsync();
        await page.AssertAccessibleAsync();
        await page.WaitForInteractiveAsync("#expense-actions .approve-expense");
        await page.Locator("#expense-actions .approve-expense").ClickAsync();

        await Expect(page.Locator("#status-message")).ToHaveTextAsync($"Expense from {vendor} approved.");
        await Expect(page.Locator("#expense-status")).ToContainTextAsync("Approved");
        await Expect(page.Locator("#expense-history .history-step")).ToHaveTextAsync(["Submitted", "Approved"]);
        await Expect(page.Locator("#expense-history")).ToContainTextAsync(reviewer.Email);
        await page.Locator("#expense-actions .mark-paid").ClickAsync();

        await Expect(page.Locator("#status-message")).ToContainTextAsync("marked paid and booked on the ledger");
        await Expect(page.Locator("#expense-status")).ToContainTextAsync("Paid");
        await Expect(page.Locator("#expense-done")).ToHaveTextAsync("Nothing more: this expense is paid.");
        await Expect(page.Locator("#expense-history .history-step")).ToHaveTextAsync(["Submitted", "Approved", "Marked paid and booked on the ledger"]);
        await page.AssertFitsAsync();
        await PortalApp.ScreenshotAsync(page, "devops-expense");
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(-8_000, await db.LedgerEntries.Where(e => e.ExpenseId == expenseId).SumAsync(e => e.AmountMinor));
            Assert.Equal(100_000 - 8_000, await db.LedgerEntries.Where(e => e.FundId == fundId).SumAsync(e => e.AmountMinor));
        }

        await page.SetViewportSizeAsync(ScreenChecks.Phone.Width, ScreenChecks.Phone.Height);
        await page.ReloadAsync();
        await Expect(page.Locator("#expense-details")).ToBeVisibleAsync();
        await page.AssertFitsAsync();
    }

    [Fact]
    public async Task An_unknown_expense_says_so_and_a_sponsor_cannot_open_one()
    {
        var submitter = Person.New("Sven");
        var page = await SignUpAsReviewerAsync(submitter);
        var (expenseId, _) = await ArrangeExpenseAsync(submitter, $"Vendor {Person.Unique()}");

        await page.GotoAsync("devops/expenses/999999");
        await Expect(page.Locator("#expense-not-found")).ToContainTextAsync("There is no expense #999999.");

        var sponsorPage = await app.NewPageAsync();
        await sponsorPage.SignUpAsync(app, Person.New("Selma"));
        await sponsorPage.GotoAsync($"devops/expenses/{expenseId}");
        await Expect(sponsorPage.Locator("h1, h4").First).ToBeVisibleAsync();
        await Expect(sponsorPage.Locator("#expense-details")).ToHaveCountAsync(0);
        await Expect(sponsorPage.GetByText("A build server for March")).ToHaveCountAsync(0);
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

    /// <summary>An expense submitted by <paramref name="submitter"/> long ago (so it heads the dashboard's queue), from a fund holding 1,000.00 USD.</summary>
    private async Task<(int ExpenseId, int FundId)> ArrangeExpenseAsync(Person submitter, string vendor)
    {
        await using var db = app.NewDbContext();
        var submitterId = await db.Users.Where(u => u.Email == submitter.Email).Select(u => u.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var task = DevopsTask.Propose("Build servers", $"build-servers-{Person.Unique()}", "Servers for the nightly builds.", new Money(500_000, "USD"),
            Hours.FromHours(10), null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        var fundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();
        db.LedgerEntries.Add(LedgerEntry.Book(new LedgerPosting(fundId, LedgerEntryKind.Contribution, new Money(100_000, "USD"), new Money(100_000, "USD"), 1m,
            "Contribution for the browser test", now, now, null)));
        var expense = Expense.Submit(fundId, vendor, "A build server for March", ExpenseCategory.BuildServer, new Money(8_000, "USD"),
            new DateOnly(2016, 1, 1), submitterId, now);
        db.Expenses.Add(expense);
        await db.SaveChangesAsync();
        db.AuditEvents.Add(AuditEvent.Record("expense.submitted", nameof(Expense), expense.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), submitterId, now));
        await db.SaveChangesAsync();
        return (expense.Id, fundId);
    }
}
