using System.Net.Http.Headers;
using System.Net.Http.Json;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Administration;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

/// <summary>The verbs of the web project, run as processes against the test database.</summary>
[Collection(PortalTests.Name)]
public class CommandLineTests(PortalFactory portal)
{
    private Dictionary<string, string> Environment => new()
    {
        ["Database__Provider"] = portal.Database.Provider.ToString(),
        ["ConnectionStrings__Default"] = portal.Database.ConnectionString,
        ["Portal__DataFolder"] = portal.DataFolder,
    };

    [Fact]
    public async Task Migrate_reports_an_up_to_date_database()
    {
        var outcome = await PortalProcess.RunAsync(Environment, "migrate");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("The database is up to date.", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_admin_makes_a_confirmed_admin_and_create_api_token_prints_a_working_token_once()
    {
        var email = $"root-{Guid.NewGuid():N}@example.com";

        var admin = await PortalProcess.RunAsync(Environment, "create-admin", "--email", email, "--password", "a-long-admin-password");
        var token = await PortalProcess.RunAsync(Environment, "create-api-token", "--email", email, "--name", "nightly import");

        Assert.True(admin.ExitCode == 0, admin.Error);
        Assert.True(token.ExitCode == 0, token.Error);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True(user.EmailConfirmed);
            Assert.True(await users.IsInRoleAsync(user, Roles.Admin));
            Assert.True(await users.CheckPasswordAsync(user, "a-long-admin-password"));
        }
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Output.Trim());
        var me = await client.GetFromJsonAsync<WhoAmI>("/api/me");
        Assert.Equal([Roles.Admin], me!.Roles);
    }

    [Theory]
    [InlineData("create-admin", "--email", "not-an-email", "--password", "a-long-admin-password", "--email")]
    [InlineData("create-admin", "--email", "short@example.com", "--password", "short", "--password")]
    [InlineData("create-admin", "--email", "guessable@example.com", "--password", "password1234", "--password")]
    [InlineData("create-api-token", "--email", "nobody@example.com", "--name", "x", "--email")]
    public async Task Bad_arguments_exit_non_zero_with_a_line_naming_the_option(string verb, string o1, string v1, string o2, string v2, string named)
    {
        var outcome = await PortalProcess.RunAsync(Environment, verb, o1, v1, o2, v2);

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(named, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_option_is_named()
    {
        var outcome = await PortalProcess.RunAsync(Environment, "create-api-token", "--email", "x@example.com");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--name is required", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_provider_stops_start_up_with_one_line_naming_the_setting()
    {
        var outcome = await PortalProcess.RunAsync(new Dictionary<string, string> { ["Database__Provider"] = "Oracle" }, "migrate");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("Configuration error: Database:Provider is 'Oracle': use 'Sqlite' (the default) or 'Postgres'.", outcome.Error.Trim());
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_names_the_missing_setting()
    {
        var outcome = await PortalProcess.RunAsync(new Dictionary<string, string> { ["Database__Provider"] = "Postgres", ["ConnectionStrings__Default"] = "" });

        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith("Configuration error: ConnectionStrings:Default is not set", outcome.Error.Trim(), StringComparison.Ordinal);
        Assert.Single(outcome.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unreachable_database_names_the_connection_setting()
    {
        var outcome = await PortalProcess.RunAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2",
            ["Portal__DataFolder"] = portal.DataFolder,
        });

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("ConnectionStrings:Default", outcome.Error, StringComparison.Ordinal);
    }
}
