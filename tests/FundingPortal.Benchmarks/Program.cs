// Benchmarks measure and report; they never pass or fail. Each verb writes its figures to standard output in the
// Markdown that docs/benchmarks.md keeps, next to a baseline measured in the same run.
//   dotnet run -c Release --project tests/FundingPortal.Benchmarks -- <verb> [options]
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["import"] = FundingPortal.Benchmarks.ImportBenchmark.RunAsync,
    ["csv-parse"] = FundingPortal.Benchmarks.CsvParseBenchmark.RunAsync,
    ["ci-reports"] = CiReportsBenchmark.RunAsync,
    ["public-pages"] = FundingPortal.Benchmarks.PublicPagesBenchmark.RunAsync,
    ["follow-up"] = FundingPortal.Benchmarks.FollowUpBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: FundingPortal.Benchmarks <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}

return await run(args[1..]);
