using System.Diagnostics;
using System.Globalization;

using FundingPortal.Web.Infrastructure;

using Npgsql;

using NpgsqlTypes;

namespace FundingPortal.Benchmarks;

/// <summary>
/// PostgreSQL: every import gets its own database made from a migrated template (<c>CREATE DATABASE … TEMPLATE</c>), named
/// <c>fpib_…</c> and dropped afterwards. The baseline is PostgreSQL's own <c>COPY … FROM STDIN (FORMAT csv)</c> — what
/// <c>psql \copy</c> does — of the rows the import stored into an empty table with the same indexes as "CiUsageRecords" and
/// foreign keys to "CiProviders" and "ImportBatches", created explicitly (whatever constraints "CiUsageRecords" itself keeps).
/// </summary>
internal sealed class PostgresImportTarget(string server) : IImportTarget
{
    private readonly string _template = $"fpib_tpl_{Guid.NewGuid():N}"[..20];
    private readonly List<string> _databases = [];
    private string? _filled;
    private string _userId = "";

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    private string On(string database) => new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    public async Task<string> PrepareTemplateAsync()
    {
        await AdminAsync($"CREATE DATABASE {_template}");
        _databases.Add(_template);
        _userId = await new BenchContexts(new DatabaseSettings(Provider, On(_template))).PrepareAsync();
        NpgsqlConnection.ClearAllPools();
        return _userId;
    }

