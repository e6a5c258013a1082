using System.Diagnostics;
using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Web.Features.FollowUp;
using FundingPortal.Web.Infrastructure;
using FundingPortal.Web.Infrastructure.Email;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Npgsql;

namespace FundingPortal.Benchmarks;

/// <summary>
/// Times <see cref="FollowUpJob.RunOnceAsync"/> on a database already seeded with <c>seed-demo --scale large</c>, on a copy made for
/// the run (SQLite: the file copied; PostgreSQL: <c>CREATE DATABASE … TEMPLATE …</c>), so the seeded database stays as it was and the
/// run can be repeated: the first pass (which settles and reminds what the seed left due), then <c>--runs</c> passes with nothing left
/// to do (median). Emails go to a pickup folder in a temporary data folder, as they do without SMTP.
/// <code>
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- follow-up --database sqlite --data /tmp/fu-large-sqlite
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- follow-up --database postgres \
///   --connection "Host=127.0.0.1;Port=55999;Username=postgres;Database=fu_large"
/// </code>
/// The baseline is the same verb run with the previous build of the web project (<c>--label</c> names the build in the table).
/// </summary>
internal static class FollowUpBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options(args);
        var postgres = options.GetValueOrDefault("database", "sqlite").Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var runs = int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
        var label = options.GetValueOrDefault("label", "this build");
        var work = Directory.CreateTempSubdirectory("fp-bench-followup-").FullName;
        var load = new List<string> { LoadAverage() };
        string connection;
        string? copy = null;
        var prepare = Stopwatch.StartNew();
        if (postgres)
        {
            var seeded = new NpgsqlConnectionStringBuilder(options.GetValueOrDefault("connection")
                ?? throw new InvalidOperationException("--connection with Database=<the seeded database> is required for PostgreSQL."));
            copy = $"fu_bench_{Guid.NewGuid():N}"[..24];
            await ExecuteAsync(new NpgsqlConnectionStringBuilder(seeded.ConnectionString) { Database = "postgres" }, $"CREATE DATABASE {copy} TEMPLATE \"{seeded.Database}\"");
            connection = new NpgsqlConnectionStringBuilder(seeded.ConnectionString) { Database = copy }.ConnectionString;
            // What autovacuum does soon after a bulk load: fresh statistics and a visibility map.
            await ExecuteAsync(new NpgsqlConnectionStringBuilder(connection), "VACUUM ANALYZE");
        }
        else
        {
            var source = Path.Combine(options.GetValueOrDefault("data") ?? throw new InvalidOperationException("--data <the seeded SQLite data folder> is required."),
                "fundingportal.db");
            var target = Path.Combine(work, "fundingportal.db");
            // VACUUM INTO writes a consistent copy even while the source has a WAL.
            await using var sqlite = new SqliteConnection($"Data Source={source};Mode=ReadOnly;Pooling=False");
            await sqlite.OpenAsync();
            await using var vacuum = sqlite.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{target.Replace("'", "''", StringComparison.Ordinal)}'";
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
            connection = $"Data Source={target}";
        }
        var prepared = prepare.Elapsed;

        try
        {
            using var host = Host(postgres, connection, work);
            var job = host.Services.GetRequiredService<FollowUpJob>();
            var contexts = host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
            string counts;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                // Builds the EF model and opens the pool, as the portal's start-up has done before its first pass.
                var organisations = await db.Organisations.CountAsync();
                var pledges = await db.Pledges.CountAsync();
                var installments = await db.Installments.CountAsync();
                counts = string.Create(CultureInfo.InvariantCulture, $"{organisations:#,0} organisations, {pledges:#,0} pledges, {installments:#,0} installments");
            }
            var today = job.Today();
            load.Add(LoadAverage());
            var passes = new List<(TimeSpan Time, FollowUpRun Run)>();
            for (var i = 0; i <= runs; i++)
            {
                var watch = Stopwatch.StartNew();
                var run = await job.RunOnceAsync(today);
                passes.Add((watch.Elapsed, run));
            }
            load.Add(LoadAverage());

            Console.WriteLine($"### {(postgres ? "PostgreSQL" : "SQLite")}: follow-up pass, {label}");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{counts}; run as of {today:yyyy-MM-dd}. Copy made in {prepared.TotalSeconds:0.0} s. Load average before, after the copy, after the passes: {string.Join(" / ", load)}."));
            Console.WriteLine();
            Console.WriteLine("| pass | seconds | pledges settled | reminders sent | pledges loaded | due installments read |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            for (var i = 0; i < passes.Count; i++)
            {
                var (time, run) = passes[i];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(i == 0 ? "first" : $"again ({i})")} | {time.TotalSeconds:0.00} | {run.PledgesSettled:#,0} | {run.RemindersSent:#,0} | {Reported(run, "PledgesLoaded")} | {Reported(run, "InstallmentsRead")} |"));
            }
            var again = passes.Skip(1).Select(p => p.Time.TotalSeconds).Order().ToList();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"First pass {passes[0].Time.TotalSeconds:0.00} s; a pass with nothing left to do {again[again.Count / 2]:0.00} s (median of {again.Count})."));
            return 0;
        }
        finally
        {
            if (copy is not null)
            {
                NpgsqlConnection.ClearAllPools();
                var server = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" };
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {copy} WITH (FORCE)");
            }
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The job with what it needs from the portal: the database, the mailer (pickup folder in <paramref name="work"/>) and a clock.</summary>
    private static IHost Host(bool postgres, string connection, string work)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration["Database:Provider"] = postgres ? "Postgres" : "Sqlite";
        builder.Configuration["ConnectionStrings:Default"] = connection;
        builder.Configuration["Portal:DataFolder"] = work;
        builder.AddDatabase();
        builder.AddEmail();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new FollowUpOptions { FollowUpIntervalMinutes = 0 }));
        builder.Services.AddSingleton<FollowUpJob>();
        return builder.Build();
    }

    /// <summary>A figure the job reports in this build, or "–" for a build that did not count it (the baseline).</summary>
    private static string Reported(FollowUpRun run, string property) =>
        run.GetType().GetProperty(property)?.GetValue(run) is int value ? value.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder server, string sql)
    {
        await using var npgsql = new NpgsqlConnection(server.ConnectionString);
        await npgsql.OpenAsync();
        await using var command = new NpgsqlCommand(sql, npgsql) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        return options;
    }
}
