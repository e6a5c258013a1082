using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Organisations;

namespace FundingPortal.UnitTests;

public class OrganisationTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Organisation Acme() => Organisation.Create(
        new OrganisationProfile("Acme", "acme", null, null, "billing@acme.example", PublicListing.ByName), "owner", Now);

    [Fact]
    public void The_creator_is_the_owner()
    {
        Assert.Equal(MemberRole.Owner, Acme().MemberFor("owner")!.Role);
    }

    [Fact]
    public void The_owner_cannot_be_removed_until_ownership_is_handed_over()
    {
        var organisation = Acme();
        organisation.AddMember("colleague", Now);

        Assert.Equal(ProblemKind.Conflict, organisation.RemoveMember("owner").Problem!.Kind);
        Assert.True(organisation.TransferOwnership("owner", "colleague").Succeeded);
        Assert.True(organisation.RemoveMember("owner").Succeeded);

        Assert.Equal(MemberRole.Owner, organisation.MemberFor("colleague")!.Role);
    }

    [Fact]
    public void Only_the_owner_hands_over_ownership()
    {
        var organisation = Acme();
        organisation.AddMember("colleague", Now);

        Assert.Equal(ProblemKind.Forbidden, organisation.TransferOwnership("colleague", "colleague").Problem!.Kind);
    }

    [Fact]
    public void A_member_joins_once()
    {
        var organisation = Acme();

        Assert.True(organisation.AddMember("colleague", Now).Succeeded);
        Assert.Equal(ProblemKind.Conflict, organisation.AddMember("colleague", Now).Problem!.Kind);
    }

    [Fact]
    public void Anonymous_sponsors_are_named_anonymously_in_public()
    {
        var organisation = Organisation.Create(new OrganisationProfile("Secret Corp", "secret", null, null, "a@secret.example", PublicListing.Anonymous), "owner", Now);

        Assert.Equal("Anonymous sponsor", organisation.PublicName);
    }

    [Theory]
    [InlineData("", "acme", "billing@acme.example", nameof(OrganisationInput.Name))]
    [InlineData("Acme", "Bad Slug!", "billing@acme.example", nameof(OrganisationInput.Slug))]
    [InlineData("Acme", "a", "billing@acme.example", nameof(OrganisationInput.Slug))]
    [InlineData("Acme", "-acme", "billing@acme.example", nameof(OrganisationInput.Slug))]
    [InlineData("Acme", "acme", "not-an-email", nameof(OrganisationInput.BillingEmail))]
    [InlineData("Acme", "acme", "", nameof(OrganisationInput.BillingEmail))]
    public void The_form_names_the_field_that_is_wrong(string name, string slug, string email, string field)
    {
        var input = new OrganisationInput { Name = name, Slug = slug, BillingEmail = email };

        Assert.Equal(field, input.Validate().Problem!.Field);
    }

    [Fact]
    public void Names_that_are_too_long_and_web_addresses_that_are_not_web_addresses_are_refused()
    {
        Assert.Equal(nameof(OrganisationInput.Name), new OrganisationInput { Name = new string('x', 121), Slug = "acme", BillingEmail = "b@acme.example" }.Validate().Problem!.Field);
        Assert.Equal(nameof(OrganisationInput.Website), new OrganisationInput { Name = "Acme", Slug = "acme", BillingEmail = "b@acme.example", Website = "javascript:alert(1)" }.Validate().Problem!.Field);
        Assert.Equal(nameof(OrganisationInput.LogoUrl), new OrganisationInput { Name = "Acme", Slug = "acme", BillingEmail = "b@acme.example", LogoUrl = "logo.png" }.Validate().Problem!.Field);
    }

    [Fact]
    public void A_valid_form_is_trimmed()
    {
        var profile = new OrganisationInput { Name = "  Acme  ", Slug = " acme ", BillingEmail = " b@acme.example ", Website = " " }.Validate().Value!;

        Assert.Equal(new OrganisationProfile("Acme", "acme", null, null, "b@acme.example", PublicListing.ByName), profile);
    }

    [Theory]
    [InlineData("Acme Compilers Ltd.", "acme-compilers-ltd")]
    [InlineData("  Über--Build  ", "ber-build")]
    public void Suggests_a_slug_from_the_name(string name, string slug)
    {
        Assert.Equal(slug, OrganisationInput.SuggestSlug(name));
    }
}
