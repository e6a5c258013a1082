using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

[Collection(SharedPortal.Name)]
public sealed class AuthorisationTests(PortalApp app)
{
    [Fact]
    public async Task Someone_outside_an_organisation_who_opens_its_address_sees_not_found_and_none_of_its_data()
    {
        var billing = $"secret-billing-{Person.Unique()}@example.com";
        var name = $"Private Org {Person.Unique()}";
        var ownerPage = await app.NewPageAsync();
        await ownerPage.SignUpAsync(app, Person.New("Grace"));
        var id = await ownerPage.CreateOrganisationAsync(name, $"private-{Person.Unique()}", billing);

        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, Person.New("Mallory"));

        // The HTML the server sends (prerendered, before any circuit)...
        var response = await page.Context.APIRequest.GetAsync($"organisations/{id}");
        var html = await response.TextAsync();
        Assert.Contains("Organisation not found", html, StringComparison.Ordinal);
        Assert.DoesNotContain(billing, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(name, html, StringComparison.Ordinal);

        // ...and the page once the interactive circuit has rendered it.
        await page.GotoAsync($"organisations/{id}");
        await Expect(page.Locator("h4")).ToHaveTextAsync("Organisation not found");
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await Expect(page.Locator("#members")).ToHaveCountAsync(0);
        var rendered = await page.ContentAsync();
        Assert.DoesNotContain(billing, rendered, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(name, rendered, StringComparison.Ordinal);
    }
}
