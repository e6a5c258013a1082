using System.Diagnostics;
using System.Globalization;
using System.Text;

using FundingPortal.Web.Features.CiUsage;

using nietras.SeparatedValues;

namespace FundingPortal.Benchmarks;

/// <summary>
/// <c>csv-parse [--rows 1000000] [--runs 3]</c>: the product's <see cref="CsvRecordReader"/> against Sep 0.17.1 on the import
/// benchmark's generated files of each CSV format. Each reader reads every field of every record (the header too) from the same
/// strict UTF-8 <see cref="StreamReader"/> the import opens; Sep is timed twice, turning every field into a string as our
/// reader does, and only touching each field's span (what a parser that works on spans would pay). Best of <c>--runs</c>.
/// </summary>
internal static class CsvParseBenchmark
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Task<int> RunAsync(string[] args)
    {
        var rows = 1_000_000;
        var runs = 3;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--rows":
                    rows = int.Parse(args[i + 1], NumberStyles.AllowThousands, Invariant);
                    break;
                case "--runs":
                    runs = int.Parse(args[i + 1], Invariant);
                    break;
            }
        }
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        var folder = Directory.CreateTempSubdirectory("fp-csv-parse-").FullName;
        try
        {
            Console.WriteLine(string.Create(Invariant, $"CSV parsing, {rows:N0} rows per file, best of {runs}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {load} before"));
            Console.WriteLine();
            Console.WriteLine("| format | file MB | CsvRecordReader rows/s | Sep, strings rows/s | Sep, spans rows/s | Sep strings ÷ ours | same fields |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
            foreach (var format in ImportFiles.CsvFormats)
            {
                var file = ImportFiles.Generate(folder, format, rows);
                var ours = Best(runs, () => Ours(file));
                var sepStrings = Best(runs, () => WithSep(file, strings: true));
                var sepSpans = Best(runs, () => WithSep(file, strings: false));
                var same = ours.Fields == sepStrings.Fields && ours.Chars == sepStrings.Chars && ours.Fields == sepSpans.Fields && ours.Chars == sepSpans.Chars;
                Console.WriteLine(string.Create(Invariant,
                    $"| {format} | {new FileInfo(file).Length / 1e6:N0} | {ours.Records / ours.Seconds:N0} | {sepStrings.Records / sepStrings.Seconds:N0} | " +
                    $"{sepSpans.Records / sepSpans.Seconds:N0} | {ours.Seconds / sepStrings.Seconds:0.00}× | {(same ? "yes" : $"**no** ({ours.Fields:N0} / {sepStrings.Fields:N0} fields)")} |"));
                File.Delete(file);
            }
            Console.WriteLine();
            Console.WriteLine($"load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} after");
            return Task.FromResult(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Read(long Records, long Fields, long Chars, double Seconds);

    private static Read Best(int runs, Func<Read> read) =>
        Enumerable.Range(0, runs).Select(_ =>
        {
            GC.Collect();
            return read();
        }).MinBy(r => r.Seconds)!;

    private static StreamReader Open(string file) =>
        new(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    private static Read Ours(string file)
    {
        var watch = Stopwatch.StartNew();
        long records = 0, fields = 0, chars = 0;
        using var text = Open(file);
        var csv = new CsvRecordReader(text);
        while (csv.Read())
        {
            records++;
            foreach (var field in csv.Fields)
            {
                fields++;
                chars += field.Length;
            }
        }
        return new Read(records, fields, chars, watch.Elapsed.TotalSeconds);
    }

    private static Read WithSep(string file, bool strings)
    {
        var watch = Stopwatch.StartNew();
        long records = 0, fields = 0, chars = 0;
        using var text = Open(file);
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        foreach (var row in reader)
        {
            records++;
            for (var i = 0; i < row.ColCount; i++)
            {
                fields++;
                chars += strings ? row[i].ToString().Length : row[i].Span.Length;
            }
        }
        return new Read(records, fields, chars, watch.Elapsed.TotalSeconds);
    }
}
