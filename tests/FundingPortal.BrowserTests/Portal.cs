using System.Globalization;
using System.Text.RegularExpressions;

using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>Someone using the portal in a test: a unique address per test run, so tests never share accounts.</summary>
public sealed record Person(string Email, string DisplayName, string Password)
{
    public static Person New(string firstName) =>
        new($"{firstName.ToLowerInvariant()}-{Unique()}@example.com", $"{firstName} Example", "correct horse battery staple");

    /// <summary>12 hex digits: unique within a run (each run has a fresh database) and short enough to read in screenshots.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..12];
}

/// <summary>The steps many journeys share, done the way a person does them: through the pages.</summary>
public static partial class Portal
{
    public const string ConfirmSubject = "Confirm your FundingPortal email";

    public static ILocator AppBar(this IPage page) => page.Locator(".mud-appbar");

    /// <summary>The app bar's link to the account page, whose text is the signed-in person's email.</summary>
    public static ILocator AccountLink(this IPage page) => page.AppBar().Locator("a[title='Your account']");

    public static ILocator SignInLink(this IPage page) => page.AppBar().GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true });

    /// <summary>An Identity form field; their ids contain a dot (<c>Input.Email</c>), so they are matched by attribute.</summary>
    public static ILocator Field(this IPage page, string id) => page.Locator($"[id='{id}']");

    public static async Task RegisterAsync(this IPage page, Person person, string? password = null)
    {
        await page.GotoAsync("Account/Register");
        await page.Field("Input.Email").FillAsync(person.Email);
        await page.Field("Input.DisplayName").FillAsync(person.DisplayName);
        await page.Field("Input.Password").FillAsync(password ?? person.Password);
        await page.Field("Input.ConfirmPassword").FillAsync(password ?? person.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
    }

    /// <summary>Opens the link in the newest confirmation email to <paramref name="person"/>.</summary>
    public static async Task ConfirmEmailAsync(this IPage page, PortalApp app, Person person)
    {
        var email = await app.Mailbox.LatestAsync(person.Email, ConfirmSubject);
        await page.GotoAsync(email.SingleLink.AbsoluteUri);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Thank you for confirming your email.");
    }

    /// <summary>Submits the sign-in form, whatever the outcome.</summary>
    public static async Task SubmitSignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.Field("Input.Email").FillAsync(email);
        await page.Field("Input.Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>
    /// Makes every request of <paramref name="context"/> skip the portal's public output cache, for tests that arrange data straight in
    /// the database, past the cache's eviction. The cache never serves or stores a request that carries an <c>Authorization</c> header;
    /// a token that is no token signs no one in, so the pages are exactly what a visitor sees. (A random query string no longer does
    /// this: the cache varies only by the query keys an address reads.)
    /// </summary>
    public static Task BypassPublicCacheAsync(this IBrowserContext context) =>
        context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["Authorization"] = BypassPublicCache });

    /// <summary>The <c>Authorization</c> value <see cref="BypassPublicCacheAsync"/> sends.</summary>
    public const string BypassPublicCache = "Bearer not-a-token-bypass-the-public-cache";

    /// <summary>Signs in, sets up an authenticator app and signs in again with a fresh code: what an admin needs for admin pages.</summary>
    public static async Task SignInWithTwoFactorAsync(this IPage page, Person admin)
    {
        await page.SignInAsync(admin);
        await page.GotoAsync("Account/Manage/EnableAuthenticator");
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
    }

    public static async Task SignInAsync(this IPage page, Person person)
    {
        await page.SubmitSignInAsync(person.Email, person.Password);
        await Expect(page.AccountLink()).ToHaveTextAsync(person.Email);
    }

    /// <summary>Registers, confirms the address from the email and signs in: a person ready to use the portal.</summary>
    public static async Task SignUpAsync(this IPage page, PortalApp app, Person person)
    {
        await page.RegisterAsync(person);
        await Expect(page.Locator("#register-confirmation")).ToContainTextAsync(person.Email);
        await page.ConfirmEmailAsync(app, person);
        await page.SignInAsync(person);
    }

    public static async Task SignOutAsync(this IPage page)
    {
        await page.AppBar().GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.SignInLink()).ToBeVisibleAsync();
    }

    /// <summary>
    /// Waits until the interactive (server) renderer owns <paramref name="selector"/>. Prerendered HTML looks the same but
    /// ignores typing and clicks; Blazor marks elements it captured for a component with a <c>_bl_…</c> attribute.
    /// </summary>
    public static async Task WaitForInteractiveAsync(this IPage page, string selector)
    {
        await page.WaitForFunctionAsync(
            "selector => { const e = document.querySelector(selector); return !!e && e.getAttributeNames().some(n => n.startsWith('_bl_')); }",
            selector);
    }

    /// <summary>
    /// Opens the new-organisation page, fills what is given and presses Create (an empty slug takes the suggestion).
    /// Leaves the page wherever that leads.
    /// </summary>
    public static async Task SubmitNewOrganisationAsync(this IPage page, string name, string slug, string billingEmail)
    {
        if (!page.Url.EndsWith("/organisations/new", StringComparison.Ordinal))
        {
            await page.GotoAsync("organisations/new");
        }
        await page.WaitForInteractiveAsync("#org-name");
        await page.Locator("#org-name").FillAsync(name);
        if (!string.IsNullOrWhiteSpace(name))
        {
            // The name suggests a slug, shown as the slug field's placeholder.
            await Expect(page.Locator("#org-slug")).ToHaveAttributeAsync("placeholder", new Regex("^[a-z0-9-]+$"));
        }
        await page.Locator("#org-slug").FillAsync(slug);
        await page.Locator("#org-billing-email").FillAsync(billingEmail);
        await page.Locator("#create-organisation").ClickAsync();
    }

    /// <summary>Creates an organisation through the form and returns its id, read from the page it lands on.</summary>
    public static async Task<int> CreateOrganisationAsync(this IPage page, string name, string slug, string billingEmail)
    {
        await page.SubmitNewOrganisationAsync(name, slug, billingEmail);
        await page.WaitForURLAsync(OrganisationUrl());
        await Expect(page.Locator("h4")).ToHaveTextAsync(name);
        return OrganisationId(page);
    }

    public static int OrganisationId(IPage page) =>
        int.Parse(OrganisationUrl().Match(page.Url).Groups["id"].Value, CultureInfo.InvariantCulture);

    /// <summary>From the organisation page (as its owner): sends an invitation and waits for it to be listed.</summary>
    public static async Task InviteAsync(this IPage page, string email)
    {
        await page.WaitForInteractiveAsync("#invite-email");
        await page.Locator("#invite-email").FillAsync(email);
        await page.Locator("#send-invitation").ClickAsync();
        await Expect(page.Locator("#status-message")).ToHaveTextAsync("Invitation sent.");
        await Expect(page.Locator("#invitations")).ToContainTextAsync(email);
    }

    /// <summary>The row of <c>#members</c> that shows <paramref name="email"/>.</summary>
    public static ILocator MemberRow(this IPage page, string email) =>
        page.Locator("#members tbody tr").Filter(new() { HasText = email });

    /// <summary>The organisations table rows on "My organisations", or the notice that there are none.</summary>
    public static async Task ExpectNoOrganisationsAsync(this IPage page)
    {
        await page.GotoAsync("organisations");
        await Expect(page.GetByText("You do not belong to a sponsoring organisation yet.")).ToBeVisibleAsync();
        await Expect(page.Locator("table")).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"/organisations/(?<id>\d+)$")]
    public static partial Regex OrganisationUrl();
}
