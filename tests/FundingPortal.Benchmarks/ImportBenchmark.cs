using System.Diagnostics;
using System.Globalization;
using System.Text;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

using Npgsql;

namespace FundingPortal.Benchmarks;

/// <summary>
/// <c>import [--rows N] [--postgres "Host=…"] [--formats a,b]</c>: generates N-row files of each import format, imports each
/// through the real handler on a fresh SQLite file and (given a server) a fresh PostgreSQL database, and prints rows per second
/// and the peak working set of each import next to PostgreSQL's own COPY of the same rows into a table with the same indexes.
/// </summary>
internal static class ImportBenchmark
{
    private static readonly string[] AllFormats = ["github-actions-csv", "github-actions-enhanced-csv", "gitlab-jobs-json", "circleci-usage-csv", "generic-csv"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = 1_000_000;
        string? postgres = null;
        var formats = AllFormats;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--rows":
                    rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--postgres":
                    postgres = args[i + 1];
                    break;
                case "--formats":
                    formats = args[i + 1].Split(',');
                    break;
            }
        }
        var folder = Directory.CreateTempSubdirectory("fp-import-bench-").FullName;
        try
        {
            Console.WriteLine($"CI import, {rows:N0} rows per file, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
            Console.WriteLine();
            Console.WriteLine("| database | format | file MB | seconds | rows/s | peak working set MB |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            var files = new Dictionary<string, string>();
            foreach (var format in formats)
            {
                files[format] = Generate(folder, format, rows);
            }
            var databases = new List<DatabaseSettings> { new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "bench.db")}") };
            string? pgDatabase = null;
            if (postgres is not null)
            {
                pgDatabase = $"fp_bench_{Guid.NewGuid():N}"[..20];
                await using (var admin = new NpgsqlConnection(postgres))
                {
                    await admin.OpenAsync();
                    await new NpgsqlCommand($"CREATE DATABASE {pgDatabase}", admin).ExecuteNonQueryAsync();
                }
                databases.Add(new DatabaseSettings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(postgres) { Database = pgDatabase }.ConnectionString));
            }
            var copyBaseline = new List<string>();
            foreach (var database in databases)
            {
                var contexts = new Contexts(database);
                var userId = await PrepareAsync(contexts);
                var import = new ImportCiUsage(contexts, new Handlers(contexts, TimeProvider.System), TimeProvider.System, NullLogger<ImportCiUsage>.Instance);
                foreach (var format in formats)
                {
                    ResetPeakWorkingSet();
                    var watch = Stopwatch.StartNew();
                    _ = CiImportFormats.TryParseName(format, out var chosen);
                    var result = await import.ImportAsync(new ImportRequest(files[format], Path.GetFileName(files[format]), chosen, null), userId);
                    watch.Stop();
                    var peak = PeakWorkingSetMegabytes();
                    if (result.Value is not { Status: "Completed" } report)
                    {
                        Console.Error.WriteLine($"{database.Provider} {format}: {result.Problem?.Message ?? result.Value?.FailureReason}");
                        return 1;
                    }
                    Console.WriteLine($"| {database.Provider} | {format} | {new FileInfo(files[format]).Length / 1e6:N0} | {watch.Elapsed.TotalSeconds:N1} | " +
                        $"{report.RowsRead / watch.Elapsed.TotalSeconds:N0} | {peak:N0} |");
                    if (database.Provider == DatabaseProvider.Postgres)
                    {
                        copyBaseline.Add(await CopyBaselineAsync(database.ConnectionString, report.BatchId, format, folder));
                    }
                }
            }
            if (copyBaseline.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("Baseline: PostgreSQL's own `COPY … FROM STDIN (FORMAT csv)` (what `psql \\copy` does) of the same rows into an empty table with the same indexes:");
                Console.WriteLine();
                Console.WriteLine("| format | rows | seconds | rows/s |");
                Console.WriteLine("|---|---:|---:|---:|");
                copyBaseline.ForEach(Console.WriteLine);
            }
            if (pgDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(postgres);
                await admin.OpenAsync();
                await new NpgsqlCommand($"DROP DATABASE {pgDatabase}", admin).ExecuteNonQueryAsync();
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The schema, the seeded list prices and a reviewer to import as.</summary>
    private static async Task<string> PrepareAsync(Contexts contexts)
    {
        await using var db = contexts.CreateDbContext();
        await db.Database.MigrateAsync();
        await CiListPrices.EnsureAsync(db);
        var role = new IdentityRole(Roles.Reviewer) { NormalizedName = Roles.Reviewer.ToUpperInvariant() };
        var user = new ApplicationUser { UserName = "bench@example.com", Email = "bench@example.com", DisplayName = "Benchmark" };
        db.Roles.Add(role);
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { RoleId = role.Id, UserId = user.Id });
        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Exports the batch's rows to CSV and times COPY of them into an empty copy of the table (same indexes).</summary>
    private static async Task<string> CopyBaselineAsync(string connectionString, int batchId, string format, string folder)
    {
        const string columns = "\"ProviderId\", \"BatchId\", \"ExternalId\", \"Project\", \"Pipeline\", \"JobName\", \"RunnerType\", \"Os\", \"StartedAt\", \"FinishedAt\", " +
            "\"DurationSeconds\", \"RawMinutes\", \"QuotaMinutes\", \"ListAmountMicros\", \"PaidAmountMicros\", \"Credits\", \"Currency\", \"Status\", \"ProviderStatus\", \"IsRetry\"";
        var csv = Path.Combine(folder, $"{format}.copy.csv");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var export = await connection.BeginTextExportAsync($"COPY (SELECT {columns} FROM \"CiUsageRecords\" WHERE \"BatchId\" = {batchId}) TO STDOUT (FORMAT csv)"))
        await using (var file = File.CreateText(csv))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await export.ReadAsync(buffer)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        await new NpgsqlCommand("DROP TABLE IF EXISTS copy_baseline; CREATE TABLE copy_baseline (LIKE \"CiUsageRecords\" INCLUDING ALL)", connection).ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        long rows = 0;
        await using (var import = await connection.BeginTextImportAsync($"COPY copy_baseline ({columns}) FROM STDIN (FORMAT csv)"))
        using (var reader = File.OpenText(csv))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                await import.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        watch.Stop();
        rows = (long)(await new NpgsqlCommand("SELECT COUNT(*) FROM copy_baseline", connection).ExecuteScalarAsync())!;
        await new NpgsqlCommand("DROP TABLE copy_baseline", connection).ExecuteNonQueryAsync();
        File.Delete(csv);
        return $"| {format} | {rows:N0} | {watch.Elapsed.TotalSeconds:N1} | {rows / watch.Elapsed.TotalSeconds:N0} |";
    }

    /// <summary>Linux keeps the peak resident set (VmHWM) per process; writing 5 to clear_refs starts it again from now.</summary>
    private static void ResetPeakWorkingSet()
    {
        GC.Collect();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Elsewhere the figure is the process's peak so far.
        }
    }

    private static long PeakWorkingSetMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / (1 << 20);
    }

    private static string Generate(string folder, string format, int rows)
    {
        var path = Path.Combine(folder, format + (format == "gitlab-jobs-json" ? ".json" : ".csv"));
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string Day(int i) => start.AddDays(i % 365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string At(int i) => start.AddSeconds(i * 31L % (365 * 86400)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string[] oses = ["UBUNTU", "WINDOWS", "MACOS"];
        switch (format)
        {
            case "github-actions-csv":
                writer.WriteLine(string.Join(",", GitHubActionsCsv.Header));
                for (var i = 0; i < rows; i++)
                {
                    var os = oses[i % 3];
                    var (price, multiplier) = os switch { "UBUNTU" => ("0.008", 1), "WINDOWS" => ("0.016", 2), _ => ("0.08", 10) };
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Day(i)},Actions,Compute - {os},{1 + (i % 300)},minute,{price},{multiplier},acme,acme/repo-{i / 365 % 50},user-{i / 18_250},.github/workflows/ci-{i % 7}.yml,"));
                }
                break;
            case "github-actions-enhanced-csv":
                writer.WriteLine("\"date\",\"product\",\"sku\",\"quantity\",\"unit_type\",\"applied_cost_per_quantity\",\"gross_amount\",\"discount_amount\",\"net_amount\",\"username\",\"organization\",\"repository\",\"workflow_path\",\"cost_center_name\"");
                for (var i = 0; i < rows; i++)
                {
                    var quantity = 1 + (i % 300);
                    var gross = quantity * 0.006m;
                    var discount = i % 4 == 0 ? gross : 0m;
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"\"{Day(i)}\",\"actions\",\"actions_linux\",\"{quantity}\",\"minutes\",\"0.006\",\"{gross}\",\"{discount}\",\"{gross - discount}\",\"user-{i / 18_250}\",\"acme\",\"repo-{i / 365 % 50}\",\".github/workflows/ci-{i % 7}.yml\",\"\""));
                }
                break;
            case "gitlab-jobs-json":
                for (var i = 0; i < rows; i++)
                {
                    writer.Write(i % 100 == 0 ? "[\n" : ",\n");
                    var seconds = 30 + (i % 3600);
                    var status = (i % 50) switch { 0 => "failed\", \"failure_reason\": \"stuck_or_timeout_failure", 1 => "canceled", 2 => "failed\", \"failure_reason\": \"script_failure", _ => "success" };
                    writer.Write(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"id\": {10_000_000 + i}, \"name\": \"job-{i % 10}\", \"stage\": \"test\", \"status\": \"{status}\", \"created_at\": \"{At(i)}\", \"started_at\": \"{At(i)}\", " +
                        $"\"duration\": {seconds}.5, \"tag_list\": [\"saas-linux-medium-amd64\"], \"ref\": \"main\", \"web_url\": \"https://gitlab.example.com/acme/project-{i % 20}/-/jobs/{10_000_000 + i}\", " +
                        $"\"pipeline\": {{\"id\": {i / 10}, \"project_id\": {i % 20}, \"ref\": \"main\"}}, \"runner\": {{\"id\": 1, \"description\": \"shared\", \"is_shared\": true, \"runner_type\": \"instance_type\"}}}}"));
                    if (i % 100 == 99 || i == rows - 1)
                    {
                        writer.Write("\n]\n");
                    }
                }
                break;
            case "circleci-usage-csv":
                writer.WriteLine("PROJECT_NAME,VCS_BRANCH,PIPELINE_ID,PIPELINE_NUMBER,WORKFLOW_ID,WORKFLOW_NAME,JOB_NAME,JOB_ID,JOB_RUN_DATE,JOB_RUN_STARTED_AT,JOB_RUN_STOPPED_AT,JOB_BUILD_STATUS,RESOURCE_CLASS,OPERATING_SYSTEM,EXECUTOR,PARALLELISM,JOB_RUN_SECONDS,COMPUTE_CREDITS,DLC_CREDITS,STORAGE_CREDITS,NETWORK_CREDITS,TOTAL_CREDITS");
                for (var i = 0; i < rows; i++)
                {
                    var seconds = 30 + (i % 3600);
                    var credits = seconds / 6;
                    var started = start.AddSeconds(i * 31L % (365 * 86400));
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"project-{i % 20},main,pl-{i / 10},{i / 10},wf-{i / 10},\"nightly, full\",job-{i % 10},{new Guid(i, 0, 0, new byte[8])},{started:yyyy-MM-dd},{started:yyyy-MM-dd HH:mm:ss.fff},{started.AddSeconds(seconds):yyyy-MM-dd HH:mm:ss.fff},{(i % 40 == 0 ? "failed" : "success")},medium,linux,docker,1,{seconds},{credits},0,0,0,{credits}"));
                }
                break;
            default:
                writer.WriteLine(string.Join(",", GenericCsv.Header));
                for (var i = 0; i < rows; i++)
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"GitLab CI,acme/project-{i % 20},nightly,job-{i % 10},saas-linux-small-amd64,{At(i)},,{30 + (i % 3600)},{(i % 40 == 0 ? "timed_out" : "success")},{(i % 2 == 0 ? "0.05" : "")},USD,run-{i}"));
                }
                break;
        }
        return path;
    }

    private sealed class Contexts(DatabaseSettings settings) : IDbContextFactory<AppDbContext>
    {
        private readonly DbContextOptions<AppDbContext> _options = Build(settings);

        public AppDbContext CreateDbContext() => new(_options);

        private static DbContextOptions<AppDbContext> Build(DatabaseSettings settings)
        {
            var options = new DbContextOptionsBuilder<AppDbContext>();
            Database.Configure(options, settings);
            return options.Options;
        }
    }
}
