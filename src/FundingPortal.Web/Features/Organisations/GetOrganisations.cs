namespace FundingPortal.Web.Features.Organisations;

public sealed record OrganisationSummary(int Id, string Name, string Slug, MemberRole MyRole, int MemberCount);

public sealed record MemberView(string UserId, string DisplayName, string Email, MemberRole Role, DateTime JoinedAt);

public sealed record InvitationView(int Id, string Email, DateTime CreatedAt, DateTime ExpiresAt);

public sealed record OrganisationDetails(
    int Id,
    OrganisationInput Profile,
    MemberRole MyRole,
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<InvitationView> OpenInvitations);

/// <summary>What a signed-in user may read about organisations: only those they belong to.</summary>
public sealed class GetOrganisations(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
{
    public async Task<IReadOnlyList<OrganisationSummary>> MineAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Organisations.AsNoTracking()
            .Where(o => o.Members.Any(m => m.UserId == userId))
            .OrderBy(o => o.Name)
            .Select(o => new OrganisationSummary(o.Id, o.Name, o.Slug, o.Members.First(m => m.UserId == userId).Role, o.Members.Count))
            .ToListAsync(cancellationToken);
    }

    public async Task<OrganisationDetails?> DetailsAsync(int organisationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.Organisations.AsNoTracking()
            .Where(o => o.Id == organisationId && o.Members.Any(m => m.UserId == userId))
            .SingleOrDefaultAsync(cancellationToken);
        if (organisation is null)
        {
            return null;
        }
        var members = await db.OrganisationMembers.AsNoTracking()
            .Where(m => m.OrganisationId == organisationId)
            .OrderByDescending(m => m.Role).ThenBy(m => m.User!.DisplayName)
            .Select(m => new MemberView(m.UserId, m.User!.DisplayName, m.User.Email ?? "", m.Role, m.JoinedAt))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var invitations = await db.OrganisationInvitations.AsNoTracking()
            .Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.Email)
            .Select(i => new InvitationView(i.Id, i.Email, i.CreatedAt, i.ExpiresAt))
            .ToListAsync(cancellationToken);
        var myRole = members.Single(m => m.UserId == userId).Role;
        return new OrganisationDetails(organisation.Id, OrganisationInput.From(organisation), myRole, members, invitations);
    }
}