    /// <summary>Binary COPY straight into "CiUsageRecords" (its foreign keys checked), then the roll-up and ANALYZE.</summary>
    public async Task<FillReport> FillTemplateAsync(long records)
    {
        _filled = $"fpib_fill_{Guid.NewGuid():N}"[..20];
        await AdminAsync($"CREATE DATABASE {_filled} TEMPLATE {_template} STRATEGY FILE_COPY");
        _databases.Add(_filled);
        var contexts = new BenchContexts(new DatabaseSettings(Provider, On(_filled)));
        var (batches, providers) = await contexts.FillBatchesAsync(records, _userId);
        var watch = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(On(_filled)))
        {
            await connection.OpenAsync();
            await using var copy = await connection.BeginBinaryImportAsync("""
                COPY "CiUsageRecords" ("ProviderId", "BatchId", "ExternalId", "Project", "Pipeline", "JobName", "RunnerType", "Os", "StartedAt", "FinishedAt",
                    "DurationSeconds", "RawMinutes", "QuotaMinutes", "ListAmountMicros", "PaidAmountMicros", "Credits", "Currency", "Status", "ProviderStatus", "IsRetry")
                FROM STDIN (FORMAT BINARY)
                """);
            var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (long i = 0; i < records; i++)
            {
                var seconds = 30 + (i % 3600);
                var minutes = 1 + (seconds / 60);
                var started = start.AddSeconds(i * 13 % 63_072_000);
                await copy.StartRowAsync();
                await copy.WriteAsync(providers[(int)(i % providers.Count)], NpgsqlDbType.Integer);
                await copy.WriteAsync(batches[(int)(i / BenchContexts.FillRecordsPerBatch)], NpgsqlDbType.Integer);
                await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"fill-{i:D10}"), NpgsqlDbType.Varchar);
                await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"acme/existing-{i % 20}"), NpgsqlDbType.Varchar);
                await copy.WriteAsync("nightly", NpgsqlDbType.Varchar);
                await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"job-{i % 10}"), NpgsqlDbType.Varchar);
                await copy.WriteAsync("saas-linux-small-amd64", NpgsqlDbType.Varchar);
                await copy.WriteAsync("Linux", NpgsqlDbType.Varchar);
                await copy.WriteAsync(started, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(started.AddSeconds(seconds), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(seconds, NpgsqlDbType.Bigint);
                await copy.WriteAsync((decimal)minutes, NpgsqlDbType.Numeric);
                await copy.WriteAsync((decimal)minutes, NpgsqlDbType.Numeric);
                await copy.WriteAsync(minutes * 8_000, NpgsqlDbType.Bigint);
                await copy.WriteAsync(minutes * 8_000, NpgsqlDbType.Bigint);
                await copy.WriteAsync(0m, NpgsqlDbType.Numeric);
                await copy.WriteAsync("USD", NpgsqlDbType.Varchar);
                await copy.WriteAsync(i % 40 == 0 ? "TimedOut" : "Success", NpgsqlDbType.Varchar);
                await copy.WriteNullAsync();
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
            }
            await copy.CompleteAsync();
        }
        var inserted = watch.Elapsed;
        await contexts.RollUpAsync(batches);
        await using (var connection = new NpgsqlConnection(On(_filled)))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "ANALYZE");
        }
        NpgsqlConnection.ClearAllPools();
        return new FillReport(records, inserted, watch.Elapsed - inserted, "binary COPY into \"CiUsageRecords\", then ANALYZE");
    }

    public async Task<string> NewDatabaseAsync(bool filled)
    {
        var name = $"fpib_{Guid.NewGuid():N}"[..20];
        await AdminAsync($"CREATE DATABASE {name} TEMPLATE {(filled ? _filled ?? throw new InvalidOperationException("No filled template.") : _template)} STRATEGY FILE_COPY");
        _databases.Add(name);
        return On(name);
    }

    public async Task DropAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        _databases.Remove(name);
    }

    public SqliteWriteProbe? StartProbe(string connectionString) => null;

    /// <summary>Exports the batch's rows to CSV (untimed) and times COPY of them into the baseline table.</summary>
    public async Task<IReadOnlyList<Baseline>> BaselinesAsync(string connectionString, int batchId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var info = new NpgsqlCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = 'CiUsageRecords' AND column_name <> 'Id' AND is_generated = 'NEVER' ORDER BY ordinal_position
            """, connection))
        await using (var reader = await info.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        var csv = Path.Combine(Path.GetTempPath(), $"fpib-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var export = await connection.BeginTextExportAsync($"COPY (SELECT {list} FROM \"CiUsageRecords\" WHERE \"BatchId\" = {batchId} ORDER BY \"Id\") TO STDOUT (FORMAT csv)"))
            await using (var file = File.CreateText(csv))
            {
                await PumpAsync(export, file);
            }
            await ExecuteAsync(connection, """
                DROP TABLE IF EXISTS copy_baseline;
                CREATE TABLE copy_baseline (LIKE "CiUsageRecords" INCLUDING ALL);
                ALTER TABLE copy_baseline
                  ADD CONSTRAINT copy_baseline_provider FOREIGN KEY ("ProviderId") REFERENCES "CiProviders" ("Id"),
                  ADD CONSTRAINT copy_baseline_batch FOREIGN KEY ("BatchId") REFERENCES "ImportBatches" ("Id") ON DELETE CASCADE;
                """);
            var watch = Stopwatch.StartNew();
            await using (var import = await connection.BeginTextImportAsync($"COPY copy_baseline ({list}) FROM STDIN (FORMAT csv)"))
            using (var reader = File.OpenText(csv))
            {
                await PumpAsync(reader, import);
            }
            watch.Stop();
            await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM copy_baseline", connection);
            var rows = (long)(await count.ExecuteScalarAsync())!;
            await ExecuteAsync(connection, "DROP TABLE copy_baseline");
            return [new Baseline("COPY FROM STDIN (csv), same indexes and foreign keys", rows, watch.Elapsed.TotalSeconds)];
        }
        finally
        {
            File.Delete(csv);
        }
    }

    private static async Task PumpAsync(TextReader from, TextWriter to)
    {
        var buffer = new char[1 << 16];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await ExecuteAsync(admin, sql);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in Enumerable.Reverse(_databases).ToList())
        {
            await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
        _databases.Clear();
    }
}
