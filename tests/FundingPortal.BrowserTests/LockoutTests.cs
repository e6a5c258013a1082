using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

[Collection(SharedPortal.Name)]
public sealed class LockoutTests(PortalApp app)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_even_the_right_password_does_not_sign_in()
    {
        var frank = Person.New("Frank");
        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, frank);
        await page.SignOutAsync();

        var lockedOut = false;
        for (var attempt = 1; attempt <= 6 && !lockedOut; attempt++)
        {
            await page.SubmitSignInAsync(frank.Email, $"wrong password number {attempt}");
            lockedOut = page.Url.Contains("/Account/Lockout", StringComparison.OrdinalIgnoreCase);
            if (!lockedOut)
            {
                await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Invalid login attempt" })).ToBeVisibleAsync();
            }
        }
        Assert.True(lockedOut, "Six wrong passwords did not lead to the lockout page.");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Locked out");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked out");
        await PortalApp.ScreenshotAsync(page, "lockout");

        await page.SubmitSignInAsync(frank.Email, frank.Password);
        await page.WaitForURLAsync("**/Account/Lockout");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked out");
        await Expect(page.SignInLink()).ToBeVisibleAsync();
        await Expect(page.AccountLink()).ToHaveCountAsync(0);
    }
}
