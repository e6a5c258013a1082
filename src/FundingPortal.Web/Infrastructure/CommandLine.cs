using FundingPortal.Web.Features.Administration;
using FundingPortal.Web.Features.Demo;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// Verbs of the web project that do their work and exit:
/// <c>migrate</c>, <c>create-admin --email E --password P</c>, <c>create-api-token --email E --name N</c>, <c>seed-demo [--scale small|large]</c>,
/// and in Development only <c>totp [--email E]</c>.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Verbs = ["migrate", "create-admin", "create-api-token", "seed-demo", "totp"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var output = Console.Out;
        try
        {
            var options = ParseOptions(args.Skip(1).ToArray());
            switch (args[0])
            {
                case "migrate":
                    var applied = await Database.MigrateAsync(app.Services);
                    await StartUp.EnsureBaseDataAsync(app.Services);
                    await output.WriteLineAsync(applied.Count == 0 ? "The database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
                    return 0;
                case "create-admin":
                    await PrepareDatabaseAsync(app);
                    await using (var scope = app.Services.CreateAsyncScope())
                    {
                        return Report(await scope.ServiceProvider.GetRequiredService<CreateAdmin>().RunAsync(Required(options, "email"), Required(options, "password")), output);
                    }
                case "create-api-token":
                    await PrepareDatabaseAsync(app);
                    await using (var scope = app.Services.CreateAsyncScope())
                    {
                        var token = await scope.ServiceProvider.GetRequiredService<ManageApiTokens>().CreateAsync(Required(options, "email"), Required(options, "name"), createdByUserId: null);
                        return Report(token.Succeeded ? new CommandResult(true, token.Value!) : new CommandResult(false, $"--{token.Problem!.Field}: {token.Problem.Message}"), output);
                    }
                case "seed-demo":
                    await PrepareDatabaseAsync(app);
                    var scale = options.GetValueOrDefault("scale", "small") switch
                    {
                        "small" => DemoScale.Small,
                        "large" => DemoScale.Large,
                        var other => throw new UsageException($"--scale is '{other}': use small or large."),
                    };
                    var seeded = await app.Services.GetRequiredService<DemoData>().SeedIfEmptyAsync(scale);
                    await output.WriteLineAsync(seeded is null
                        ? "The database already has organisations: demo data is only added to an empty database."
                        : $"Demo data added ({scale}). Sign in with:{string.Concat(seeded.Logins.Select(l => $"{Environment.NewLine}  {l}"))}");
                    return 0;
                case "totp":
                    if (!app.Environment.IsDevelopment())
                    {
                        return Report(new CommandResult(false,
                            $"totp: prints authenticator codes only in Development (this is {app.Environment.EnvironmentName}): elsewhere, use your authenticator app."), output);
                    }
                    await PrepareDatabaseAsync(app);
                    return Report(await CurrentCodeAsync(app, options.GetValueOrDefault("email", DemoAuthenticator.AdminEmail)), output);
            }
        }
        catch (UsageException usage)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {usage.Message}");
            return 2;
        }
        return 2;
    }

    private static int Report(CommandResult result, TextWriter output)
    {
        if (result.Succeeded)
        {
            output.WriteLine(result.Message);
            return 0;
        }
        Console.Error.WriteLine(result.Message);
        return 1;
    }

    /// <summary>What the account's authenticator app would show now: for a developer signing in as the demo admin.</summary>
    private static async Task<CommandResult> CurrentCodeAsync(WebApplication app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return new CommandResult(false, $"totp: --email: no account has the address {email}.");
        }
        if (await users.GetAuthenticatorKeyAsync(user) is not { Length: > 0 } key)
        {
            return new CommandResult(false, $"totp: --email: {email} has no authenticator key (it has not set up an authenticator app).");
        }
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        return new CommandResult(true, $"{Totp.Code(key, now)}  (authenticator code of {email}, valid for {Totp.SecondsLeft(now)} more seconds)");
    }

    private static async Task PrepareDatabaseAsync(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            await Database.MigrateAsync(app.Services);
        }
        await StartUp.EnsureBaseDataAsync(app.Services);
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new UsageException($"unexpected '{args[i]}': options are written --name value.");
            }
            options[args[i][2..]] = args[++i];
        }
        return options;
    }

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : throw new UsageException($"--{name} is required.");

    private sealed class UsageException(string message) : Exception(message);
}

/// <summary>What a command-line verb prints: a line for the person, and whether it worked.</summary>
public sealed record CommandResult(bool Succeeded, string Message);
