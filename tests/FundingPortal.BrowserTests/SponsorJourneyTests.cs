using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>A sponsor's first visit: an account, an organisation, a colleague invited and joining.</summary>
[Collection(SharedPortal.Name)]
public sealed class SponsorJourneyTests(PortalApp app)
{
    [Fact]
    public async Task A_new_sponsor_registers_confirms_creates_an_organisation_invites_a_colleague_and_signs_out()
    {
        var alice = Person.New("Alice");
        var colleague = $"colleague-{Person.Unique()}@example.com";
        var slug = $"acme-{Person.Unique()}";
        var billing = $"billing-{Person.Unique()}@example.com";
        var page = await app.NewPageAsync();

        await page.GotoAsync("Account/Register");
        await PortalApp.ScreenshotAsync(page, "register");
        await page.RegisterAsync(alice);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your email");
        await Expect(page.Locator("#register-confirmation")).ToContainTextAsync($"We sent a confirmation link to {alice.Email}");

        var confirmation = await app.Mailbox.LatestAsync(alice.Email, Portal.ConfirmSubject);
        Assert.Contains(alice.DisplayName, confirmation.HtmlBody, StringComparison.Ordinal);
        await page.GotoAsync(confirmation.SingleLink.AbsoluteUri);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Thank you for confirming your email.");

        await page.SignInAsync(alice);
        await Expect(page.AccountLink()).ToHaveTextAsync(alice.Email);
        await Expect(page.SignInLink()).ToHaveCountAsync(0);

        await page.GotoAsync("organisations");
        await Expect(page.GetByText("You do not belong to a sponsoring organisation yet.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New organisation" }).ClickAsync();
        await page.WaitForURLAsync("**/organisations/new");

        var id = await page.CreateOrganisationAsync("Acme Compilers", slug, billing);
        Assert.True(id > 0);
        await Expect(page.GetByText("You are the owner of this organisation.")).ToBeVisibleAsync();
        var aliceRow = page.MemberRow(alice.Email);
        await Expect(aliceRow).ToHaveCountAsync(1);
        await Expect(aliceRow).ToContainTextAsync(alice.DisplayName);
        await Expect(aliceRow.Locator("td").Nth(2)).ToHaveTextAsync("Owner");

        await page.InviteAsync(colleague);
        var invitation = await app.Mailbox.LatestAsync(colleague, "You are invited to join Acme Compilers");
        Assert.Contains("/invitations/", invitation.SingleLink.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(app.BaseUrl.Authority, invitation.SingleLink.Authority);
        await PortalApp.ScreenshotAsync(page, "organisation-members");

        await page.GotoAsync("organisations");
        await Expect(page.Locator("table tbody tr").Filter(new() { HasText = "Acme Compilers" })).ToContainTextAsync(slug);

        await page.SignOutAsync();
        await Expect(page.SignInLink()).ToBeVisibleAsync();
        await Expect(page.AccountLink()).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_invited_colleague_registers_with_the_invited_address_and_joins_as_a_member()
    {
        var owner = Person.New("Olivia");
        var colleague = Person.New("Colin");
        var ownerPage = await app.NewPageAsync();
        await ownerPage.SignUpAsync(app, owner);
        var id = await ownerPage.CreateOrganisationAsync("Colin's New Team", "", $"pay-{Person.Unique()}@example.com");
        await Expect(ownerPage.Locator("#org-slug")).ToHaveValueAsync("colin-s-new-team");
        await ownerPage.InviteAsync(colleague.Email);
        var invitation = await app.Mailbox.LatestAsync(colleague.Email, "You are invited to join");

        var page = await app.NewPageAsync();
        await page.SignUpAsync(app, colleague);
        await page.GotoAsync(invitation.SingleLink.AbsoluteUri);
        await Expect(page.Locator("#invitation-text")).ToContainTextAsync("Olivia Example invites you to join Colin's New Team");
        await page.Locator("#accept-invitation").ClickAsync();

        await page.WaitForURLAsync(Portal.OrganisationUrl());
        Assert.Equal(id, Portal.OrganisationId(page));
        await Expect(page.Locator("h4")).ToHaveTextAsync("Colin's New Team");
        await Expect(page.GetByText("You are a member of this organisation.")).ToBeVisibleAsync();
        var colinRow = page.MemberRow(colleague.Email);
        await Expect(colinRow).ToContainTextAsync(colleague.DisplayName);
        await Expect(colinRow.Locator("td").Nth(2)).ToHaveTextAsync("Member");
        await Expect(page.MemberRow(owner.Email).Locator("td").Nth(2)).ToHaveTextAsync("Owner");

        // The owner sees the colleague joined and the invitation no longer waiting.
        await ownerPage.ReloadAsync();
        await Expect(ownerPage.MemberRow(colleague.Email).Locator("td").Nth(2)).ToHaveTextAsync("Member");
        await Expect(ownerPage.Locator("#invitations")).ToHaveCountAsync(0);
    }
}
