using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using FundingPortal.Core.Data;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

using Npgsql;

namespace FundingPortal.Benchmarks;

/// <summary>
/// The public pages under load: seeds the portal's database with <c>seed-demo --scale small|large</c> (a no-op when it already has
/// organisations; on PostgreSQL then VACUUM ANALYZE, as autovacuum would), starts the portal's Release build as its own process on a
/// loopback port (Production environment, the public rate limit raised and the follow-up job off), times cache misses, runs <c>wrk</c> against <c>/</c>, <c>/api/public/summary</c> and
/// <c>/badges/runway.svg</c> once they are cached, and reads the portal's VmRSS/VmHWM. The baseline is a bare Kestrel app in
/// this process serving a static file holding the bytes of <c>/</c>'s HTML (UseStaticFiles, nothing else), measured with the
/// same wrk settings before and after the portal's runs.
/// <code>
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- public-pages --database sqlite --scale small --duration 10s
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- public-pages --database postgres --scale large \
///   --connection "Host=127.0.0.1;Port=55438;Username=postgres;Database=fp_public_large"
/// dotnet run -c Release --project tests/FundingPortal.Benchmarks -- public-pages --database sqlite --scale small --first-only true --starts 5
/// </code>
/// <c>--first-only true</c> measures only the first request after start (see <c>FirstAfterStartAsync</c>), over several starts.
/// Uncached means two things here, both reported: the first request to each URL after the portal starts (cold process: JIT,
/// connection pool, empty output cache), and a cache miss in the warm process — a request with an <c>Authorization</c> header, which
/// the public cache never serves or stores (a token that is no token still renders the visitor's page), doing what the first render
/// after an evicting write does. A random query string no longer misses: the cache varies only by the query keys an address reads.
/// </summary>
internal static partial class PublicPagesBenchmark
{
    private static readonly string[] Paths = ["/", "/api/public/summary", "/badges/runway.svg"];
    private const int Misses = 7;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options(args);
        var postgres = options.GetValueOrDefault("database", "sqlite").Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var scale = options.GetValueOrDefault("scale", "small");
        var duration = options.GetValueOrDefault("duration", "10s");
        var threads = options.GetValueOrDefault("threads", "1");
        var connections = options.GetValueOrDefault("connections", "16");
        var portal = options.GetValueOrDefault("portal") ?? DefaultPortalAssembly();
        var dataFolder = options.GetValueOrDefault("data") ?? Path.Combine(Path.GetTempPath(), $"fp-bench-public-{(postgres ? "pg" : "sqlite")}-{scale}");
        Directory.CreateDirectory(dataFolder);
        var connection = postgres
            ? options.GetValueOrDefault("connection") ?? throw new InvalidOperationException("--connection is required for PostgreSQL (with Database=…).")
            : $"Data Source={Path.Combine(dataFolder, "fundingportal.db")}";
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = options.GetValueOrDefault("environment", "Production"),
            ["Portal__DataFolder"] = dataFolder,
            ["Database__Provider"] = postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings__Default"] = connection,
            // The per-address limit (600 a minute by default) would turn a load test from one address into 429s.
            ["Portal__PublicRequestsPerMinute"] = "2000000000",
            // The follow-up job's start-up pass over every pledge would share the two cores with the measurement (see docs/benchmarks.md).
            ["Portal__FollowUpIntervalMinutes"] = "0",
        };

        var seed = Stopwatch.StartNew();
        if (postgres)
        {
            await RunVerbAsync(portal, environment, "migrate");
        }
        var seeded = await RunVerbAsync(portal, environment, "seed-demo", "--scale", scale);
        var seedTime = seed.Elapsed;
        var counts = await CountAsync(postgres, connection);
        if (postgres)
        {
            // What autovacuum does soon after a bulk load: fresh statistics and a visibility map, so index-only scans stay index-only.
            await AnalyseAsync(connection);
        }

        if (options.GetValueOrDefault("first-only", "false") == "true")
        {
            var starts = int.Parse(options.GetValueOrDefault("starts", "3"), CultureInfo.InvariantCulture);
            return await FirstAfterStartAsync(portal, environment, starts, $"{(postgres ? "PostgreSQL" : "SQLite")}, `seed-demo --scale {scale}`: {counts}");
        }

        var port = FreeLoopbackPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        using var process = StartPortal(portal, environment, baseUrl);
        var results = new List<WrkResult>();
        var firstAfterStart = new Dictionary<string, double>();
        var misses = new Dictionary<string, List<double>>();
        var sizes = new Dictionary<string, long>();
        (long Rss, long Hwm) memory;
        try
        {
            using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };
            await WaitForHealthAsync(http, process);

            // Cold: the first request to each URL after the portal started.
            foreach (var path in Paths)
            {
                var (ms, bytes) = await TimeAsync(http, path);
                firstAfterStart[path] = ms;
                sizes[path] = bytes;
            }
            // Warm-up, then cache misses in the warm process (requests the cache does not serve).
            foreach (var path in Paths)
            {
                for (var i = 0; i < 20; i++)
                {
                    await TimeAsync(http, path);
                }
                for (var i = 0; i < 3; i++)
                {
                    await TimeAsync(http, path, uncached: true);
                }
            }
            foreach (var path in Paths)
            {
                misses[path] = [];
                for (var i = 0; i < Misses; i++)
                {
                    misses[path].Add((await TimeAsync(http, path, uncached: true)).Ms);
                }
            }

            var html = await http.GetByteArrayAsync(new Uri("/", UriKind.Relative));
            var staticFolder = Directory.CreateTempSubdirectory("fp-bench-static-").FullName;
            await File.WriteAllBytesAsync(Path.Combine(staticFolder, "page.html"), html);
            await using var staticApp = await StartStaticAsync(staticFolder);
            var staticUrl = new Uri($"{staticApp.Urls.Single()}/page.html");

            await WrkAsync(staticUrl, "2s", threads, connections);
            results.Add(await WrkAsync(staticUrl, duration, threads, connections) with { Name = "static file (Kestrel, before)", Bytes = html.Length });
            foreach (var path in Paths)
            {
                await WrkAsync(new Uri(baseUrl, path), "2s", threads, connections);
                results.Add(await WrkAsync(new Uri(baseUrl, path), duration, threads, connections) with { Name = $"`{path}` (cached)", Bytes = sizes[path] });
            }
            results.Add(await WrkAsync(staticUrl, duration, threads, connections) with { Name = "static file (Kestrel, after)", Bytes = html.Length });
            memory = Memory(process.Id);
            Directory.Delete(staticFolder, recursive: true);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var staticRps = results.Where(r => r.Name.StartsWith("static", StringComparison.Ordinal)).Average(r => r.RequestsPerSecond);
        var load = await File.ReadAllTextAsync("/proc/loadavg");
        Console.WriteLine($"### {(postgres ? "PostgreSQL" : "SQLite")}, `seed-demo --scale {scale}`");
        Console.WriteLine();
        Console.WriteLine($"{counts}. Seed step took {seedTime.TotalSeconds:0.0} s ({seeded.Trim().Split('\n')[0].Trim()}). " +
            $"wrk -t{threads} -c{connections} -d{duration} --latency; load average at the end: {string.Join(' ', load.Split(' ').Take(3))}.");
        Console.WriteLine();
        Console.WriteLine("| target | body bytes | requests/s | % of static | p50 ms | p99 ms | non-2xx |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Bytes:#,0} | {r.RequestsPerSecond:#,0} | {100 * r.RequestsPerSecond / staticRps:0}% | {r.P50:0.00} | {r.P99:0.00} | {r.Errors} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"Uncached (ms): first request after the portal started, and a cache miss in the warm process (median and max of {Misses}):");
        Console.WriteLine();
        Console.WriteLine("| URL | first after start | miss median | miss max |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var path in Paths)
        {
            var sorted = misses[path].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{path}` | {firstAfterStart[path]:0.0} | {sorted[sorted.Count / 2]:0.0} | {sorted[^1]:0.0} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"Portal memory after the runs: VmRSS {memory.Rss / 1024.0:0} MB, VmHWM {memory.Hwm / 1024.0:0} MB.");
        return 0;
    }

    private sealed record WrkResult(string Name, long Bytes, double RequestsPerSecond, double P50, double P99, long Errors);

    private static async Task<WrkResult> WrkAsync(Uri url, string duration, string threads, string connections)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"-t{threads}", $"-c{connections}", $"-d{duration}", "--latency", url.AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk (apt-get install -y wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = Match(output, @"Requests/sec:\s+([\d.]+)") ?? throw new InvalidOperationException($"wrk printed no Requests/sec:\n{output}");
        var errors = Match(output, @"Non-2xx or 3xx responses:\s+(\d+)") ?? 0;
        var socket = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        if (socket.Success)
        {
            errors += Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture));
        }
        return new WrkResult("", 0, rps, Latency(output, "50%"), Latency(output, "99%"), (long)errors);
    }

    private static double? Match(string text, string pattern) =>
        Regex.Match(text, pattern) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>A percentile line of wrk's latency distribution ("99%  3.21ms"), in milliseconds.</summary>
    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, $@"^\s+{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            return double.NaN;
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static async Task<(double Ms, long Bytes)> TimeAsync(HttpClient http, string path, bool uncached = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (uncached)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer benchmark-cache-miss");
        }
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }
        return (ms, body.Length);
    }

    private static async Task<WebApplication> StartStaticAsync(string folder)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreeLoopbackPort()}");
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder) });
        await app.StartAsync();
        return app;
    }

    private static Process StartPortal(string portal, Dictionary<string, string> environment, Uri baseUrl)
    {
        var start = PortalStartInfo(portal, environment, "--urls", baseUrl.GetLeftPart(UriPartial.Authority));
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"portal: {e.Data}"); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode} before it answered /healthz.");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The portal did not answer /healthz within 120 s.");
    }

    private static async Task<string> RunVerbAsync(string portal, Dictionary<string, string> environment, params string[] args)
    {
        using var verb = Process.Start(PortalStartInfo(portal, environment, args)) ?? throw new InvalidOperationException("Could not start the portal.");
        var stdout = verb.StandardOutput.ReadToEndAsync();
        var stderr = verb.StandardError.ReadToEndAsync();
        await verb.WaitForExitAsync();
        if (verb.ExitCode != 0)
        {
            throw new InvalidOperationException($"{args[0]} exited with {verb.ExitCode}:\n{await stdout}{await stderr}");
        }
        return await stdout;
    }

    private static ProcessStartInfo PortalStartInfo(string portal, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(portal)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(portal);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "DOTNET_ENVIRONMENT", "Email__Smtp__Host" })
        {
            start.Environment.Remove(inherited);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    private static async Task<string> CountAsync(bool postgres, string connection)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        Database.Configure(builder, new DatabaseSettings(postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, connection));
        await using var db = new AppDbContext(builder.Options);
        var organisations = await db.Organisations.LongCountAsync();
        var pledges = await db.Pledges.LongCountAsync();
        var payments = await db.Payments.LongCountAsync();
        var ledger = await db.LedgerEntries.LongCountAsync();
        var ci = await db.CiUsageRecords.LongCountAsync();
        return string.Create(CultureInfo.InvariantCulture,
            $"{organisations:#,0} organisations, {pledges:#,0} pledges, {payments:#,0} payments, {ledger:#,0} ledger entries, {ci:#,0} CI usage records");
    }

    private static async Task AnalyseAsync(string connection)
    {
        await using var npgsql = new NpgsqlConnection(connection);
        await npgsql.OpenAsync();
        await using var command = new NpgsqlCommand("VACUUM ANALYZE", npgsql) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static (long RssKb, long HwmKb) Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Read(string key) => long.Parse(status.Single(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>The web project's Release build next to this checkout (built by <c>dotnet run -c Release</c> of this project).</summary>
    private static string DefaultPortalAssembly()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FundingPortal.sln")))
            {
                var assembly = Path.Combine(folder.FullName, "src", "FundingPortal.Web", "bin", "Release", "net10.0", "FundingPortal.Web.dll");
                return File.Exists(assembly) ? assembly : throw new InvalidOperationException($"{assembly} is missing: dotnet build -c Release FundingPortal.sln");
            }
        }
        throw new InvalidOperationException("FundingPortal.sln was not found above the benchmark's build output; pass --portal.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
}
