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

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FundingPortal");
        if (app.Environment.IsDevelopment())
        {
            var seeded = await app.Services.GetRequiredService<DemoData>().SeedIfEmptyAsync(DemoScale.Small);
            if (seeded is not null)
            {
                logger.LogInformation("Demo data added. Sign in with:{Logins}", string.Concat(seeded.Logins.Select(l => $"{Environment.NewLine}  {l}")));
            }
        }
        var pickup = app.Services.GetRequiredService<MailPickupFolder>();
        if (string.IsNullOrEmpty(app.Configuration["Email:Smtp:Host"]))
        {
            logger.LogInformation("No SMTP server configured (Email:Smtp:Host): emails are written to {PickupFolder}", pickup.Path);
        }
        return true;
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
