using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FundingPortal.Web.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>A setting that is missing or wrong. Start-up prints its message as one line and stops.</summary>
public sealed class ConfigurationProblemException(string message) : Exception(message);

/// <summary>
/// Chooses the database from <c>Database:Provider</c>: SQLite in a file under the data folder (the default), or
/// PostgreSQL from <c>ConnectionStrings:Default</c>. Each provider has its own migrations assembly.
/// </summary>
public static class Database
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:Default";

    /// <summary>
    /// Registers the context. The settings are read when first needed (not while the builder runs), so configuration
    /// added late — by a test host, say — is seen; <see cref="DatabaseSettings"/> is resolved right after build to fail early.
    /// </summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => Read(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));
        // Capabilities that must react to saved changes (the public page's cache) register an IInterceptor; every context gets them.
        builder.Services.AddDbContextFactory<AppDbContext>((services, options) =>
            Configure(options, services.GetRequiredService<DatabaseSettings>()).AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddDbContext<AppDbContext>((services, options) =>
                Configure(options, services.GetRequiredService<DatabaseSettings>()).AddInterceptors(services.GetServices<IInterceptor>()),
            optionsLifetime: ServiceLifetime.Singleton);
        builder.Services.AddSingleton<Handlers>();
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        return builder;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseSettings settings) =>
        settings.Provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(settings.ConnectionString, o => o.MigrationsAssembly("FundingPortal.Migrations.Sqlite")),
            DatabaseProvider.Postgres => options.UseNpgsql(settings.ConnectionString, o => o.MigrationsAssembly("FundingPortal.Migrations.Postgres")),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };

    public static DatabaseSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = ReadProvider(configuration);
        return new DatabaseSettings(provider, ConnectionString(configuration, environment, provider));
    }

    /// <summary>Brings the schema up to date. Returns the migrations it applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        return pending;
    }

    private static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var value = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new ConfigurationProblemException($"{ProviderKey} is '{value}': use 'Sqlite' (the default) or 'Postgres'.");
    }

    private static string ConnectionString(IConfiguration configuration, IHostEnvironment environment, DatabaseProvider provider)
    {
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        if (provider == DatabaseProvider.Postgres)
        {
            throw new ConfigurationProblemException(
                $"{ConnectionStringKey} is not set: {ProviderKey}=Postgres needs a connection string such as 'Host=localhost;Database=fundingportal;Username=portal;Password=…'.");
        }
        var folder = DataFolder.Resolve(configuration, environment);
        return $"Data Source={Path.Combine(folder, "fundingportal.db")}";
    }
}

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString);

/// <summary>Where the portal keeps its files on this machine: the SQLite database, the mail pickup folder, receipts.</summary>
public static class DataFolder
{
    public const string Key = "Portal:DataFolder";

    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var folder = Path.GetFullPath(configuration[Key] is { Length: > 0 } configured
            ? Path.Combine(environment.ContentRootPath, configured)
            : Path.Combine(environment.ContentRootPath, "data"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
