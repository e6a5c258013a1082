using System.Diagnostics;
using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.CiCosts;
using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Infrastructure;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

using Npgsql;

using NpgsqlTypes;

/// <summary>
/// Times every CI cost report on a database holding <c>--records</c> usage records (5,000,000 by default) and their monthly
/// roll-up: two years, four providers, 400 jobs. Records go in bulk (binary COPY on PostgreSQL, one prepared INSERT in one
/// transaction on SQLite), the roll-up through <see cref="CiUsageRollup"/> as imports keep it. Each query runs
/// <c>--runs</c> times after a warm-up; the median is reported.
/// <code>
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- ci-reports --database sqlite
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- ci-reports --database postgres --connection "Host=127.0.0.1;Port=55436;Username=postgres"
/// </code>
/// </summary>
internal static class CiReportsBenchmark
{
    private const int Providers = 4;
    private const int Projects = 5;
    private const int JobsPerProject = 20;
    private static readonly DateTime HistoryStart = new(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Today = new(2026, 6, 30);
    private static readonly string[] Statuses = ["Success", "Success", "Success", "Success", "Success", "Success", "Success", "Failed", "Cancelled", "TimedOut"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options(args);
        var provider = options.GetValueOrDefault("database", "sqlite").Equals("postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var records = long.Parse(options.GetValueOrDefault("records", "5000000"), CultureInfo.InvariantCulture);
        var runs = int.Parse(options.GetValueOrDefault("runs", "7"), CultureInfo.InvariantCulture);
        string connection;
        string? folder = null;
        string? database = null;
        if (provider == DatabaseProvider.Postgres)
        {
            var server = options.GetValueOrDefault("connection") ?? throw new InvalidOperationException("--connection is required for PostgreSQL.");
            database = $"fp_bench_{Guid.NewGuid():N}"[..24];
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
                await create.ExecuteNonQueryAsync();
            }
            connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        }
        else
        {
            folder = Directory.CreateTempSubdirectory("fp-bench-").FullName;
            connection = $"Data Source={Path.Combine(folder, "bench.db")}";
        }

        try
        {
            var builder = new DbContextOptionsBuilder<AppDbContext>();
            Database.Configure(builder, new DatabaseSettings(provider, connection));
            await using var db = new AppDbContext(builder.Options);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await db.Database.MigrateAsync();

            var fill = Stopwatch.StartNew();
            var ids = await ArrangeAsync(db);
            var perProvider = records / Providers;
            foreach (var (providerId, batchId) in ids)
            {
                if (provider == DatabaseProvider.Postgres)
                {
                    await CopyAsync(connection, providerId, batchId, perProvider);
                }
                else
                {
                    await InsertAsync(connection, providerId, batchId, perProvider);
                }
            }
            var inserted = fill.Elapsed;
            foreach (var (_, batchId) in ids)
            {
                await CiUsageRollup.AddBatchAsync(db, batchId);
            }
            var rolledUp = fill.Elapsed - inserted;
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
            var rollupRows = await db.CiUsageMonths.LongCountAsync();

            var year = new CiPeriod(new DateOnly(2025, 7, 1), new DateOnly(2026, 6, 1));
            var lastMonth = new CiPeriod(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1));
            var first = ids[0].ProviderId;
            (string Name, Func<Task> Query)[] queries =
            [
                ("Spend per month and provider (12 months)", () => CiCostQueries.SpendAsync(db, year, CiSpendGrouping.MonthAndProvider)),
                ("Spend per provider", () => CiCostQueries.SpendAsync(db, year, CiSpendGrouping.Provider)),
                ("Spend per project", () => CiCostQueries.SpendAsync(db, year, CiSpendGrouping.Project)),
                ("Spend per job (all 400)", () => CiCostQueries.SpendAsync(db, year, CiSpendGrouping.Job)),
                ("Most expensive jobs (top 15)", () => CiCostQueries.MostExpensiveJobsAsync(db, year, 15)),
                ("Waste per month and provider", () => CiCostQueries.WasteAsync(db, year)),
                ("Budget vs actual", () => CiCostQueries.BudgetsAsync(db, year)),
                ("Estimated vs billed", () => CiCostQueries.BillsAsync(db, year)),
                ("Duration spread, one job, 12 months", () => CiCostQueries.DurationSpreadAsync(db, first, "project-0", "job-00", year with { ProviderId = first })),
                ("Near timeout, last month, all providers", () => CiCostQueries.NearTimeoutAsync(db, lastMonth)),
                ("Near timeout, 12 months, one provider", () => CiCostQueries.NearTimeoutAsync(db, year with { ProviderId = first })),
                ("Credit pools with 30-day burn", () => CreditPoolForecast.AllAsync(db, Today)),
            ];

            Console.WriteLine($"### {provider}: {records:#,0} usage records, {rollupRows:#,0} roll-up rows");
            Console.WriteLine();
            Console.WriteLine($"Filled in {inserted.TotalSeconds:0.0} s, rolled up in {rolledUp.TotalSeconds:0.0} s. Median of {runs} runs after a warm-up:");
            Console.WriteLine();
            Console.WriteLine("| report query | median ms | min ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, query) in queries)
            {
                db.ChangeTracker.Clear();
                await query();
                var times = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await query();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {times[times.Count / 2]:0.0} | {times[0]:0.0} | {times[^1]:0.0} |"));
            }
            Console.WriteLine();
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (folder is not null)
            {
                Directory.Delete(folder, recursive: true);
            }
            if (database is not null)
            {
                await using var admin = new NpgsqlConnection(options["connection"]);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE {database} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        return options;
    }

    /// <summary>Providers, one batch each, budgets for every month, a credit pool each, and a time limit for every job.</summary>
    private static async Task<List<(int ProviderId, int BatchId)>> ArrangeAsync(AppDbContext db)
    {
        var ids = new List<(int, int)>();
        for (var p = 0; p < Providers; p++)
        {
            var provider = CiProvider.New($"Provider {p}", p == 2 ? CiProviderKind.CircleCi : CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, 2000, "USD").Value!;
            db.CiProviders.Add(provider);
            await db.SaveChangesAsync();
            var batch = ImportBatch.Start(provider.Id, GenericCsv.Instance.Id, $"bench-{p}.csv", Guid.NewGuid().ToString("N"), null, DateTime.UtcNow);
            // Reports count only completed batches' records (ADR 11); the record counts are not what this benchmark reads.
            batch.Complete(0, 0, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, DateTime.UtcNow);
            db.ImportBatches.Add(batch);
            for (var month = DateOnly.FromDateTime(HistoryStart); month <= Today; month = month.AddMonths(1))
            {
                db.Budgets.Add(Budget.Plan(provider.Id, month, new Money(2_000_00, "USD"), 80).Value!);
            }
            db.CreditPools.Add(CreditPool.Open(provider.Id, $"Pool {p}", 50_000_000, null, new DateOnly(2026, 1, 1), null).Value!);
            for (var project = 0; project < Projects; project++)
            {
                for (var job = 0; job < JobsPerProject; job++)
                {
                    db.CiJobTimeouts.Add(CiJobTimeout.Create(provider.Id, $"project-{project}", $"job-{job:00}", 60).Value!);
                }
            }
            await db.SaveChangesAsync();
            ids.Add((provider.Id, batch.Id));
        }
        return ids;
    }

    /// <summary>One synthetic run: spread evenly over two years, durations around the job's own typical length.</summary>
    private static (string Project, string Job, DateTime Started, long Seconds, string Status, bool Retry, long ListMicros, long PaidMicros, decimal Minutes, decimal Credits)
        Row(Random random, long n, long count)
    {
        var span = (Today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - HistoryStart).Ticks;
        var started = HistoryStart.AddTicks(span / count * n);
        var project = random.Next(Projects);
        var job = random.Next(JobsPerProject);
        var typical = 300 + (job * 150);
        var seconds = Math.Max(5, (long)(typical * (0.6 + (random.NextDouble() * 0.8))));
        var status = Statuses[random.Next(Statuses.Length)];
        var minutes = decimal.Ceiling(seconds / 60m);
        var micros = (long)(minutes * 8_000);
        return ($"project-{project}", $"job-{job:00}", started, seconds, status, status == "Failed" && random.Next(3) == 0, micros, random.Next(4) == 0 ? 0 : micros,
            minutes, minutes * 10);
    }

    private static async Task InsertAsync(string connectionString, int providerId, int batchId, long count)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "CiUsageRecords" ("ProviderId", "BatchId", "ExternalId", "Project", "Pipeline", "JobName", "RunnerType", "Os", "StartedAt", "FinishedAt",
                "DurationSeconds", "RawMinutes", "QuotaMinutes", "ListAmountMicros", "PaidAmountMicros", "Credits", "Currency", "Status", "ProviderStatus", "IsRetry")
            VALUES ($p, $b, $id, $project, 'ci', $job, 'ubuntu-latest', 'Linux', $start, $end, $seconds, $minutes, $minutes, $list, $paid, $credits, 'USD', $status, $status, $retry)
            """;
        string[] names = ["$p", "$b", "$id", "$project", "$job", "$start", "$end", "$seconds", "$minutes", "$list", "$paid", "$credits", "$status", "$retry"];
        var parameters = names.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        await command.PrepareAsync();
        var random = new Random(providerId);
        for (long n = 0; n < count; n++)
        {
            var r = Row(random, n, count);
            parameters[0].Value = providerId;
            parameters[1].Value = batchId;
            parameters[2].Value = n.ToString(CultureInfo.InvariantCulture);
            parameters[3].Value = r.Project;
            parameters[4].Value = r.Job;
            // The same text EF Core writes, so the queries compare like with like.
            parameters[5].Value = r.Started.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            parameters[6].Value = r.Started.AddSeconds(r.Seconds).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            parameters[7].Value = r.Seconds;
            parameters[8].Value = r.Minutes.ToString("0.0###", CultureInfo.InvariantCulture);
            parameters[9].Value = r.ListMicros;
            parameters[10].Value = r.PaidMicros;
            parameters[11].Value = r.Credits.ToString("0.0###", CultureInfo.InvariantCulture);
            parameters[12].Value = r.Status;
            parameters[13].Value = r.Retry ? 1 : 0;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task CopyAsync(string connectionString, int providerId, int batchId, long count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var writer = await connection.BeginBinaryImportAsync("""
            COPY "CiUsageRecords" ("ProviderId", "BatchId", "ExternalId", "Project", "Pipeline", "JobName", "RunnerType", "Os", "StartedAt", "FinishedAt",
                "DurationSeconds", "RawMinutes", "QuotaMinutes", "ListAmountMicros", "PaidAmountMicros", "Credits", "Currency", "Status", "ProviderStatus", "IsRetry")
            FROM STDIN (FORMAT BINARY)
            """);
        var random = new Random(providerId);
        for (long n = 0; n < count; n++)
        {
            var r = Row(random, n, count);
            await writer.StartRowAsync();
            await writer.WriteAsync(providerId, NpgsqlDbType.Integer);
            await writer.WriteAsync(batchId, NpgsqlDbType.Integer);
            await writer.WriteAsync(n.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Varchar);
            await writer.WriteAsync(r.Project, NpgsqlDbType.Varchar);
            await writer.WriteAsync("ci", NpgsqlDbType.Varchar);
            await writer.WriteAsync(r.Job, NpgsqlDbType.Varchar);
            await writer.WriteAsync("ubuntu-latest", NpgsqlDbType.Varchar);
            await writer.WriteAsync("Linux", NpgsqlDbType.Varchar);
            await writer.WriteAsync(r.Started, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(r.Started.AddSeconds(r.Seconds), NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(r.Seconds, NpgsqlDbType.Bigint);
            await writer.WriteAsync(r.Minutes, NpgsqlDbType.Numeric);
            await writer.WriteAsync(r.Minutes, NpgsqlDbType.Numeric);
            await writer.WriteAsync(r.ListMicros, NpgsqlDbType.Bigint);
            await writer.WriteAsync(r.PaidMicros, NpgsqlDbType.Bigint);
            await writer.WriteAsync(r.Credits, NpgsqlDbType.Numeric);
            await writer.WriteAsync("USD", NpgsqlDbType.Varchar);
            await writer.WriteAsync(r.Status, NpgsqlDbType.Varchar);
            await writer.WriteAsync(r.Status, NpgsqlDbType.Varchar);
            await writer.WriteAsync(r.Retry, NpgsqlDbType.Boolean);
        }
        await writer.CompleteAsync();
    }
}
