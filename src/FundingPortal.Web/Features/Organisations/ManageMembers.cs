using System.Net;

using FundingPortal.Web.Infrastructure.Email;

namespace FundingPortal.Web.Features.Organisations;

/// <summary>Invitations by email link, joining, removing members and handing over ownership. Each change is audited.</summary>
public sealed class ManageMembers(IDbContextFactory<AppDbContext> contexts, Mailer mailer, TimeProvider clock)
{
    public async Task<Result<int>> InviteAsync(int organisationId, string email, string userId, Uri acceptBase, CancellationToken cancellationToken = default)
    {
        // Stored lower-case so "the same address" is a plain comparison on every database.
        email = email.Trim().ToLowerInvariant();
        if (!OrganisationInput.IsEmail(email))
        {
            return Result<int>.Invalid("email", "Enter the email address of the person to invite.");
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var access = await db.ForOwnerAsync(organisationId, userId, cancellationToken);
        if (!access.Succeeded)
        {
            return access.Problem!;
        }
        var organisation = access.Value!;
        var normalized = email.ToUpperInvariant();
        if (await db.OrganisationMembers.AnyAsync(m => m.OrganisationId == organisationId && m.User!.NormalizedEmail == normalized, cancellationToken))
        {
            return Result<int>.Invalid("email", "That person is already a member.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.OrganisationInvitations.AnyAsync(i => i.OrganisationId == organisationId && i.Email == email
                && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken))
        {
            return Result<int>.Invalid("email", "An invitation to that address is already waiting. Revoke it to send a new one.");
        }

        var token = SecretToken.New("inv_");
        var invitation = OrganisationInvitation.Create(organisationId, email, SecretToken.Hash(token), userId, now);
        db.OrganisationInvitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit("organisation.member-invited", nameof(OrganisationInvitation), Id(invitation.Id), userId, now, organisationId, after: new { email });
        await db.SaveChangesAsync(cancellationToken);

        var link = new Uri(acceptBase, $"invitations/{token}").AbsoluteUri;
        var inviter = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);
        var by = string.IsNullOrWhiteSpace(inviter) ? "" : $"{WebUtility.HtmlEncode(inviter)} has invited you";
        await mailer.SendAsync(new(email, $"You are invited to join {organisation.Name} on FundingPortal",
            $"<p>{(by.Length > 0 ? by : "You have been invited")} to join <strong>{WebUtility.HtmlEncode(organisation.Name)}</strong> on FundingPortal.</p>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Accept the invitation</a> (sign in or register with this email address first). " +
            $"The link works until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC.</p>"), cancellationToken);
        return Result<int>.Ok(invitation.Id);
    }

    public async Task<Result<int>> RevokeInvitationAsync(int organisationId, int invitationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var access = await db.ForOwnerAsync(organisationId, userId, cancellationToken);
        if (!access.Succeeded)
        {
            return access.Problem!;
        }
        var invitation = await db.OrganisationInvitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.OrganisationId == organisationId, cancellationToken);
        if (invitation is null)
        {
            return Result<int>.NotFound("The invitation");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        invitation.Revoke(now);
        db.Audit("organisation.invitation-revoked", nameof(OrganisationInvitation), Id(invitation.Id), userId, now, organisationId, before: new { invitation.Email });
        await db.SaveChangesAsync(cancellationToken);
        return Result<int>.Ok(invitation.Id);
    }

    /// <summary>What the invitation link shows before anyone accepts: who invites, to which organisation, for which address.</summary>
    public sealed record InvitationView(string OrganisationName, string? InvitedBy, string Email, DateTime ExpiresAt);

    /// <summary>
    /// The invitation behind a link, for its page (signed in or not): the link's secret token is what entitles someone to see it.
    /// An expired, used, revoked or unknown link is "not found".
    /// </summary>
    public async Task<Result<InvitationView>> DescribeInvitationAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = SecretToken.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var invitation = await db.OrganisationInvitations.AsNoTracking()
            .Where(i => i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null)
            .Select(i => new
            {
                i.ExpiresAt,
                i.Email,
                Organisation = i.Organisation!.Name,
                InvitedBy = db.Users.Where(u => u.Id == i.InvitedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (invitation is null || invitation.ExpiresAt <= now)
        {
            return Result<InvitationView>.NotFound("This invitation (it may have expired or been used)");
        }
        return Result<InvitationView>.Ok(new InvitationView(invitation.Organisation, string.IsNullOrWhiteSpace(invitation.InvitedBy) ? null : invitation.InvitedBy,
            invitation.Email, invitation.ExpiresAt));
    }

    /// <summary>Joins the organisation an invitation link points to. The signed-in user's email must be the one invited.</summary>
    public async Task<Result<int>> AcceptAsync(string token, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = SecretToken.Hash(token);
        var invitation = await db.OrganisationInvitations.Include(i => i.Organisation!).ThenInclude(o => o.Members)
            .SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (invitation is null || !invitation.IsOpen(now))
        {
            return Result<int>.NotFound("This invitation (it may have expired or been used)");
        }
        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        if (!string.Equals(user.Email, invitation.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Result<int>.Forbidden($"This invitation was sent to another email address. Sign in as that person to accept it.");
        }
        var joined = invitation.Organisation!.AddMember(userId, now);
        if (!joined.Succeeded)
        {
            return joined.Problem!;
        }
        invitation.Accept(userId, now);
        db.Audit("organisation.member-joined", nameof(Organisation), Id(invitation.OrganisationId), userId, now, invitation.OrganisationId, after: new { user.Email });
        await db.SaveChangesAsync(cancellationToken);
        return Result<int>.Ok(invitation.OrganisationId);
    }

    /// <summary>The owner removes a member, or a member leaves. The owner cannot be removed.</summary>
    public async Task<Result<int>> RemoveAsync(int organisationId, string memberUserId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<int>.NotFound("The organisation");
        }
        var leaving = memberUserId == userId;
        if (!leaving && organisation.MemberFor(userId)!.Role != MemberRole.Owner)
        {
            return Result<int>.Forbidden("Only the organisation's owner can remove members.");
        }
        var removed = organisation.RemoveMember(memberUserId);
        if (!removed.Succeeded)
        {
            return removed.Problem!;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.Audit(leaving ? "organisation.member-left" : "organisation.member-removed", nameof(Organisation), Id(organisationId), userId, now, organisationId,
            before: new { memberUserId, role = removed.Value!.Role.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return Result<int>.Ok(organisationId);
    }

    public async Task<Result<int>> TransferOwnershipAsync(int organisationId, string newOwnerUserId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisation = await db.ForMemberAsync(organisationId, userId, cancellationToken);
        if (organisation is null)
        {
            return Result<int>.NotFound("The organisation");
        }
        var transferred = organisation.TransferOwnership(userId, newOwnerUserId);
        if (!transferred.Succeeded)
        {
            return transferred.Problem!;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.Audit("organisation.ownership-transferred", nameof(Organisation), Id(organisationId), userId, now, organisationId,
            before: new { owner = userId }, after: new { owner = newOwnerUserId });
        await db.SaveChangesAsync(cancellationToken);
        return Result<int>.Ok(organisationId);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
