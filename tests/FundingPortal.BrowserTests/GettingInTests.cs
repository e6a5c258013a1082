using System.Text.RegularExpressions;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>
/// Getting in, at desktop and phone width: signing in before confirming, registering a taken address, an invitation link seen
/// before and after signing in, and the account pages' look (they fit the screen and pass axe-core).
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class GettingInTests(PortalApp app)
{
    public static TheoryData<string> Widths => new() { "desktop", "phone" };

    private static ViewportSize Viewport(string width) => width == "phone" ? ScreenChecks.Phone : ScreenChecks.Desktop;

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Signing_in_before_confirming_says_so_and_the_link_sent_again_confirms_the_address(string width)
    {
        var una = Person.New("Una");
        var page = await app.NewPageAsync(Viewport(width));
        await page.RegisterAsync(una);
        await Expect(page.Locator("#register-confirmation")).ToContainTextAsync(una.Email);

        await page.SubmitSignInAsync(una.Email, una.Password);

        var notice = page.Locator("#email-not-confirmed");
        await Expect(notice).ToContainTextAsync($"Your email address {una.Email} is not confirmed yet.");
        await Expect(page.GetByText("Invalid login attempt")).ToHaveCountAsync(0);
        await page.AssertFitsAsync();
        await page.AssertAccessibleAsync();
        if (width == "desktop")
        {
            await PortalApp.ScreenshotAsync(page, "sign-in-unconfirmed");
        }

        await notice.GetByRole(AriaRole.Button, new() { Name = "Send the link again" }).ClickAsync();
        await Expect(page.Locator("#confirmation-resent")).ToContainTextAsync($"We sent a new confirmation link to {una.Email}");
        await WaitForAsync(() => app.Mailbox.Find(una.Email, Portal.ConfirmSubject).Count == 2, "a second confirmation email");

        await page.ConfirmEmailAsync(app, una);
        await page.SignInAsync(una);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_wrong_password_for_an_unconfirmed_address_gets_the_usual_answer(string width)
    {
        var vic = Person.New("Vic");
        var page = await app.NewPageAsync(Viewport(width));
        await page.RegisterAsync(vic);
        await Expect(page.Locator("#register-confirmation")).ToContainTextAsync(vic.Email);

        await page.SubmitSignInAsync(vic.Email, "certainly not the password");

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Invalid login attempt" })).ToBeVisibleAsync();
        await Expect(page.Locator("#email-not-confirmed")).ToHaveCountAsync(0);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Registering_a_taken_address_shows_the_page_a_new_registration_shows_and_emails_the_owner(string width)
    {
        var owner = Person.New("Owen");
        var ownerPage = await app.NewPageAsync(Viewport(width));
        await ownerPage.SignUpAsync(app, owner);
        var fresh = Person.New("Fay");

        var newcomer = await app.NewPageAsync(Viewport(width));
        await newcomer.RegisterAsync(fresh);
        var newPage = await newcomer.Locator(".account-card").InnerTextAsync();
        var intruder = await app.NewPageAsync(Viewport(width));
        await intruder.RegisterAsync(owner with { DisplayName = "Someone Else", Password = "another long passphrase here" });

        await Expect(intruder.Locator("h1")).ToHaveTextAsync("Check your email");
        await Expect(intruder.Locator("#register-confirmation")).ToContainTextAsync($"We sent a confirmation link to {owner.Email}");
        Assert.Equal(newPage.Replace(fresh.Email, "ADDRESS", StringComparison.Ordinal),
            (await intruder.Locator(".account-card").InnerTextAsync()).Replace(owner.Email, "ADDRESS", StringComparison.Ordinal));
        await Expect(intruder.GetByText("already taken")).ToHaveCountAsync(0);
        await intruder.AssertFitsAsync();

        var warning = await app.Mailbox.LatestAsync(owner.Email, "Someone tried to register");
        Assert.Contains(warning.Links, l => l.AbsolutePath.EndsWith("/Account/Login", StringComparison.Ordinal));
        var reset = Assert.Single(warning.Links, l => l.AbsolutePath.EndsWith("/Account/ResetPassword", StringComparison.Ordinal));
        // The owner's account is unchanged: the old password still signs in, and the reset link opens the reset form.
        var later = await app.NewPageAsync(Viewport(width));
        await later.SignInAsync(owner);
        await later.GotoAsync(reset.AbsoluteUri);
        await Expect(later.Locator("h1")).ToHaveTextAsync("Reset password");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Registering_with_problems_shows_each_on_its_field_at_once(string width)
    {
        var page = await app.NewPageAsync(Viewport(width));
        await page.GotoAsync("Account/Register");
        await page.Field("Input.Email").FillAsync("not-an-address");
        await page.Field("Input.Password").FillAsync("short");
        await page.Field("Input.ConfirmPassword").FillAsync("different");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();

        await Expect(FieldMessage(page, "Input.Email")).ToHaveTextAsync("Enter an email address such as name@example.com.");
        await Expect(FieldMessage(page, "Input.DisplayName")).ToHaveTextAsync("Enter your name.");
        await Expect(FieldMessage(page, "Input.Password")).ToContainTextAsync("at least 12");
        await Expect(FieldMessage(page, "Input.ConfirmPassword")).ToHaveTextAsync("The password and its confirmation do not match.");
        await Expect(page.Field("Input.Email")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertFitsAsync();
        await page.AssertAccessibleAsync();
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_invitation_page_names_the_organisation_and_who_invites_before_and_after_signing_in(string width)
    {
        var owner = Person.New("Ines");
        var guest = Person.New("Gus");
        var organisation = $"Invite Works {Person.Unique()}";
        var ownerPage = await app.NewPageAsync();
        await ownerPage.SignUpAsync(app, owner);
        await ownerPage.CreateOrganisationAsync(organisation, "", $"pay-{Person.Unique()}@example.com");
        await ownerPage.InviteAsync(guest.Email);
        var link = (await app.Mailbox.LatestAsync(guest.Email, $"You are invited to join {organisation}")).SingleLink;

        var page = await app.NewPageAsync(Viewport(width));
        await page.GotoAsync(link.AbsoluteUri);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Join {organisation}");
        await Expect(page.Locator("#invitation-text")).ToContainTextAsync($"{owner.DisplayName} invites you to join {organisation}");
        await page.AssertFitsAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Register" }).Last.ClickAsync();
        await page.WaitForURLAsync(new Regex("Account/Register"));

        await page.SignUpAsync(app, guest);
        await page.GotoAsync(link.AbsoluteUri);
        await Expect(page.Locator("#invitation-text")).ToContainTextAsync($"{owner.DisplayName} invites you to join {organisation}");
        await page.Locator("#accept-invitation").ClickAsync();
        await page.WaitForURLAsync(Portal.OrganisationUrl());
        await Expect(page.Locator("h4")).ToHaveTextAsync(organisation);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_account_pages_fit_the_screen_and_pass_the_accessibility_check(string width)
    {
        var page = await app.NewPageAsync(Viewport(width));
        foreach (var address in new[] { "Account/Login", "Account/Register", "Account/ForgotPassword", "Account/ResendEmailConfirmation", "Account/Lockout" })
        {
            await page.GotoAsync(address);
            await Expect(page.Locator(".account-card")).ToBeVisibleAsync();
            await page.AssertFitsAsync();
            await page.AssertAccessibleAsync();
        }
        if (width == "desktop")
        {
            await page.GotoAsync("Account/Login");
            await PortalApp.ScreenshotAsync(page, "sign-in");
        }

        await page.SignUpAsync(app, Person.New("Mia"));
        foreach (var address in new[]
        {
            "Account/Manage", "Account/Manage/Email", "Account/Manage/ChangePassword", "Account/Manage/TwoFactorAuthentication",
            "Account/Manage/EnableAuthenticator", "Account/Manage/Sessions", "Account/Manage/PersonalData",
        })
        {
            await page.GotoAsync(address);
            await Expect(page.Locator(".account-manage")).ToBeVisibleAsync();
            await page.AssertFitsAsync();
            await page.AssertAccessibleAsync();
        }
        if (width == "desktop")
        {
            await page.GotoAsync("Account/Manage");
            await PortalApp.ScreenshotAsync(page, "account");
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), $"Waited 10 s for {what}.");
    }

    private static ILocator FieldMessage(IPage page, string id) =>
        page.Locator(".account-field").Filter(new() { Has = page.Field(id) }).Locator(".validation-message");
}
