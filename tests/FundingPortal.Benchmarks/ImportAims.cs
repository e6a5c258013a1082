using System.Globalization;

namespace FundingPortal.Benchmarks;

/// <summary>
/// Issue 18's import aims, each a ratio of two figures measured in the same run: rows/s against each baseline of the same rows,
/// rows/s at the largest size against the smallest, rows/s into a filled database against an empty one, the peak working set at
/// the largest size against the smallest, and the longest wait of another SQLite writer against 2 s.
/// </summary>
internal static class ImportAims
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>How much more memory the largest file may take than the smallest and still count as flat (the issue is silent; 20%).</summary>
    private const double FlatMemory = 1.2;

    private const double LongestWaitMilliseconds = 2_000;

    public static IEnumerable<string> Rows(List<ImportRun> runs, int[] sizes)
    {
        var empty = runs.Where(r => r.Existing == 0).ToList();
        foreach (var run in empty)
        {
            foreach (var baseline in run.Baselines)
            {
                var (aim, at) = baseline.Name.StartsWith("COPY", StringComparison.Ordinal) ? ("PostgreSQL ≥ 0.9× COPY (with foreign keys)", 0.9)
                    : baseline.Name.StartsWith("Python", StringComparison.Ordinal) ? ("SQLite ≥ 1.0× Python executemany", 1.0)
                    : ("SQLite ≥ 0.6× INSERT … SELECT floor", 0.6);
                yield return Faster(aim, run, $"{run.RowsPerSecond:N0} rows/s", $"{baseline.RowsPerSecond:N0} rows/s", run.RowsPerSecond / baseline.RowsPerSecond, at);
            }
        }
        if (sizes.Length > 1)
        {
            foreach (var large in empty.Where(r => r.FileRows == sizes[^1]))
            {
                var small = empty.Single(r => r.Provider == large.Provider && r.Format == large.Format && r.FileRows == sizes[0]);
                yield return Faster($"Linear: rows/s at {sizes[^1]:N0} ≥ 0.9× at {sizes[0]:N0}", large, $"{large.RowsPerSecond:N0} rows/s", $"{small.RowsPerSecond:N0} rows/s",
                    large.RowsPerSecond / small.RowsPerSecond, 0.9);
            }
        }
        foreach (var filled in runs.Where(r => r.Existing > 0))
        {
            var into = empty.Single(r => r.Provider == filled.Provider && r.Format == filled.Format && r.FileRows == filled.FileRows);
            yield return Faster($"Onto {filled.Existing:N0} stored: rows/s ≥ 0.8× into an empty database", filled, $"{filled.RowsPerSecond:N0} rows/s",
                $"{into.RowsPerSecond:N0} rows/s", filled.RowsPerSecond / into.RowsPerSecond, 0.8);
        }
        if (sizes.Length > 1)
        {
            foreach (var large in empty.Where(r => r.FileRows == sizes[^1]))
            {
                var small = empty.Single(r => r.Provider == large.Provider && r.Format == large.Format && r.FileRows == sizes[0]);
                yield return AtMost($"Memory flat: peak at {sizes[^1]:N0} ≤ {FlatMemory:0.0}× at {sizes[0]:N0}", large, $"{large.PeakMegabytes:N0} MB",
                    $"{small.PeakMegabytes:N0} MB", (double)large.PeakMegabytes / small.PeakMegabytes, FlatMemory);
            }
        }
        foreach (var run in runs.Where(r => r.Probe is not null))
        {
            var probe = run.Probe!;
            var ratio = probe.LongestMilliseconds / LongestWaitMilliseconds;
            var met = probe.Failed == 0 && probe.Writes > 0 && ratio <= 1;
            yield return Row($"SQLite write lock: another writer waits ≤ 2 s{(run.Existing > 0 ? $" (onto {run.Existing:N0})" : "")}", run,
                $"{probe.LongestMilliseconds:N0} ms longest of {probe.Writes}{(probe.Failed > 0 ? $", {probe.Failed} failed" : "")}", "2,000 ms", ratio, met);
        }
    }

    private static string Faster(string aim, ImportRun run, string ours, string baseline, double ratio, double atLeast) =>
        Row(aim, run, ours, baseline, ratio, ratio >= atLeast);

    private static string AtMost(string aim, ImportRun run, string ours, string baseline, double ratio, double atMost) =>
        Row(aim, run, ours, baseline, ratio, ratio <= atMost);

    private static string Row(string aim, ImportRun run, string ours, string baseline, double ratio, bool met) =>
        string.Create(Invariant, $"| {aim} | {run.Database} | {run.Format} | {run.FileRows:N0} | {ours} | {baseline} | {ratio:0.00}× | {(met ? "yes" : "**no**")} |");
}
