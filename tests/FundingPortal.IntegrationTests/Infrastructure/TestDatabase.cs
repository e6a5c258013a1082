using FundingPortal.Web.Infrastructure;

using Npgsql;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>
/// The database a test run uses, chosen by <c>FP_TEST_DATABASE</c> (<c>Sqlite</c>, the default, or <c>Postgres</c>).
/// The same tests run on both; scripts/test.sh runs them once per provider.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    public abstract string ConnectionString { get; }

    public static TestDatabase FromEnvironment() => Environment.GetEnvironmentVariable("FP_TEST_DATABASE") switch
    {
        null or "" or "Sqlite" => new SqliteTestDatabase(),
        "Postgres" => new PostgresTestDatabase(Environment.GetEnvironmentVariable("FP_TEST_POSTGRES")
            ?? throw new InvalidOperationException("FP_TEST_DATABASE=Postgres needs FP_TEST_POSTGRES, a connection string to a server (scripts/test.sh starts one).")),
        var other => throw new InvalidOperationException($"FP_TEST_DATABASE is '{other}': use Sqlite or Postgres."),
    };

    public abstract Task CreateAsync();

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fp-sqlite-").FullName;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ConnectionString => $"Data Source={Path.Combine(_folder, "portal.db")}";

    public override Task CreateAsync() => Task.CompletedTask;

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A throw-away database on the PostgreSQL server the test script started, dropped at the end.</summary>
public sealed class PostgresTestDatabase(string serverConnectionString) : TestDatabase
{
    private readonly string _name = $"fp_test_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ConnectionString => new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = _name }.ConnectionString;

    public override async Task CreateAsync()
    {
        await using var connection = await OpenServerAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenServerAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
