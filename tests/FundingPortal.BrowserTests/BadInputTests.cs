using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>Wrong input is refused with a message on the field it concerns, and nothing is saved.</summary>
[Collection(SharedPortal.Name)]
public sealed class BadInputTests(PortalApp app)
{
    [Fact]
    public async Task Registering_with_a_six_character_password_names_the_password_and_creates_no_account()
    {
        var bob = Person.New("Bob");
        var page = await app.NewPageAsync();

        await page.RegisterAsync(bob, password: "abc123");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Register");
        var passwordMessage = page.Locator(".account-field").Filter(new() { Has = page.Field("Input.Password") }).Locator(".validation-message");
        await Expect(passwordMessage).ToContainTextAsync("Password");
        await Expect(passwordMessage).ToContainTextAsync("at least 12");
        // The form keeps the address typed, so only the password needs correcting.
        await Expect(page.Field("Input.Email")).ToHaveValueAsync(bob.Email);
        Assert.Empty(app.Mailbox.Find(bob.Email));

        await page.SubmitSignInAsync(bob.Email, "abc123");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Invalid login attempt" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("", "empty-name", "org-name", "Enter the organisation's name.")]
    [InlineData("Bad Slug Ltd", "Bad Slug!", "org-slug", "lowercase letters, digits and hyphens")]
    public async Task Creating_an_organisation_with_bad_input_shows_the_message_on_the_field_and_creates_nothing(
        string name, string slug, string field, string message)
    {
        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, Person.New("Carol"));

        await page.SubmitNewOrganisationAsync(name, slug, $"billing-{Person.Unique()}@example.com");

        await ExpectFieldProblemAsync(page, field, message);
        Assert.EndsWith("/organisations/new", page.Url, StringComparison.Ordinal);
        await page.ExpectNoOrganisationsAsync();
    }

    [Fact]
    public async Task Creating_an_organisation_with_a_slug_another_organisation_uses_names_the_slug_and_creates_nothing()
    {
        var slug = $"taken-{Person.Unique()}";
        var first = await app.NewPageAsync();
        await first.SignUpAsync(app, Person.New("Dan"));
        await first.CreateOrganisationAsync("First Owner Ltd", slug, $"first-{Person.Unique()}@example.com");

        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, Person.New("Erin"));
        await page.SubmitNewOrganisationAsync("Second Owner Ltd", slug, $"second-{Person.Unique()}@example.com");

        await ExpectFieldProblemAsync(page, "org-slug", "Another organisation already uses that slug.");
        Assert.EndsWith("/organisations/new", page.Url, StringComparison.Ordinal);
        await page.ExpectNoOrganisationsAsync();
    }

    /// <summary>The MudTextField around <paramref name="inputId"/> is marked in error and its helper text says <paramref name="message"/>.</summary>
    private static async Task ExpectFieldProblemAsync(IPage page, string inputId, string message)
    {
        var control = page.Locator(".mud-input-control").Filter(new() { Has = page.Locator($"#{inputId}") });
        await Expect(control.Locator(".mud-input-helper-text")).ToContainTextAsync(message);
        await Expect(page.Locator($"#{inputId}")).ToHaveAttributeAsync("aria-invalid", "true");
    }
}
