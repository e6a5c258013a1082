using FundingPortal.IntegrationTests.Infrastructure;

namespace FundingPortal.IntegrationTests;

/// <summary>The demo data goes into its own empty database, on the same provider as the rest of the run.</summary>
public class DemoDataTests
{
    [Fact]
    public async Task Seed_demo_fills_an_empty_database_once_and_prints_working_logins()
    {
        await using var database = TestDatabase.FromEnvironment();
        await database.CreateAsync();
        var dataFolder = Directory.CreateTempSubdirectory("fp-demo-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = database.Provider.ToString(),
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Portal__DataFolder"] = dataFolder,
        };
        try
        {
            if (database.Provider == Web.Infrastructure.DatabaseProvider.Postgres)
            {
                Assert.Equal(0, (await PortalProcess.RunAsync(environment, "migrate")).ExitCode);
            }

            var first = await PortalProcess.RunAsync(environment, "seed-demo");
            var second = await PortalProcess.RunAsync(environment, "seed-demo");

            Assert.True(first.ExitCode == 0, first.Error);
            Assert.Contains("reviewer@demo.fundingportal.local", first.Output, StringComparison.Ordinal);
            Assert.Contains("only added to an empty database", second.Output, StringComparison.Ordinal);
            Assert.Equal(2, (await PortalProcess.RunAsync(environment, "seed-demo", "--scale", "huge")).ExitCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataFolder, recursive: true);
        }
    }
}
