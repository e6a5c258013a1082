using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.EntityFrameworkCore;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>A sponsor pays an accepted card pledge through (fake) Stripe Checkout; the signed webhook books it.</summary>
[Collection(StripePortal.Name)]
public sealed class CardPaymentJourneyTests(StripePortalApp app)
{
    [Fact]
    public async Task A_sponsor_pays_a_pledge_by_card_and_the_dashboard_and_the_fund_show_the_payment()
    {
        var sponsor = Person.New("Paula");
        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, sponsor);
        var organisationId = await page.CreateOrganisationAsync("Card Compilers", $"card-{Person.Unique()}", $"billing-{Person.Unique()}@example.com");
        var (pledgeId, fundId) = await ArrangeCardPledgeAsync(organisationId, sponsor);

        await page.GotoAsync($"organisations/{organisationId}/dashboard");
        await page.WaitForInteractiveAsync($"#pay-{pledgeId}");
        await page.Locator($"#pay-{pledgeId}").ClickAsync();
        await page.WaitForInteractiveAsync("#pay-by-card");
        await page.Locator("#pay-by-card").ClickAsync();

        await page.WaitForURLAsync($"{app.Stripe.BaseUrl.AbsoluteUri}checkout/**");
        await Expect(page.Locator("#checkout-amount")).ToHaveTextAsync("12000 USD");
        await PortalApp.ScreenshotAsync(page, "stripe-checkout");
        await page.Locator("#fake-pay").ClickAsync();

        await page.WaitForURLAsync("**/payments/success?session_id=*");
        await Expect(page.Locator("#checkout-status")).ToContainTextAsync("Payment received: 120.00 USD");
        await PortalApp.ScreenshotAsync(page, "checkout-success");

        await page.Locator("#checkout-dashboard").ClickAsync();
        await Expect(page.Locator("#payments")).ToContainTextAsync("120.00");
        await Expect(page.Locator($"tr[data-pledge-id='{pledgeId}'] .pledge-status")).ToHaveTextAsync("Fulfilled");

        // The fund's balance, as the devops group sees it (the same person, given the reviewer role, signs in again).
        await page.SignOutAsync();
        await app.GrantRoleAsync(sponsor.Email, Roles.Reviewer);
        await page.SignInAsync(sponsor);
        await page.GotoAsync("devops");
        await Expect(page.Locator($"#fund-balances tr[data-fund-id='{fundId}'] .balance")).ToHaveTextAsync("120.00 USD");

        await using var db = app.NewDbContext();
        var payment = await db.Payments.SingleAsync(p => p.PledgeId == pledgeId);
        Assert.Equal((PaymentChannel.Stripe, 12_000L), (payment.Channel, payment.AmountMinor));
        Assert.Single(await db.LedgerEntries.Where(e => e.PaymentId == payment.Id).ToListAsync());
    }

    [Fact]
    public async Task An_admin_finds_a_payment_stripe_has_and_the_ledger_lacks_and_books_it()
    {
        var admin = Person.New("Ada");
        var created = await app.RunVerbAsync("create-admin", "--email", admin.Email, "--password", admin.Password);
        Assert.True(created.ExitCode == 0, created.Output);
        var customer = $"cus_{Person.Unique()}";
        int pledgeId;
        await using (var db = app.NewDbContext())
        {
            var adminId = await db.Users.Where(u => u.Email == admin.Email).Select(u => u.Id).SingleAsync();
            var organisation = Organisation.Create(new OrganisationProfile("Lost Webhook Ltd", $"lost-{Person.Unique()}", null, null,
                $"billing-{Person.Unique()}@example.com", PublicListing.ByName), adminId, DateTime.UtcNow);
            organisation.LinkStripeCustomer(customer);
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            (pledgeId, _) = await ArrangeCardPledgeAsync(organisation.Id, admin);
            var session = FakeStripe.PaidSession(pledgeId, organisation.Id, 12_000, "usd");
            session["customer"] = customer;
            app.Stripe.ListedSessions.Add(session);
        }

        var page = await app.NewPageAsync();
        await page.SignInWithTwoFactorAsync(admin);

        await page.GotoAsync("admin/stripe-reconciliation");
        var row = page.Locator("#missing tr").Filter(new() { HasText = "Lost Webhook Ltd" });
        await Expect(row).ToContainTextAsync("120.00 USD");
        await PortalApp.ScreenshotAsync(page, "stripe-reconciliation");
        await page.WaitForInteractiveAsync("#reconcile-refresh");
        await row.GetByRole(AriaRole.Button, new() { Name = "Book it" }).ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Booked");
        await Expect(page.Locator("#missing tr").Filter(new() { HasText = "Lost Webhook Ltd" })).ToHaveCountAsync(0);

        await using var after = app.NewDbContext();
        Assert.Equal(1, await after.Payments.CountAsync(p => p.PledgeId == pledgeId));
    }

    private async Task<(int PledgeId, int FundId)> ArrangeCardPledgeAsync(int organisationId, Person sponsor)
    {
        await using var db = app.NewDbContext();
        var sponsorId = await db.Users.Where(u => u.Email == sponsor.Email).Select(u => u.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var slug = $"arm-{Person.Unique()}";
        var task = DevopsTask.Propose("ARM runners", slug, "Native ARM builds.", new Money(1_000_000, "USD"), Hours.FromHours(10), null, now);
        task.MoveTo(DevopsTaskStatus.Open, null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        var fundId = await db.Funds.Where(f => f.TaskId == task.Id).Select(f => f.Id).SingleAsync();
        var pledge = Pledge.SubmitMoney(organisationId, fundId, new Money(12_000, "USD"), PledgeSchedule.OneOff(DateOnly.FromDateTime(now)),
            PaymentMethod.Card, PaymentTiming.Now, sponsorId, now);
        Assert.True(pledge.Accept(sponsorId, "Arranged for the test", now).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        return (pledge.Id, fundId);
    }
}
