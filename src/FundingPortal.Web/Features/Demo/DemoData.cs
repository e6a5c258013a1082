using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

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
public sealed class DemoData(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PortalOptions> portal, IHostEnvironment environment)
{
    public const string DemoPassword = "teapot-glacier-2026";

    /// <summary>Whether the database is empty enough for demo data (no organisation yet).</summary>
    public async Task<bool> IsNeededAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return !await scope.ServiceProvider.GetRequiredService<AppDbContext>().Organisations.AnyAsync(cancellationToken);
    }

    public async Task<SeededDemo?> SeedIfEmptyAsync(DemoScale scale, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Organisations.AnyAsync(cancellationToken))
        {
            return null;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        // Only a developer's machine gets the admin's known authenticator key; anywhere else the admin sets up their own app.
        var keyStore = environment.IsDevelopment() ? scope.ServiceProvider.GetRequiredService<IUserStore<ApplicationUser>>() : null;
        var seeding = new DemoSeeding(db, users, keyStore, DemoSize.For(scale), portal.Value.BaseCurrency, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return await seeding.RunAsync();
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
