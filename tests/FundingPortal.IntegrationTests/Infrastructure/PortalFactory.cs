using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using MimeKit;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>
/// The whole portal in-process on a real database (SQLite file or PostgreSQL, see <see cref="TestDatabase"/>), with its own
/// data folder so the mail pickup folder can be read. Shared by every test in the run; each test makes its own data.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct-horse-battery";

    public TestDatabase Database { get; } = TestDatabase.FromEnvironment();

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("fp-data-").FullName;

    public string MailFolder => Path.Combine(DataFolder, "mail");

    public virtual async Task InitializeAsync()
    {
        await Database.CreateAsync();
        // As an operator would: the migrate verb's work first (PostgreSQL does not migrate itself outside Development),
        // then the host's own start-up (roles, the central fund).
        var options = new DbContextOptionsBuilder<AppDbContext>();
        FundingPortal.Web.Infrastructure.Database.Configure(options, new DatabaseSettings(Database.Provider, Database.ConnectionString));
        await using (var db = new AppDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }
        Start();
    }

    /// <summary>Starts the in-process test server; a derived portal can start on a real port instead.</summary>
    protected virtual void Start() => _ = Server;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await DisposeMoreAsync();
        await Database.DisposeAsync();
        Directory.Delete(DataFolder, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
        builder.UseSetting("Portal:DataFolder", DataFolder);
        builder.UseSetting("Portal:SignInAttemptsPerMinute", "10000");
        builder.UseSetting("Portal:PublicRequestsPerMinute", "100000");
        Configure(builder);
    }

    /// <summary>Settings a derived portal (its own database, other limits) adds on top.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>What a derived fixture started besides the portal.</summary>
    protected virtual Task DisposeMoreAsync() => Task.CompletedTask;

    /// <summary>Arranges what a test starts from on this portal.</summary>
    public Given Given() => new(this);

    /// <summary>The emails in the pickup folder addressed to <paramref name="to"/>.</summary>
    public IReadOnlyList<(string Subject, string Html)> EmailsTo(string to)
    {
        if (!Directory.Exists(MailFolder))
        {
            return [];
        }
        var found = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(MailFolder, "*.eml"))
        {
            using var message = MimeMessage.Load(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add((message.Subject ?? "", message.HtmlBody ?? ""));
            }
        }
        return found;
    }

    public AppDbContext NewDbContext() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    /// <summary>Runs a handler (or anything scoped) as the app would resolve it.</summary>
    public async Task<TResult> WithScopeAsync<TService, TResult>(Func<TService, Task<TResult>> use) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A confirmed account with a unique email, optionally in a role.</summary>
    public async Task<TestUser> CreateUserAsync(string? role = null, string name = "Test Person")
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }
        return new TestUser(user.Id, email, Password);
    }

    /// <summary>This portal, on the same database, with the OpenAPI document switched on as an operator would (<c>Portal:OpenApi</c>).</summary>
    public WebApplicationFactory<Program> WithOpenApi() => WithWebHostBuilder(b => b.UseSetting("Portal:OpenApi", "true"));

    /// <summary>An HTTP client that keeps cookies and does not follow redirects, so tests can see where the portal sends them.</summary>
    public HttpClient NewBrowserlikeClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}

public sealed record TestUser(string Id, string Email, string Password);

[CollectionDefinition(Name)]
public sealed class PortalTests : ICollectionFixture<PortalFactory>
{
    public const string Name = "Portal";
}
