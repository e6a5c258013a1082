using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>
/// Fulfilment from both sides: a sponsor logs hours on an engineer-time pledge and a reviewer confirms them; a money pledge by
/// invoice falls overdue, is followed up with exactly one reminder, and its bank payment lands on the fund's balance.
/// The pledges are arranged in the database (the pledge form and review are journeys of their own).
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class FulfilmentJourneyTests(PortalApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Hours_are_logged_and_confirmed_and_an_overdue_invoice_is_reminded_once_then_paid()
    {
        var sponsor = Person.New("Sofia");
        var reviewer = Person.New("Reuben");
        var billing = $"billing-{Person.Unique()}@example.com";
        var sponsorPage = await app.NewPageAsync();
        await sponsorPage.SignUpAsync(app, sponsor);
        var organisationId = await sponsorPage.CreateOrganisationAsync("Hourly Compilers", $"hourly-{Person.Unique()}", billing);
        var (fundId, timePledgeId, moneyPledgeId) = await ArrangePledgesAsync(organisationId, sponsor);

        // The sponsor logs 10 hours delivered 40 days ago, in the pledge's second month (past its 30-day grace period, so it counts).
        await sponsorPage.GotoAsync($"organisations/{organisationId}/pledges/{timePledgeId}/hours");
        await sponsorPage.WaitForInteractiveAsync("#hours-hours");
        await Expect(sponsorPage.Locator("#hours-engineer")).ToHaveValueAsync("Eve Engineer");
        await sponsorPage.Locator("#hours-date").FillAsync(Today.AddDays(-40).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await sponsorPage.Locator("#hours-hours").FillAsync("10");
        await sponsorPage.Locator("#hours-description").FillAsync("Moved the Windows jobs to the new runners");
        await sponsorPage.Locator("#log-hours").ClickAsync();
        await Expect(sponsorPage.Locator("#status-message")).ToContainTextAsync("10 hours logged");
        await Expect(sponsorPage.Locator("#time-entries")).ToContainTextAsync("Submitted");
        await PortalApp.ScreenshotAsync(sponsorPage, "log-hours");

        // A reviewer confirms them.
        var page = await app.NewPageAsync();
        await page.RegisterAsync(reviewer);
        await page.ConfirmEmailAsync(app, reviewer);
        await app.GrantRoleAsync(reviewer.Email, Roles.Reviewer);
        await page.SignInAsync(reviewer);
        var entryId = await EntryIdAsync(timePledgeId);
        await page.GotoAsync("devops/time-entries");
        await page.WaitForInteractiveAsync($"#reason-{entryId}");
        var row = page.Locator($"#time-entry-queue tr[data-entry-id='{entryId}']");
        await Expect(row).ToContainTextAsync("Hourly Compilers");
        await Expect(row).ToContainTextAsync("10 h");
        await PortalApp.ScreenshotAsync(page, "confirm-hours");
        await page.Locator($"#confirm-{entryId}").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Confirmed 10 h from Hourly Compilers");
        await Expect(row).ToHaveCountAsync(0);

        // Two months due (20 hours), 10 delivered: half honoured, on the reviewer's page and the sponsor's.
        await page.GotoAsync($"devops/pledges/{timePledgeId}/fulfilment");
        await Expect(page.Locator("#honoured-rate")).ToHaveTextAsync("50%");
        await Expect(page.Locator("#installments tr[data-installment='2']")).ToContainTextAsync("Fulfilled");
        await sponsorPage.ReloadAsync();
        await Expect(sponsorPage.Locator("#time-entries")).ToContainTextAsync("Confirmed");
        await Expect(sponsorPage.Locator("#honoured-rate")).ToHaveTextAsync("50%");

        // The overdue invoice is on the follow-up list; sending due reminders mails the billing address once, however often it is pressed.
        await page.GotoAsync("devops/follow-up");
        await page.WaitForInteractiveAsync("#toggle-snoozed");
        var overdue = page.Locator($"#overdue tr[data-pledge-id='{moneyPledgeId}']");
        await Expect(overdue).ToContainTextAsync("500.00 USD");
        await Expect(overdue.Locator("td").Nth(4)).ToHaveTextAsync("3");
        await PortalApp.ScreenshotAsync(page, "follow-up");
        await page.Locator("#send-reminders").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("reminders sent");
        var reminder = await app.Mailbox.LatestAsync(billing, "Payment of 500.00 USD");
        Assert.Contains($"is 3 days overdue", reminder.Subject, StringComparison.Ordinal);
        await Expect(overdue.Locator("td").Nth(6)).ToHaveTextAsync("1");
        await page.Locator("#send-reminders").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("0 reminders sent");
        Assert.Single(app.Mailbox.Find(billing, "Payment of"));

        // The bank payment arrives and is recorded against it.
        await page.GotoAsync($"devops/pledges/{moneyPledgeId}/payments/new");
        await page.WaitForInteractiveAsync("#payment-amount");
        await Expect(page.Locator("#payment-currency")).ToHaveValueAsync("USD");
        await Expect(page.Locator("#payment-rate")).ToHaveCountAsync(0);
        await page.Locator("#payment-amount").FillAsync("500.00");
        await page.Locator("#payment-reference").FillAsync($"INV-{Person.Unique()}");
        await PortalApp.ScreenshotAsync(page, "record-payment");
        await page.Locator("#record-payment").ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Payment recorded");
        await Expect(page.Locator("#payments")).ToContainTextAsync("500.00 USD");
        await Expect(page.Locator("#pledge-status")).ToHaveTextAsync("Fulfilled");

        // The fund's balance shows it, on the dashboard and in the ledger.
        await page.GotoAsync("devops");
        await Expect(page.Locator($"#fund-balances tr[data-fund-id='{fundId}'] .balance")).ToHaveTextAsync("500.00 USD");
        await PortalApp.ScreenshotAsync(page, "devops-dashboard");
        await using var db = app.NewDbContext();
        var entry = await db.LedgerEntries.SingleAsync(e => e.FundId == fundId);
        Assert.Equal((50_000L, "USD", LedgerEntryKind.Contribution, (int?)organisationId), (entry.AmountMinor, entry.Currency, entry.Kind, entry.CounterpartyOrganisationId));
    }

    private async Task<(int FundId, int TimePledgeId, int MoneyPledgeId)> ArrangePledgesAsync(int organisationId, Person sponsor)
    {
        await using var db = app.NewDbContext();
        var sponsorId = await db.Users.Where(u => u.Email == sponsor.Email).Select(u => u.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var task = DevopsTask.Propose("Windows runners", $"windows-{Person.Unique()}", "Keep the Windows build under 90 minutes.",
            new Money(500_000, "USD"), Hours.FromHours(40), null, now);
        task.MoveTo(DevopsTaskStatus.Open, null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        var fundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();

        // 10 h a month for 4 months, started three months and five days ago: two months are past their 30-day grace period today
        // (an honoured rate counts an installment once its due date, the period's last day, plus the grace days is before today).
        var time = Pledge.SubmitEngineerTime(organisationId, fundId, Hours.FromHours(10),
            new PledgeSchedule(PledgeFrequency.Monthly, Today.AddMonths(-3).AddDays(-5), null, 4), "Eve Engineer", new Money(15_000, "USD"), sponsorId, now);
        var money = Pledge.SubmitMoney(organisationId, fundId, new Money(50_000, "USD"), PledgeSchedule.OneOff(Today.AddDays(-3)),
            PaymentMethod.Invoice, PaymentTiming.Now, sponsorId, now);
        foreach (var pledge in new[] { time, money })
        {
            Assert.True(pledge.Accept(sponsorId, "Arranged for the test", now).Succeeded);
            db.Pledges.Add(pledge);
        }
        await db.SaveChangesAsync();
        return (fundId, time.Id, money.Id);
    }

    private async Task<int> EntryIdAsync(int pledgeId)
    {
        await using var db = app.NewDbContext();
        return await db.TimeEntries.Where(t => t.PledgeId == pledgeId).Select(t => t.Id).SingleAsync();
    }
}
