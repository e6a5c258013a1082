using System.Text.RegularExpressions;

using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>The first admin, made on the command line, must set up an authenticator before admin pages open.</summary>
[Collection(SharedPortal.Name)]
public class AdminJourneyTests(PortalApp app)
{
    [Fact]
    public async Task An_admin_sets_up_two_factor_signs_in_with_a_code_and_grants_a_role_that_the_audit_trail_shows()
    {
        var person = Person.New("Priya");
        var personPage = await app.NewPageAsync();
        await personPage.SignUpAsync(app, person);

        var admin = Person.New("Ada");
        var created = await app.RunVerbAsync("create-admin", "--email", admin.Email, "--password", admin.Password);
        Assert.True(created.ExitCode == 0, created.Output);

        var page = await app.NewPageAsync();
        await page.SignInAsync(admin);
        await Expect(page.Locator("#admin-2fa-notice")).ToContainTextAsync("Admins must use two-factor authentication");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users and roles" })).ToHaveCountAsync(0);

        await page.GotoAsync("Account/Manage/EnableAuthenticator");
        await Expect(page.Locator("#authenticator-qr")).ToBeVisibleAsync();
        var key = (await page.Locator("kbd").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        await page.Locator("[id='Input.Code']").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("Your authenticator app has been verified.");

        await page.SignOutAsync();
        await page.SubmitSignInAsync(admin.Email, admin.Password);
        await page.WaitForURLAsync(new Regex("LoginWith2fa"));
        // A fresh code, as a person would read it a moment later, rather than the one already used to verify the app.
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 == step)
        {
            await Task.Delay(500);
        }
        await page.Locator("[id='Input.TwoFactorCode']").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.AccountLink()).ToHaveTextAsync(admin.Email);
        await Expect(page.Locator("#admin-2fa-notice")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Users and roles" }).First.ClickAsync();
        await page.WaitForInteractiveAsync("#user-search");
        await page.Locator("#user-search").FillAsync(person.Email);
        await page.Locator("#user-search").PressAsync("Enter");
        // The search has answered when only that account is listed; clicking earlier would hit a row about to be redrawn.
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("1 account");
        var row = page.Locator("#users tbody tr").Filter(new() { HasText = person.Email });
        await row.Locator("input[type=checkbox]").First.ClickAsync();
        await Expect(page.Locator("#status-message")).ToContainTextAsync($"{person.Email} is now Reviewer.");
        await PortalApp.ScreenshotAsync(page, "admin-users");

        await page.GotoAsync("admin/audit");
        await Expect(page.Locator("#audit tbody tr").First).ToContainTextAsync("user.role-granted");
        await Expect(page.Locator("#audit tbody tr").First).ToContainTextAsync(admin.Email);
    }
}
