using System.Net;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Organisations;

using Microsoft.EntityFrameworkCore;

using MimeKit;

namespace FundingPortal.IntegrationTests;

[Collection(PortalTests.Name)]
public class OrganisationTests(PortalFactory portal)
{
    private static OrganisationInput Input(string? slug = null, string name = "Acme Compilers") => new()
    {
        Name = name,
        Slug = slug ?? $"acme-{Guid.NewGuid():N}"[..20],
        BillingEmail = "billing@acme.example",
        Website = "https://acme.example",
        Listing = PublicListing.ByName,
    };

    private Task<Result<int>> CreateAsync(TestUser owner, OrganisationInput input) =>
        portal.WithScopeAsync<SaveOrganisation, Result<int>>(save => save.CreateAsync(input, owner.Id));

    [Fact]
    public async Task Creating_an_organisation_makes_the_creator_its_owner_and_is_audited()
    {
        var owner = await portal.CreateUserAsync();

        var created = await CreateAsync(owner, Input());

        Assert.True(created.Succeeded, created.Problem?.Message);
        await using var db = portal.NewDbContext();
        var member = await db.OrganisationMembers.SingleAsync(m => m.OrganisationId == created.Value);
        Assert.Equal((owner.Id, MemberRole.Owner), (member.UserId, member.Role));
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "organisation.created" && a.OrganisationId == created.Value);
        Assert.Equal(owner.Id, audit.UserId);
        Assert.Contains("Acme Compilers", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slug_already_taken_is_refused_on_the_slug_field_and_nothing_is_saved()
    {
        var first = await portal.CreateUserAsync();
        var second = await portal.CreateUserAsync();
        var slug = $"taken-{Guid.NewGuid():N}"[..20];
        await CreateAsync(first, Input(slug));

        var duplicate = await CreateAsync(second, Input(slug, "Another Name"));

        Assert.Equal(nameof(OrganisationInput.Slug), duplicate.Problem!.Field);
        await using var db = portal.NewDbContext();
        Assert.False(await db.OrganisationMembers.AnyAsync(m => m.UserId == second.Id));
    }

    [Fact]
    public async Task Invalid_input_saves_nothing()
    {
        var owner = await portal.CreateUserAsync();

        var input = Input();
        input.BillingEmail = "nope";
        var result = await CreateAsync(owner, input);

        Assert.Equal(nameof(OrganisationInput.BillingEmail), result.Problem!.Field);
        await using var db = portal.NewDbContext();
        Assert.False(await db.OrganisationMembers.AnyAsync(m => m.UserId == owner.Id));
    }

    [Fact]
    public async Task A_member_cannot_edit_the_profile_and_a_stranger_cannot_even_see_it()
    {
        var owner = await portal.CreateUserAsync();
        var stranger = await portal.CreateUserAsync();
        var id = (await CreateAsync(owner, Input())).Value;

        var update = await portal.WithScopeAsync<SaveOrganisation, Result<int>>(save => save.UpdateAsync(id, Input(), stranger.Id));
        var details = await portal.WithScopeAsync<GetOrganisations, OrganisationDetails?>(get => get.DetailsAsync(id, stranger.Id));
        var mine = await portal.WithScopeAsync<GetOrganisations, IReadOnlyList<OrganisationSummary>>(get => get.MineAsync(stranger.Id));

        Assert.Equal(ProblemKind.NotFound, update.Problem!.Kind);
        Assert.Null(details);
        Assert.Empty(mine);
    }

    [Fact]
    public async Task A_stranger_opening_another_organisations_page_sees_not_found_and_none_of_its_data()
    {
        var owner = await portal.CreateUserAsync();
        var stranger = await portal.CreateUserAsync();
        var input = Input();
        input.BillingEmail = $"secret-{Guid.NewGuid():N}@acme.example";
        var id = (await CreateAsync(owner, input)).Value;
        var client = await SignIn.AsAsync(portal, stranger);

        var html = await client.GetStringAsync($"/organisations/{id}");

        Assert.Contains("Organisation not found", html, StringComparison.Ordinal);
        Assert.DoesNotContain(input.BillingEmail, html, StringComparison.Ordinal);
        Assert.DoesNotContain(input.Slug, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_sees_the_organisation_page_with_its_members()
    {
        var owner = await portal.CreateUserAsync(name: "Olga Owner");
        var input = Input();
        var id = (await CreateAsync(owner, input)).Value;
        var client = await SignIn.AsAsync(portal, owner);

        var html = await client.GetStringAsync($"/organisations/{id}");

        Assert.Contains(input.Slug, html, StringComparison.Ordinal);
        Assert.Contains(owner.Email, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organisation_pages_need_a_signed_in_user()
    {
        var response = await portal.NewBrowserlikeClient().GetAsync("/organisations");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_is_emailed_stored_only_as_a_hash_and_accepted_by_the_invited_address()
    {
        var owner = await portal.CreateUserAsync();
        var invited = await portal.CreateUserAsync(name: "Ivan Invited");
        var someoneElse = await portal.CreateUserAsync();
        var id = (await CreateAsync(owner, Input())).Value;

        var invitation = await portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.InviteAsync(id, invited.Email.ToUpperInvariant(), owner.Id, new Uri("http://portal.test/")));
        Assert.True(invitation.Succeeded, invitation.Problem?.Message);
        var token = InvitationTokenFromEmail(invited.Email);

        await using (var db = portal.NewDbContext())
        {
            var stored = await db.OrganisationInvitations.SingleAsync(i => i.Id == invitation.Value);
            Assert.NotEqual(token, stored.TokenHash);
            Assert.Equal(invited.Email, stored.Email);
        }

        var wrongPerson = await portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.AcceptAsync(token, someoneElse.Id));
        Assert.Equal(ProblemKind.Forbidden, wrongPerson.Problem!.Kind);

        var accepted = await portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.AcceptAsync(token, invited.Id));
        Assert.Equal(id, accepted.Value);

        var usedTwice = await portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.AcceptAsync(token, invited.Id));
        Assert.Equal(ProblemKind.NotFound, usedTwice.Problem!.Kind);

        await using var check = portal.NewDbContext();
        Assert.Equal(MemberRole.Member, (await check.OrganisationMembers.SingleAsync(m => m.OrganisationId == id && m.UserId == invited.Id)).Role);
        Assert.True(await check.AuditEvents.AnyAsync(a => a.OrganisationId == id && a.Action == "organisation.member-joined"));
    }

    [Fact]
    public async Task Inviting_is_for_owners_and_refuses_members_and_repeated_invitations()
    {
        var owner = await portal.CreateUserAsync();
        var member = await portal.CreateUserAsync();
        var id = (await CreateAsync(owner, Input())).Value;
        await AddMemberAsync(id, owner, member);
        var email = $"new-{Guid.NewGuid():N}@example.com";

        Assert.Equal(ProblemKind.Forbidden, (await InviteAsync(id, email, member)).Problem!.Kind);
        Assert.True((await InviteAsync(id, email, owner)).Succeeded);
        Assert.Equal("email", (await InviteAsync(id, email, owner)).Problem!.Field);
        Assert.Equal("email", (await InviteAsync(id, member.Email, owner)).Problem!.Field);
        Assert.Equal("email", (await InviteAsync(id, "not an email", owner)).Problem!.Field);
    }

    [Fact]
    public async Task The_owner_removes_members_hands_over_ownership_and_every_step_is_audited()
    {
        var owner = await portal.CreateUserAsync();
        var colleague = await portal.CreateUserAsync();
        var leaver = await portal.CreateUserAsync();
        var id = (await CreateAsync(owner, Input())).Value;
        await AddMemberAsync(id, owner, colleague);
        await AddMemberAsync(id, owner, leaver);

        Assert.Equal(ProblemKind.Forbidden, (await RemoveAsync(id, owner.Id, colleague)).Problem!.Kind);
        Assert.Equal(ProblemKind.Conflict, (await RemoveAsync(id, owner.Id, owner)).Problem!.Kind);
        Assert.True((await RemoveAsync(id, leaver.Id, owner)).Succeeded);
        Assert.True((await portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.TransferOwnershipAsync(id, colleague.Id, owner.Id))).Succeeded);
        Assert.True((await RemoveAsync(id, owner.Id, colleague)).Succeeded);

        await using var db = portal.NewDbContext();
        var members = await db.OrganisationMembers.Where(m => m.OrganisationId == id).Select(m => new { m.UserId, m.Role }).ToListAsync();
        Assert.Equal(new { UserId = colleague.Id, Role = MemberRole.Owner }, Assert.Single(members));
        var actions = await db.AuditEvents.Where(a => a.OrganisationId == id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["organisation.created", "organisation.member-invited", "organisation.member-joined", "organisation.member-invited",
            "organisation.member-joined", "organisation.member-removed", "organisation.ownership-transferred", "organisation.member-removed"], actions);
    }

    private Task<Result<int>> InviteAsync(int id, string email, TestUser by) =>
        portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.InviteAsync(id, email, by.Id, new Uri("http://portal.test/")));

    private Task<Result<int>> RemoveAsync(int id, string memberId, TestUser by) =>
        portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.RemoveAsync(id, memberId, by.Id));

    private async Task AddMemberAsync(int id, TestUser owner, TestUser member)
    {
        Assert.True((await InviteAsync(id, member.Email, owner)).Succeeded);
        var accepted = await portal.WithScopeAsync<ManageMembers, Result<int>>(m => m.AcceptAsync(InvitationTokenFromEmail(member.Email), member.Id));
        Assert.True(accepted.Succeeded, accepted.Problem?.Message);
    }

    /// <summary>Reads the invitation link out of the .eml the portal wrote to the pickup folder.</summary>
    private string InvitationTokenFromEmail(string to)
    {
        var message = Directory.GetFiles(portal.MailFolder, "*.eml")
            .Select(path => MimeMessage.Load(path))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)) && (m.Subject ?? "").Contains("invited", StringComparison.Ordinal))
            .OrderByDescending(m => m.Date)
            .First();
        var match = System.Text.RegularExpressions.Regex.Match(message.HtmlBody ?? "", "invitations/(inv_[0-9a-f]+)");
        Assert.True(match.Success, "The invitation email has no link.");
        return match.Groups[1].Value;
    }
}
