using System.Net;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

namespace FundingPortal.IntegrationTests.Fulfilment;

/// <summary>The pages of fulfilment and follow-up, requested over HTTP: reviewer pages refuse sponsors, sponsor pages hide other organisations' pledges.</summary>
[Collection(PortalTests.Name)]
public class PageAccessTests(PortalFactory portal)
{
    public static TheoryData<string> ReviewerPages => new()
    {
        "/devops", "/devops/follow-up", "/devops/time-entries", "/devops/deliveries", "/devops/pledges/1/fulfilment", "/devops/pledges/1/payments/new",
    };

    [Theory]
    [MemberData(nameof(ReviewerPages))]
    public async Task Reviewer_pages_send_anonymous_visitors_to_sign_in_and_sponsors_to_access_denied(string path)
    {
        var sponsor = await portal.CreateUserAsync(name: "Sam Sponsor");
        var anonymous = await portal.NewBrowserlikeClient().GetAsync(path);
        var signedIn = await (await SignIn.AsAsync(portal, sponsor)).GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/Account/Login", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("/Account/AccessDenied", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reviewer_sees_the_follow_up_and_a_pledge()
    {
        var arrange = await portal.Given().SponsorshipAsync("Visible Org");
        var pledge = await arrange.MoneyAsync(10_000, "USD", PledgeSchedule.OneOff(Given.Today.AddDays(-1)));
        var client = await SignIn.AsAsync(portal, arrange.Reviewer);

        var followUp = await client.GetStringAsync("/devops/follow-up");
        var page = await client.GetStringAsync($"/devops/pledges/{pledge.Id}/fulfilment");

        Assert.Contains("Follow-up", followUp, StringComparison.Ordinal);
        Assert.Contains("Visible Org", page, StringComparison.Ordinal);
        Assert.Contains("Record a payment", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hours")]
    [InlineData("deliveries")]
    public async Task Another_organisations_pledge_page_is_not_found_and_shows_none_of_its_data(string kind)
    {
        var owner = await portal.Given().SponsorshipAsync("Secret Sponsor Ltd");
        var pledge = await owner.EngineerTimeAsync(10, Given.Monthly(Given.Today.AddDays(-5), 2), engineer: "Hidden Engineer");
        var other = await portal.Given().SponsorshipAsync("Nosy Ltd");
        var client = await SignIn.AsAsync(portal, other.Sponsor);

        var viaTheirOrg = await client.GetStringAsync($"/organisations/{owner.OrganisationId}/pledges/{pledge.Id}/{kind}");
        var viaOwnOrg = await client.GetStringAsync($"/organisations/{other.OrganisationId}/pledges/{pledge.Id}/{kind}");
        var ownerView = await (await SignIn.AsAsync(portal, owner.Sponsor)).GetStringAsync($"/organisations/{owner.OrganisationId}/pledges/{pledge.Id}/{kind}");

        foreach (var html in new[] { viaTheirOrg, viaOwnOrg })
        {
            Assert.Contains("Pledge not found", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Secret Sponsor Ltd", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Hidden Engineer", html, StringComparison.Ordinal);
        }
        Assert.Contains("Secret Sponsor Ltd", ownerView, StringComparison.Ordinal);
    }
}
