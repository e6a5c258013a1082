using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Core.Domain;

/// <summary>A person who signs in. Roles (Admin, Reviewer) come from Identity; organisation membership from <see cref="OrganisationMember"/>.</summary>
public class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Reviewer = "Reviewer";

    public static readonly string[] All = [Admin, Reviewer];
}
