namespace FundingPortal.Web.Features.Organisations;

/// <summary>
/// The one way handlers load an organisation: only if the user is a member. Anyone else gets "not found" — the same answer
/// as for an id that does not exist, so ids reveal nothing.
/// </summary>
internal static class OrganisationAccess
{
    public static Task<Organisation?> ForMemberAsync(this AppDbContext db, int organisationId, string userId, CancellationToken cancellationToken = default) =>
        db.Organisations
            .Include(o => o.Members)
            .Where(o => o.Id == organisationId && o.Members.Any(m => m.UserId == userId))
            .SingleOrDefaultAsync(cancellationToken);

    public static async Task<Result<Organisation>> ForOwnerAsync(this AppDbContext db, int organisationId, string userId, CancellationToken cancellationToken = default)
    {
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<Organisation>.NotFound("The organisation");
        }
        return organisation.MemberFor(userId)!.Role == MemberRole.Owner
            ? Result<Organisation>.Ok(organisation)
            : Result<Organisation>.Forbidden("Only the organisation's owner can do that.");
    }
}
