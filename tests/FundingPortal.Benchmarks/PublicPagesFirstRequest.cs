using System.Diagnostics;
using System.Globalization;

namespace FundingPortal.Benchmarks;

internal static partial class PublicPagesBenchmark
{
    /// <summary>
    /// Starts the portal <paramref name="starts"/> times; each time waits, as a load balancer does, for <c>/healthz</c> to answer 200,
    /// then times the first request to each URL: what the first visitor after a deploy or restart waits. Medians and maxima.
    /// </summary>
    private static async Task<int> FirstAfterStartAsync(string portal, Dictionary<string, string> environment, int starts, string title)
    {
        var ready = new List<double>();
        var first = Paths.ToDictionary(p => p, _ => new List<double>());
        var load = new List<string> { string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3)) };
        for (var i = 0; i < starts; i++)
        {
            var baseUrl = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
            var watch = Stopwatch.StartNew();
            using var process = StartPortal(portal, environment, baseUrl);
            try
            {
                using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };
                await WaitForHealthAsync(http, process);
                ready.Add(watch.Elapsed.TotalSeconds);
                foreach (var path in Paths)
                {
                    first[path].Add((await TimeAsync(http, path)).Ms);
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        load.Add(string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3)));
        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine($"### First request after start: {title}");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{starts} starts of {Path.GetFileName(Path.GetDirectoryName(portal))}/{Path.GetFileName(portal)}; /healthz answered 200 after {Median(ready):0.0} s (median, max {ready.Max():0.0} s). Load average before / after: {string.Join(" / ", load)}."));
        Console.WriteLine();
        Console.WriteLine("| URL | first request after healthz 200, median ms | max ms |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var path in Paths)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{path}` | {Median(first[path]):0.0} | {first[path].Max():0.0} |"));
        }
        return 0;
    }
}
