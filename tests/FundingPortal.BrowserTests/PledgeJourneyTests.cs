using System.Globalization;
using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>A sponsor pledges engineer time and money through the guided form; a reviewer accepts both; the sponsor sees them on the dashboard.</summary>
[Collection(SharedPortal.Name)]
public sealed partial class PledgeJourneyTests(PortalApp app)
{
    private static string NextMonth
    {
        get
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            return new DateOnly(today.Year, today.Month, 1).AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task A_sponsor_pledges_hours_and_money_a_reviewer_accepts_and_the_dashboard_shows_them()
    {
        var sponsor = Person.New("Sally");
        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, sponsor);
        var organisationId = await page.CreateOrganisationAsync("Haskell Compilers Inc", $"hci-{Person.Unique()}", $"billing-{Person.Unique()}@example.com");
        var taskTitle = $"Windows build under 90 minutes {Person.Unique()}";
        var taskFund = await OpenTaskAsync(taskTitle);

        // 40 hours over 4 months: 10 h a month, 4 periods.
        await page.Locator("#organisation-new-pledge").ClickAsync();
        await page.WaitForURLAsync($"**/organisations/{organisationId}/pledges/new");
        await page.WaitForInteractiveAsync("#pledge-start");
        await page.Locator("#pledge-fund").SelectOptionAsync(taskFund.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#pledge-kind").SelectOptionAsync("EngineerTime");
        await Expect(page.Locator("#pledge-hours")).ToBeVisibleAsync();
        await page.Locator("#pledge-start").FillAsync(NextMonth);
        await page.Locator("#pledge-periods").FillAsync("4");
        await page.Locator("#pledge-hours").FillAsync("10");
        await page.Locator("#pledge-engineer").FillAsync("Erin Engineer");
        await page.Locator("#pledge-rate").FillAsync("120");
        await PortalApp.ScreenshotAsync(page, "pledge-form");
        await page.Locator("#pledge-review").ClickAsync();

        await Expect(page.Locator("#pledge-summary-text")).ToHaveTextAsync(
            $"10 h of engineer time (Erin Engineer) a month for 4 months from {NextMonth} to the task '{taskTitle}' = 40 h in total; valued at 120.00 USD an hour");
        await Expect(page.Locator("#pledge-summary-total")).ToHaveTextAsync("40 h");
        await PortalApp.ScreenshotAsync(page, "pledge-summary");
        await page.Locator("#pledge-submit").ClickAsync();
        await page.WaitForURLAsync(PledgeUrl());
        var hoursPledge = PledgeId(page);
        await Expect(page.Locator("#pledge-status")).ToHaveTextAsync("Submitted, waiting for review");
        await Expect(page.Locator("#no-installments")).ToBeVisibleAsync();

        // Bad input is refused on its field, and a money pledge by invoice goes through.
        await page.GotoAsync($"organisations/{organisationId}/pledges/new");
        await page.WaitForInteractiveAsync("#pledge-start");
        await page.Locator("#pledge-fund").SelectOptionAsync(new SelectOptionValue { Label = "Central fund" });
        await Expect(page.Locator("#card-notice")).ToContainTextAsync("Card payment arrives with Stripe");
        await page.Locator("#pledge-periods").FillAsync("12");
        await page.Locator("#pledge-amount").FillAsync("0");
        await page.Locator("#pledge-review").ClickAsync();
        await Expect(page.GetByText("The amount must be more than zero.")).ToBeVisibleAsync();
        await page.Locator("#pledge-currency").FillAsync("JPY");
        await page.Locator("#pledge-amount").FillAsync("10.5");
        await page.Locator("#pledge-review").ClickAsync();
        await Expect(page.GetByText("JPY has no minor unit: enter a whole amount.")).ToBeVisibleAsync();
        await page.Locator("#pledge-currency").FillAsync("USD");
        await page.Locator("#pledge-amount").FillAsync("500");
        await page.Locator("#pledge-method").SelectOptionAsync("Invoice");
        await page.Locator("#pledge-review").ClickAsync();
        await Expect(page.Locator("#pledge-summary-text")).ToHaveTextAsync(
            $"500.00 USD a month for 12 months from {NextMonth} to the central fund = 6,000.00 USD in total; paid by invoice");
        await page.Locator("#pledge-submit").ClickAsync();
        await page.WaitForURLAsync(PledgeUrl());
        var moneyPledge = PledgeId(page);
        Assert.NotEqual(hoursPledge, moneyPledge);

        // A reviewer (someone else) accepts both from the queue.
        var reviewer = Person.New("Rita");
        var reviewerPage = await app.NewPageAsync();
        await reviewerPage.RegisterAsync(reviewer);
        await Expect(reviewerPage.Locator("#register-confirmation")).ToContainTextAsync(reviewer.Email);
        await reviewerPage.ConfirmEmailAsync(app, reviewer);
        await app.GrantRoleAsync(reviewer.Email, "Reviewer");
        await reviewerPage.SignInAsync(reviewer);
        await reviewerPage.GetByRole(AriaRole.Link, new() { Name = "Pledges to review" }).ClickAsync();
        await reviewerPage.WaitForURLAsync("**/devops/pledges");
        var row = reviewerPage.Locator($"#review-queue tr[data-pledge-id='{hoursPledge}']");
        await Expect(row).ToContainTextAsync("Haskell Compilers Inc");
        await Expect(row).ToContainTextAsync("40 h");
        await PortalApp.ScreenshotAsync(reviewerPage, "review-queue");
        foreach (var pledge in new[] { hoursPledge, moneyPledge })
        {
            await reviewerPage.GotoAsync($"devops/pledges/{pledge}");
            await reviewerPage.WaitForInteractiveAsync("#review-reason");
            await reviewerPage.Locator("#review-accept").ClickAsync();
            await Expect(reviewerPage.GetByText("Give a reason: the sponsor reads it.")).ToBeVisibleAsync();
            await reviewerPage.Locator("#review-reason").FillAsync("Thank you, this is exactly what the task needs.");
            if (pledge == hoursPledge)
            {
                await PortalApp.ScreenshotAsync(reviewerPage, "review-pledge");
            }
            await reviewerPage.Locator("#review-accept").ClickAsync();
            await Expect(reviewerPage.Locator("#status-message")).ToContainTextAsync("the pledge is accepted; its status is now Active");
            await Expect(reviewerPage.Locator("#pledge-status")).ToHaveTextAsync("Active");
        }
        var accepted = await app.Mailbox.LatestAsync(await BillingEmailAsync(organisationId), "Pledge accepted");
        Assert.Contains("Thank you, this is exactly what the task needs.", accepted.HtmlBody, StringComparison.Ordinal);

        // The reviewer is no member of the organisation: its dashboard and pledges are "not found" for them.
        await reviewerPage.GotoAsync($"organisations/{organisationId}/dashboard");
        await Expect(reviewerPage.GetByText("Organisation not found")).ToBeVisibleAsync();
        await reviewerPage.GotoAsync($"organisations/{organisationId}/pledges/{hoursPledge}");
        await Expect(reviewerPage.GetByText("Pledge not found")).ToBeVisibleAsync();

        // The sponsor's dashboard (one organisation: the menu goes straight there): both active, the hours pledge with its 4 installments.
        await page.GetByRole(AriaRole.Link, new() { Name = "Sponsor dashboard" }).ClickAsync();
        await page.WaitForURLAsync($"**/organisations/{organisationId}/dashboard");
        var hoursRow = page.Locator($"#pledges tr[data-pledge-id='{hoursPledge}']");
        await Expect(hoursRow.Locator(".pledge-status")).ToHaveTextAsync("Active");
        await Expect(hoursRow.Locator(".pledge-installments")).ToHaveTextAsync("4");
        await Expect(page.Locator($"#pledges tr[data-pledge-id='{moneyPledge}'] .pledge-status")).ToHaveTextAsync("Active");
        await Expect(page.Locator("#due-next")).ToContainTextAsync("10 h");

        // A payment recorded for the money pledge gets a printable receipt, for members only.
        var paymentId = await PaymentAsync(moneyPledge);
        await page.ReloadAsync();
        await Expect(page.Locator("#payments")).ToContainTextAsync("500.00 USD");
        await PortalApp.ScreenshotAsync(page, "sponsor-dashboard");
        await page.GotoAsync($"organisations/{organisationId}/receipts/{paymentId}");
        await Expect(page.Locator("#receipt-amount")).ToHaveTextAsync("500.00 USD");
        await Expect(page.Locator("#receipt-payer")).ToContainTextAsync("Haskell Compilers Inc");
        await Expect(page.Locator("#receipt-reference")).ToHaveTextAsync("BANK-REF-42");
        await PortalApp.ScreenshotAsync(page, "receipt");
        await reviewerPage.GotoAsync($"organisations/{organisationId}/receipts/{paymentId}");
        await Expect(reviewerPage.GetByText("Receipt not found")).ToBeVisibleAsync();
        await Expect(reviewerPage.Locator("#receipt-amount")).ToHaveCountAsync(0);
    }

    private async Task<int> OpenTaskAsync(string title)
    {
        await using var db = app.NewDbContext();
        var task = DevopsTask.Propose(title, $"win-{Person.Unique()}", "Get the Windows build under the limit.", new Money(500_000, "USD"), Hours.FromHours(40), null, DateTime.UtcNow);
        Assert.True(task.MoveTo(DevopsTaskStatus.Open, null, DateTime.UtcNow).Succeeded);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task.Fund!.Id;
    }

    private async Task<string> BillingEmailAsync(int organisationId)
    {
        await using var db = app.NewDbContext();
        return await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.BillingEmail).SingleAsync();
    }

    private async Task<int> PaymentAsync(int pledgeId)
    {
        await using var db = app.NewDbContext();
        var pledge = await db.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId);
        var installment = pledge.Installments.OrderBy(i => i.Sequence).First();
        var payment = Payment.Record(new PaymentReceipt(pledge.OrganisationId, pledge.Id, installment.Id, pledge.FundId, PaymentChannel.BankTransfer,
            pledge.Amount, pledge.Amount, 1m, DateTime.UtcNow, "BANK-REF-42", $"bank-{Person.Unique()}", null));
        db.Payments.Add(payment);
        await db.SaveChangesAsync();
        return payment.Id;
    }

    private static int PledgeId(IPage page) => int.Parse(PledgeUrl().Match(page.Url).Groups["id"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/pledges/(?<id>\d+)(\?.*)?$")]
    private static partial Regex PledgeUrl();
}
