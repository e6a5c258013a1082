using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Demo;

public enum DemoScale
{
    Small,
    Large,
}

public sealed record SeededDemo(IReadOnlyList<string> Logins);

/// <summary>
/// Fills an empty database with data that looks real: sponsoring organisations, the central fund, devops tasks of a compiler
/// project's CI, pledges of all three kinds in every state, two years of payments and CI job records.
/// </summary>
public sealed class DemoData(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string DemoPassword = "demo-password-2026";

    public async Task<SeededDemo?> SeedIfEmptyAsync(DemoScale scale, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Organisations.AnyAsync(cancellationToken))
        {
            return null;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var now = clock.GetUtcNow().UtcDateTime;

        var admin = await UserAsync(users, "admin@demo.fundingportal.local", "Ada Admin", Roles.Admin);
        var reviewer = await UserAsync(users, "reviewer@demo.fundingportal.local", "Rui Reviewer", Roles.Reviewer);
        var sponsor = await UserAsync(users, "sponsor@demo.fundingportal.local", "Sam Sponsor", null);

        var organisation = Organisation.Create(new OrganisationProfile("Lambda Forge Ltd", "lambda-forge", "https://lambda-forge.example", null,
            "billing@lambda-forge.example", PublicListing.ByName), sponsor.Id, now);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellationToken);

        return new SeededDemo([
            $"{admin.Email} / {DemoPassword} (admin; asked to set up an authenticator app)",
            $"{reviewer.Email} / {DemoPassword} (reviewer)",
            $"{sponsor.Email} / {DemoPassword} (sponsor member of {organisation.Name})",
        ]);
    }

    private static async Task<ApplicationUser> UserAsync(UserManager<ApplicationUser> users, string email, string name, string? role)
    {
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        var created = await users.CreateAsync(user, DemoPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }
        return user;
    }
}

public static class DemoModule
{
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoData>();
        return builder;
    }
}
