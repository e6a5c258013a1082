using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>What anyone sees before signing in, on a desktop and on a phone.</summary>
[Collection(SharedPortal.Name)]
public sealed class PublicPagesTests(PortalApp app)
{
    [Fact]
    public async Task The_home_page_on_a_desktop_shows_the_side_menu_and_offers_register_and_sign_in()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funding our shared infrastructure, in the open" })).ToBeVisibleAsync();
        await Expect(page.SignInLink()).ToBeVisibleAsync();
        await Expect(page.AppBar().GetByRole(AriaRole.Link, new() { Name = "Register", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".desktop-nav").GetByRole(AriaRole.Link, new() { Name = "Transparency" })).ToBeVisibleAsync();
        await Expect(page.Locator("details.mobile-nav > summary")).ToBeHiddenAsync();
        await PortalApp.ScreenshotAsync(page, "home");
    }

    [Fact]
    public async Task The_home_page_at_phone_width_has_a_menu_button_and_no_horizontal_scroll()
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await page.GotoAsync("");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funding our shared infrastructure, in the open" })).ToBeVisibleAsync();

        var menu = page.Locator("details.mobile-nav > summary");
        await Expect(menu).ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-label", "Menu");
        await Expect(page.Locator(".desktop-nav")).ToBeHiddenAsync();
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px viewport: it scrolls sideways.");
        await PortalApp.ScreenshotAsync(page, "home-phone");

        await menu.ClickAsync();
        await Expect(page.Locator("details.mobile-nav").GetByRole(AriaRole.Link, new() { Name = "Transparency" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_address_that_does_not_exist_shows_the_friendly_not_found_page()
    {
        var page = await app.NewPageAsync();

        var response = await page.GotoAsync($"no-such-page-{Guid.NewGuid():N}");

        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "We could not find that page" })).ToBeVisibleAsync();
        await Expect(page.SignInLink()).ToBeVisibleAsync();
    }
}
