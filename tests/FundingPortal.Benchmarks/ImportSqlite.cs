using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using FundingPortal.Web.Infrastructure;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Benchmarks;

/// <summary>
/// SQLite: every import gets a copy of a template file made by the migrations. Baselines, each into another fresh copy holding the
/// import's batch row (so the records' foreign keys point at real rows): Python's <c>sqlite3.executemany</c> of the rows the import
/// stored, and SQLite's own floor, one <c>INSERT INTO "CiUsageRecords" … SELECT</c> from a temp table already holding them.
/// </summary>
internal sealed class SqliteImportTarget(string folder, string python, bool probe) : IImportTarget
{
    /// <summary>What the import's connection sets (CiRecordWriter); the baselines get the same page cache.</summary>
    private const int CacheKib = 65536;

    private readonly string _template = Path.Combine(folder, "template.db");
    private string? _filled;
    private string _userId = "";

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private static string ConnectionString(string path) => $"Data Source={path}";

    private static string PathOf(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    public async Task<string> PrepareTemplateAsync()
    {
        _userId = await new BenchContexts(new DatabaseSettings(Provider, ConnectionString(_template))).PrepareAsync();
        SqliteConnection.ClearAllPools();
        return _userId;
    }

    /// <summary>
    /// The fastest insert SQLite has: rows generated inside the engine by a recursive CTE, one statement per batch, in key order
    /// (sequential job ids), with <c>synchronous = OFF</c> (a template is thrown away, never trusted after a crash). The file stays in
    /// WAL mode, as EF Core creates it; leaving WAL would need every other connection closed.
    /// </summary>
    public async Task<FillReport> FillTemplateAsync(long records)
    {
        _filled = Path.Combine(folder, $"existing-{records}.db");
        File.Copy(_template, _filled, overwrite: true);
        var contexts = new BenchContexts(new DatabaseSettings(Provider, ConnectionString(_filled)));
        var (batches, providers) = await contexts.FillBatchesAsync(records, _userId);
        SqliteConnection.ClearAllPools();
        var watch = Stopwatch.StartNew();
        await using (var connection = new SqliteConnection(ConnectionString(_filled) + ";Pooling=False"))
        {
            await connection.OpenAsync();
            Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -524288");
            for (var b = 0; b < batches.Count; b++)
            {
                var first = b * BenchContexts.FillRecordsPerBatch;
                var count = Math.Min(BenchContexts.FillRecordsPerBatch, records - first);
                Execute(connection, FillSql(batches[b], providers, first, count));
            }
        }
        var inserted = watch.Elapsed;
        await contexts.RollUpAsync(batches);
        SqliteConnection.ClearAllPools();
        return new FillReport(records, inserted, watch.Elapsed - inserted, "one INSERT … SELECT from a recursive CTE per million records, synchronous = OFF");
    }

    /// <summary>Runs of 20 projects × 10 jobs over two years, spread over every provider, ids "fill-0000000042".</summary>
    private static string FillSql(int batchId, List<int> providers, long first, long count)
    {
        var providerCase = string.Join(' ', providers.Select((id, i) => $"WHEN {i} THEN {id}"));
        return string.Create(CultureInfo.InvariantCulture, $"""
            WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {first + count - 1})
            INSERT INTO "CiUsageRecords" ("ProviderId", "BatchId", "ExternalId", "Project", "Pipeline", "JobName", "RunnerType", "Os", "StartedAt", "FinishedAt",
                "DurationSeconds", "RawMinutes", "QuotaMinutes", "ListAmountMicros", "PaidAmountMicros", "Credits", "Currency", "Status", "ProviderStatus", "IsRetry")
            SELECT CASE i % {providers.Count} {providerCase} END, {batchId}, printf('fill-%010d', i), 'acme/existing-' || (i % 20), 'nightly', 'job-' || (i % 10),
                'saas-linux-small-amd64', 'Linux', strftime('%Y-%m-%d %H:%M:%S', 1704067200 + i * 13 % 63072000, 'unixepoch'),
                strftime('%Y-%m-%d %H:%M:%S', 1704067200 + i * 13 % 63072000 + 30 + i % 3600, 'unixepoch'), 30 + i % 3600,
                printf('%d.0', 1 + (30 + i % 3600) / 60), printf('%d.0', 1 + (30 + i % 3600) / 60), (1 + (30 + i % 3600) / 60) * 8000, (1 + (30 + i % 3600) / 60) * 8000,
                '0', 'USD', CASE WHEN i % 40 = 0 THEN 'TimedOut' ELSE 'Success' END, NULL, 0
            FROM n
            """);
    }

    public Task<string> NewDatabaseAsync(bool filled)
    {
        var path = Path.Combine(folder, $"import-{Guid.NewGuid():N}.db");
        File.Copy(filled ? _filled ?? throw new InvalidOperationException("No filled template.") : _template, path);
        return Task.FromResult(ConnectionString(path));
    }

    public Task DropAsync(string connectionString)
    {
        SqliteConnection.ClearAllPools();
        var path = PathOf(connectionString);
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }

    public SqliteWriteProbe? StartProbe(string connectionString) => probe ? SqliteWriteProbe.Start(connectionString) : null;

    public async Task<IReadOnlyList<Baseline>> BaselinesAsync(string connectionString, int batchId)
    {
        var source = PathOf(connectionString);
        var columns = Columns(connectionString);
        var foreignKeys = await ForeignKeysAsync(connectionString);
        return [await PythonAsync(source, batchId, columns, foreignKeys), await InsertSelectAsync(source, batchId, columns)];
    }

    /// <summary>Every column of the records table but its key, so the baselines follow the schema whatever the migrations add.</summary>
    private static List<string> Columns(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var info = connection.CreateCommand();
        info.CommandText = "SELECT name FROM pragma_table_info('CiUsageRecords') WHERE name <> 'Id' ORDER BY cid";
        using var reader = info.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    /// <summary>Whether the portal's own connections enforce foreign keys, so the baselines check them too when it does.</summary>
    private static async Task<int> ForeignKeysAsync(string connectionString)
    {
        await using var db = new BenchContexts(new DatabaseSettings(DatabaseProvider.Sqlite, connectionString)).CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var pragma = db.Database.GetDbConnection().CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys";
        return Convert.ToInt32(await pragma.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>A fresh copy of the template holding the import's batch row, for a baseline to insert the batch's records into.</summary>
    private string BaselineDatabase(string source, int batchId, string name)
    {
        var path = Path.Combine(folder, $"{name}-{Guid.NewGuid():N}.db");
        File.Copy(_template, path);
        using var connection = new SqliteConnection(ConnectionString(path) + ";Pooling=False");
        connection.Open();
        Execute(connection, $"ATTACH DATABASE '{source.Replace("'", "''", StringComparison.Ordinal)}' AS src; " +
            $"INSERT INTO \"ImportBatches\" SELECT * FROM src.\"ImportBatches\" WHERE \"Id\" = {batchId}; DETACH DATABASE src");
        return path;
    }

    private async Task<Baseline> PythonAsync(string source, int batchId, List<string> columns, int foreignKeys)
    {
        var target = BaselineDatabase(source, batchId, "python");
        try
        {
            var script = Path.Combine(AppContext.BaseDirectory, "sqlite_executemany.py");
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, "--source", source, "--batch", batchId.ToString(CultureInfo.InvariantCulture), "--target", target,
                "--columns", string.Join(',', columns), "--cache-kib", CacheKib.ToString(CultureInfo.InvariantCulture), "--foreign-keys", foreignKeys.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The Python baseline failed: {error}");
            }
            using var result = JsonDocument.Parse(output);
            var version = result.RootElement.GetProperty("sqlite").GetString();
            return new Baseline($"Python sqlite3.executemany (SQLite {version})", result.RootElement.GetProperty("rows").GetInt64(),
                result.RootElement.GetProperty("seconds").GetDouble());
        }
        finally
        {
            File.Delete(target);
        }
    }

    private async Task<Baseline> InsertSelectAsync(string source, int batchId, List<string> columns)
    {
        var target = BaselineDatabase(source, batchId, "floor");
        try
        {
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            await using var connection = new SqliteConnection(ConnectionString(target) + ";Pooling=False");
            await connection.OpenAsync();
            Execute(connection, $"PRAGMA cache_size = -{CacheKib}; ATTACH DATABASE '{source.Replace("'", "''", StringComparison.Ordinal)}' AS src; " +
                $"CREATE TEMP TABLE stage AS SELECT {list} FROM src.\"CiUsageRecords\" WHERE \"BatchId\" = {batchId} ORDER BY \"Id\"; DETACH DATABASE src");
            var watch = Stopwatch.StartNew();
            Execute(connection, $"BEGIN; INSERT INTO \"CiUsageRecords\" ({list}) SELECT {list} FROM temp.stage; COMMIT");
            watch.Stop();
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"CiUsageRecords\" WHERE \"BatchId\" = {batchId}";
            var rows = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            return new Baseline("SQLite INSERT … SELECT from a temp table", rows, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            File.Delete(target);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
