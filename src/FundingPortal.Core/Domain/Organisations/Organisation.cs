namespace FundingPortal.Core.Domain;

public enum PublicListing
{
    /// <summary>Shown on public pages under its own name.</summary>
    ByName,

    /// <summary>Counted on public pages, but only as "anonymous sponsor".</summary>
    Anonymous,
}

public enum MemberRole
{
    Member,
    Owner,
}

/// <summary>A sponsoring organisation and its members. Every private query is scoped to the organisations a user belongs to.</summary>
public class Organisation
{
    public const int NameMaxLength = 120;
    public const int SlugMaxLength = 60;
    public const int UrlMaxLength = 400;
    public const int EmailMaxLength = 256;

    private readonly List<OrganisationMember> _members = [];

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Slug { get; private set; } = "";

    public string? Website { get; private set; }

    public string? LogoUrl { get; private set; }

    public string BillingEmail { get; private set; } = "";

    public PublicListing Listing { get; private set; }

    public string? StripeCustomerId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public IReadOnlyList<OrganisationMember> Members => _members;

    public string PublicName => Listing == PublicListing.ByName ? Name : "Anonymous sponsor";

    public static Organisation Create(OrganisationProfile profile, string ownerUserId, DateTime now)
    {
        var organisation = new Organisation { CreatedAt = now };
        organisation.Update(profile);
        organisation._members.Add(new OrganisationMember(ownerUserId, MemberRole.Owner, now));
        return organisation;
    }

    public void Update(OrganisationProfile profile)
    {
        Name = profile.Name;
        Slug = profile.Slug;
        Website = profile.Website;
        LogoUrl = profile.LogoUrl;
        BillingEmail = profile.BillingEmail;
        Listing = profile.Listing;
    }

    public void LinkStripeCustomer(string customerId) => StripeCustomerId = customerId;

    public OrganisationMember? MemberFor(string userId) => _members.Find(m => m.UserId == userId);

    public Result<OrganisationMember> AddMember(string userId, DateTime now)
    {
        if (MemberFor(userId) is not null)
        {
            return Result<OrganisationMember>.Conflict("That person is already a member.");
        }
        var member = new OrganisationMember(userId, MemberRole.Member, now);
        _members.Add(member);
        return Result<OrganisationMember>.Ok(member);
    }

    /// <summary>Removes a member. The owner cannot be removed: ownership is handed over first.</summary>
    public Result<OrganisationMember> RemoveMember(string userId)
    {
        var member = MemberFor(userId);
        if (member is null)
        {
            return Result<OrganisationMember>.NotFound("The member");
        }
        if (member.Role == MemberRole.Owner)
        {
            return Result<OrganisationMember>.Conflict("The owner cannot be removed. Hand over ownership first.");
        }
        _members.Remove(member);
        return Result<OrganisationMember>.Ok(member);
    }

    /// <summary>Makes another member the owner; the previous owner stays on as a member.</summary>
    public Result<OrganisationMember> TransferOwnership(string fromUserId, string toUserId)
    {
        var from = MemberFor(fromUserId);
        if (from is not { Role: MemberRole.Owner })
        {
            return Result<OrganisationMember>.Forbidden("Only the owner can hand over ownership.");
        }
        var to = MemberFor(toUserId);
        if (to is null)
        {
            return Result<OrganisationMember>.NotFound("The new owner");
        }
        if (to == from)
        {
            return Result<OrganisationMember>.Invalid("newOwner", "You are already the owner.");
        }
        from.ChangeRole(MemberRole.Member);
        to.ChangeRole(MemberRole.Owner);
        return Result<OrganisationMember>.Ok(to);
    }
}

/// <summary>What a person can set on an organisation's profile, already validated.</summary>
public sealed record OrganisationProfile(string Name, string Slug, string? Website, string? LogoUrl, string BillingEmail, PublicListing Listing);

public class OrganisationMember
{
    internal OrganisationMember(string userId, MemberRole role, DateTime joinedAt)
    {
        UserId = userId;
        Role = role;
        JoinedAt = joinedAt;
    }

    public int Id { get; private set; }

    public int OrganisationId { get; private set; }

    public string UserId { get; private set; }

    public ApplicationUser? User { get; private set; }

    public MemberRole Role { get; private set; }

    public DateTime JoinedAt { get; private set; }

    internal void ChangeRole(MemberRole role) => Role = role;
}

/// <summary>
/// An invitation sent by email. Only a hash of the link's token is stored, so a database copy cannot be used to join.
/// </summary>
public class OrganisationInvitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private OrganisationInvitation()
    {
    }

    public int Id { get; private set; }

    public int OrganisationId { get; private set; }

    public Organisation? Organisation { get; private set; }

    public string Email { get; private set; } = "";

    public string TokenHash { get; private set; } = "";

    public string InvitedByUserId { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? AcceptedAt { get; private set; }

    public string? AcceptedByUserId { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public bool IsOpen(DateTime now) => AcceptedAt is null && RevokedAt is null && now < ExpiresAt;

    public static OrganisationInvitation Create(int organisationId, string email, string tokenHash, string invitedBy, DateTime now) => new()
    {
        OrganisationId = organisationId,
        Email = email,
        TokenHash = tokenHash,
        InvitedByUserId = invitedBy,
        CreatedAt = now,
        ExpiresAt = now + Lifetime,
    };

    public void Accept(string userId, DateTime now)
    {
        AcceptedAt = now;
        AcceptedByUserId = userId;
    }

    public void Revoke(DateTime now) => RevokedAt = now;
}
