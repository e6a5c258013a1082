using System.Data.Common;

using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Features.Demo;
using FundingPortal.Web.Infrastructure.Email;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Infrastructure;

/// <summary>What happens before the portal serves its first request: schema, base data, demo data, and what to tell the person who started it.</summary>
public static class StartUp
{
    /// <summary>Returns false (after printing one line saying why) when the portal cannot start.</summary>
    public static async Task<bool> PrepareAsync(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FundingPortal");
        logger.LogInformation("Starting FundingPortal ({Environment}): {Database}; data folder {DataFolder}. Checking the database…",
            app.Environment.EnvironmentName, Describe(settings), DataFolder.Resolve(app.Configuration, app.Environment));
        try
        {
            // The embedded SQLite database (and PostgreSQL in Development) migrates itself; production PostgreSQL uses the migrate verb.
            if (settings.Provider == DatabaseProvider.Sqlite || app.Environment.IsDevelopment())
            {
                await Database.MigrateAsync(app.Services);
            }
            else if (await PendingMigrationsAsync(app.Services) is { Count: > 0 } pending)
            {
                await Console.Error.WriteLineAsync(
                    $"The database is missing {pending.Count} migration(s): run 'dotnet run --project src/FundingPortal.Web -- migrate' first.");
                return false;
            }
            await EnsureBaseDataAsync(app.Services);
            // A SQLite import cut off by a stop left a Running batch whose records readers skip: take them out before serving.
            await ImportCiUsage.AbandonInterruptedAsync(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), TimeProvider.System);
        }
        catch (Exception exception) when (exception is DbException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync(
                $"Cannot use the {settings.Provider} database set by {Database.ConnectionStringKey}: {exception.GetBaseException().Message}");
            return false;
        }

        if (app.Environment.IsDevelopment())
        {
            var demo = app.Services.GetRequiredService<DemoData>();
            if (await demo.IsNeededAsync())
            {
                logger.LogInformation("Adding demo data to the empty database (two years of history: takes up to a minute)…");
                await demo.SeedIfEmptyAsync(DemoScale.Small);
            }
        }
        var pickup = app.Services.GetRequiredService<MailPickupFolder>();
        if (string.IsNullOrEmpty(app.Configuration["Email:Smtp:Host"]))
        {
            logger.LogInformation("No SMTP server configured (Email:Smtp:Host): emails are written to {PickupFolder}", pickup.Path);
        }
        if (!IdentitySetup.KeysAreEncrypted(app.Configuration))
        {
            // One line in words instead of Data Protection's "No XML encryptor configured" (filtered out in AddPortalIdentity).
            logger.Log(app.Environment.IsDevelopment() ? LogLevel.Information : LogLevel.Warning,
                "Data Protection keys (sign-in cookies, form tokens, email links) are stored unencrypted in the database; in production set {Setting} to a PFX certificate to encrypt them (docs/operations.md).",
                IdentitySetup.KeyCertificatePathKey);
        }
        var demoSignIn = app.Environment.IsDevelopment() ? await DemoSignInAsync(app.Services) : null;
        app.Lifetime.ApplicationStarted.Register(() => SayReady(app, logger, demoSignIn));
        return true;
    }

    private static string Describe(DatabaseSettings settings)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            return $"SQLite database {Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings.ConnectionString).DataSource)}";
        }
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString);
        return $"PostgreSQL database {postgres.Database ?? postgres.Username} on {postgres.Host}:{postgres.Port}";
    }

    /// <summary>How to sign in as the demo admin, when this Development database has one with the known authenticator key.</summary>
    private static async Task<string?> DemoSignInAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(DemoAuthenticator.AdminEmail) is not { } admin)
        {
            return null;
        }
        var hasKnownKey = await users.GetAuthenticatorKeyAsync(admin) == DemoAuthenticator.AdminKey;
        var nl = Environment.NewLine;
        return $"{nl}  Demo sign-in (every demo account's password is {DemoData.DemoPassword}):{nl}" +
            (hasKnownKey
                ? $"    admin    {DemoAuthenticator.AdminEmail}, authenticator key {DemoAuthenticator.AdminKey}{nl}" +
                  $"             (or run 'dotnet run --project src/FundingPortal.Web -- totp' for the current code){nl}"
                : $"    admin    {DemoAuthenticator.AdminEmail} (sets up an authenticator app at first sign-in){nl}") +
            $"    reviewer reviewer@demo.fundingportal.local{nl}" +
            $"    sponsor  sponsor@demo.fundingportal.local";
    }

    private static void SayReady(WebApplication app, ILogger logger, string? demoSignIn)
    {
        var addresses = app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var urls = addresses is { Count: > 0 } ? string.Join(" ", addresses) : "(no address: running in a test host)";
        logger.LogInformation("FundingPortal is ready: open {Urls}{DemoSignIn}", urls, demoSignIn ?? "");
    }

    /// <summary>Roles, the central fund and the CI providers' public list prices: rows every installation has.</summary>
    public static async Task EnsureBaseDataAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!await db.Funds.AnyAsync(f => f.Kind == FundKind.Central))
        {
            db.Funds.Add(Fund.Central(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync();
        }
        await CiListPrices.EnsureAsync(db);
    }

    private static async Task<List<string>> PendingMigrationsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return [.. await db.Database.GetPendingMigrationsAsync()];
    }
}
