using System.Diagnostics;
using System.Globalization;

using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Infrastructure;

using Microsoft.Extensions.Logging.Abstractions;

namespace FundingPortal.Benchmarks;

/// <summary>
/// <c>import [--rows 100000,1000000] [--postgres "Host=…"] [--databases sqlite,postgres] [--formats a,b] [--existing 5000000]
/// [--python /usr/bin/python3] [--lock-probe off]</c>: generates files of each import format, imports each through the real handler
/// (<see cref="ImportCiUsage"/>) into a fresh copy of a migrated database, and measures in the same run the baselines of the same
/// rows (PostgreSQL COPY; Python executemany and INSERT … SELECT on SQLite), rows/s at each size, the import into a database already
/// holding <c>--existing</c> records, the peak working set of each import and, on SQLite, the longest wait of another writer.
/// Prints one Markdown table of aim, ours, baseline, ratio, and the figures behind it.
/// </summary>
internal static class ImportBenchmark
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private sealed record Options(int[] Sizes, string? Postgres, string[] Databases, string[] Formats, long Existing, string Python, bool Probe);

    private static Options Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        var postgres = options.GetValueOrDefault("postgres");
        var databases = options.GetValueOrDefault("databases", postgres is null ? "sqlite" : "sqlite,postgres").ToLowerInvariant().Split(',');
        if (databases.Contains("postgres") && postgres is null)
        {
            throw new ArgumentException("--databases postgres needs --postgres \"Host=…;Username=…\".");
        }
        return new Options(
            [.. options.GetValueOrDefault("rows", "1000000").Split(',').Select(r => int.Parse(r, NumberStyles.AllowThousands, Invariant)).Order()],
            postgres, databases, options.GetValueOrDefault("formats")?.Split(',') ?? ImportFiles.AllFormats,
            long.Parse(options.GetValueOrDefault("existing", "0"), NumberStyles.AllowThousands, Invariant),
            options.GetValueOrDefault("python", "/usr/bin/python3"),
            !options.GetValueOrDefault("lock-probe", "on").Equals("off", StringComparison.OrdinalIgnoreCase));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var folder = Directory.CreateTempSubdirectory("fp-import-bench-").FullName;
        var loadBefore = LoadAverage();
        var clock = Stopwatch.StartNew();
        var targets = new List<IImportTarget>();
        var runs = new List<ImportRun>();
        var fills = new List<(IImportTarget Target, FillReport Fill)>();
        try
        {
            foreach (var database in options.Databases)
            {
                targets.Add(database == "postgres" ? new PostgresImportTarget(options.Postgres!) : new SqliteImportTarget(folder, options.Python, options.Probe));
            }
            var users = new Dictionary<IImportTarget, string>();
            foreach (var target in targets)
            {
                users[target] = await target.PrepareTemplateAsync();
                if (options.Existing > 0)
                {
                    var fill = await target.FillTemplateAsync(options.Existing);
                    fills.Add((target, fill));
                    Console.Error.WriteLine($"{target.Provider}: {fill.Records:N0} records filled in {fill.Insert.TotalSeconds:N1} s, rolled up in {fill.Rollup.TotalSeconds:N1} s");
                }
            }
            await WarmUpAsync(options, folder, targets, users);
            foreach (var size in options.Sizes)
            {
                var files = Directory.CreateDirectory(Path.Combine(folder, size.ToString(Invariant))).FullName;
                foreach (var format in options.Formats)
                {
                    var file = ImportFiles.Generate(files, format, size);
                    foreach (var target in targets)
                    {
                        runs.Add(await ImportOnceAsync(target, users[target], file, format, size, existing: 0));
                        Console.Error.WriteLine(Describe(runs[^1]));
                        if (options.Existing > 0)
                        {
                            runs.Add(await ImportOnceAsync(target, users[target], file, format, size, options.Existing));
                            Console.Error.WriteLine(Describe(runs[^1]));
                        }
                    }
                    File.Delete(file);
                }
            }
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
            Directory.Delete(folder, recursive: true);
        }
        Print(options, runs, fills, loadBefore, LoadAverage(), clock.Elapsed);
        return 0;
    }

    /// <summary>One small import of each format on each database first, so no measured import pays for JIT compilation.</summary>
    private static async Task WarmUpAsync(Options options, string folder, List<IImportTarget> targets, Dictionary<IImportTarget, string> users)
    {
        var files = Directory.CreateDirectory(Path.Combine(folder, "warm-up")).FullName;
        foreach (var format in options.Formats)
        {
            var file = ImportFiles.Generate(files, format, 1_000);
            foreach (var target in targets)
            {
                _ = await ImportOnceAsync(target, users[target], file, format, 1_000, existing: 0);
            }
            File.Delete(file);
        }
    }

    private static async Task<ImportRun> ImportOnceAsync(IImportTarget target, string userId, string file, string format, int size, long existing)
    {
        var connectionString = await target.NewDatabaseAsync(existing > 0);
        try
        {
            var contexts = new BenchContexts(new DatabaseSettings(target.Provider, connectionString));
            var import = new ImportCiUsage(contexts, new Handlers(contexts, TimeProvider.System), TimeProvider.System, NullLogger<ImportCiUsage>.Instance);
            _ = CiImportFormats.TryParseName(format, out var chosen);
            var probe = target.StartProbe(connectionString);
            ResetPeakWorkingSet();
            var watch = Stopwatch.StartNew();
            var result = await import.ImportAsync(new ImportRequest(file, Path.GetFileName(file), chosen, null), userId);
            watch.Stop();
            var peak = PeakWorkingSetMegabytes();
            var probed = probe is null ? null : await probe.StopAsync();
            if (result.Value is not { Status: "Completed" } report)
            {
                throw new InvalidOperationException($"{target.Provider} {format}: {result.Problem?.Message ?? result.Value?.FailureReason}");
            }
            // The baselines store the very rows this import stored; into a filled database only the import itself is compared.
            var baselines = existing == 0 ? await target.BaselinesAsync(connectionString, report.BatchId) : [];
            return new ImportRun(target.Provider, format, size, existing, new FileInfo(file).Length / 1e6, report.RowsRead, report.RowsImported,
                watch.Elapsed.TotalSeconds, peak, probed, baselines);
        }
        finally
        {
            await target.DropAsync(connectionString);
        }
    }

    private static string Describe(ImportRun run) =>
        string.Create(Invariant, $"{run.Database} {run.Format} {run.FileRows:N0} rows{(run.Existing > 0 ? $" onto {run.Existing:N0}" : "")}: {run.Seconds:N1} s, {run.RowsPerSecond:N0} rows/s; ") +
        string.Join("; ", run.Baselines.Select(b => string.Create(Invariant, $"{b.Name} {b.Seconds:N1} s")));

    private static void Print(Options options, List<ImportRun> runs, List<(IImportTarget Target, FillReport Fill)> fills, string loadBefore, string loadAfter, TimeSpan took)
    {
        Console.WriteLine(string.Create(Invariant,
            $"CI import, {string.Join(" and ", options.Sizes.Select(s => s.ToString("N0", Invariant)))} rows per file, {Environment.ProcessorCount} cores, " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {took.TotalMinutes:N1} min; load average (1/5/15 min) {loadBefore} before, {loadAfter} after."));
        Console.WriteLine();
        Console.WriteLine("| aim | database | format | rows | ours | baseline | ratio | met |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---|");
        foreach (var line in ImportAims.Rows(runs, options.Sizes))
        {
            Console.WriteLine(line);
        }
        Console.WriteLine();
        Console.WriteLine("Imports through `ImportCiUsage` (peak working set: VmHWM of the benchmark process, reset before each import; other writer: " +
            "one INSERT by a second connection every 200 ms during the SQLite import):");
        Console.WriteLine();
        Console.WriteLine("| database | format | rows | records already stored | file MB | rows stored | seconds | rows/s | peak working set MB | other writer: writes, median / longest wait ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var run in runs)
        {
            var probe = run.Probe is { } p ? string.Create(Invariant, $"{p.Writes}{(p.Failed > 0 ? $" ({p.Failed} failed)" : "")}, {p.MedianMilliseconds:N0} / {p.LongestMilliseconds:N0}") : "—";
            Console.WriteLine(string.Create(Invariant,
                $"| {run.Database} | {run.Format} | {run.FileRows:N0} | {run.Existing:N0} | {run.FileMegabytes:N0} | {run.RowsImported:N0} | {run.Seconds:N2} | {run.RowsPerSecond:N0} | {run.PeakMegabytes:N0} | {probe} |"));
        }
        Console.WriteLine();
        Console.WriteLine("Baselines, same run, the same rows the import stored:");
        Console.WriteLine();
        Console.WriteLine("| database | format | rows | baseline | rows stored | seconds | rows/s |");
        Console.WriteLine("|---|---|---:|---|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var baseline in run.Baselines)
            {
                Console.WriteLine(string.Create(Invariant,
                    $"| {run.Database} | {run.Format} | {run.FileRows:N0} | {baseline.Name} | {baseline.Rows:N0} | {baseline.Seconds:N2} | {baseline.RowsPerSecond:N0} |"));
            }
        }
        foreach (var (target, fill) in fills)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"{target.Provider}: filled with {fill.Records:N0} records ({fill.Method}) in {fill.Insert.TotalSeconds:N1} s ({fill.Records / fill.Insert.TotalSeconds:N0} rows/s), rolled up in {fill.Rollup.TotalSeconds:N1} s."));
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
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
}
