using System.Security.Cryptography;
using System.Text;

using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// CI providers with their price books, one import batch each, two years of job runs, and monthly budgets.
/// The job mix follows the demo's stories: Windows jobs crowd the 90-minute limit until the Windows task makes progress,
/// <c>linux-llvm</c> creeps towards its two-hour limit, the aarch64 runners are flaky, CircleCI stops when its
/// nightlies move to GitLab CI and AppVeyor stops when the project's own Windows runners arrive.
/// </summary>
internal sealed partial class DemoSeeding
{
    private const int CircleCiStoppedDaysAgo = 95;
    private const int OwnWindowsRunnersDaysAgo = 400;
    private const long MicrosPerCent = 10_000;

    private static readonly DateOnly ListPricesFrom = new(2023, 1, 1);
    private static readonly DateOnly GitHubPriceCut = new(2026, 1, 1);

    private static readonly CiProviderSpec[] CiProviders =
    [
        new("GitLab CI", "GitLab Inc.", CiProviderKind.GitLabCi, CiRounding.PerTotal, IncludedMinutes: 10_000, GitLabJobsJson.Instance,
            "demo-seed-gitlab-jobs.json", MonthlyFeeCents: 0, InvoicesUsage: true,
            provider =>
            {
                // GitLab sells compute minutes at $0.01; a runner's cost factor says how many it burns per minute of wall time.
                provider.AddPrice("saas-linux-small-amd64", RunnerOs.Linux, 0.01m, 1m, ListPricesFrom);
                provider.AddPrice("saas-linux-medium-amd64", RunnerOs.Linux, 0.02m, 2m, ListPricesFrom);
                provider.AddPrice("saas-linux-large-amd64", RunnerOs.Linux, 0.03m, 3m, ListPricesFrom);
                provider.AddPrice("saas-linux-xlarge-amd64", RunnerOs.Linux, 0.06m, 6m, ListPricesFrom);
                provider.AddPrice("saas-windows-medium-amd64", RunnerOs.Windows, 0.01m, 1m, ListPricesFrom);
                provider.AddPrice("saas-macos-medium-m1", RunnerOs.MacOs, 0.06m, 6m, ListPricesFrom);
            },
            status => status switch
            {
                CiJobStatus.Success => "success",
                CiJobStatus.Cancelled => "canceled",
                CiJobStatus.TimedOut => "failed: job_execution_timeout",
                CiJobStatus.Skipped => "skipped",
                _ => "failed: script_failure",
            },
            (_, n) => (4_100_000 + (n * 3)).ToString(CultureInfo.InvariantCulture),
            [
                new("project/compiler", "merge-request", Nightly: false, PerDay: 0.6m, CiBilling.Metered,
                [
                    new("lint-linters", "saas-linux-small-amd64", RunnerOs.Linux, 3, 3, 30, 2),
                    new("hadrian-ghc-in-ghci", "saas-linux-medium-amd64", RunnerOs.Linux, 22, 17, 60, 3),
                    new("validate-x86_64-linux-deb12", "saas-linux-medium-amd64", RunnerOs.Linux, 58, 50, 120, 6),
                    new("linux-llvm", "saas-linux-large-amd64", RunnerOs.Linux, 96, 108, 120, 4),
                    new("test-primops", "saas-linux-medium-amd64", RunnerOs.Linux, 34, 34, 60, 3),
                ]),
                new("project/compiler", "nightly", Nightly: true, PerDay: 1m, CiBilling.Metered,
                [
                    new("nightly-x86_64-linux-alpine3_20-static", "saas-linux-medium-amd64", RunnerOs.Linux, 64, 64, 120, 5),
                    new("validate-x86_64-linux-fedora38", "saas-linux-medium-amd64", RunnerOs.Linux, 61, 57, 120, 4),
                ]),
                new("project/compiler", "nightly", Nightly: true, PerDay: 1m, CiBilling.Metered,
                [
                    new("nightly-i386-linux", "saas-linux-medium-amd64", RunnerOs.Linux, 70, 70, 120, 6),
                    new("nightly-x86_64-freebsd13", "saas-linux-large-amd64", RunnerOs.Linux, 60, 60, 120, 5),
                ], FromDaysAgo: CircleCiStoppedDaysAgo),
            ]),
        new("GitHub Actions", "GitHub, Inc.", CiProviderKind.GitHubActions, CiRounding.PerJobUpToMinute, IncludedMinutes: 2_000,
            GitHubActionsEnhancedCsv.Instance, "demo-seed-github-usage.csv", MonthlyFeeCents: 0, InvoicesUsage: true,
            provider =>
            {
                provider.AddPrice("ubuntu-latest", RunnerOs.Linux, 0.008m, 1m, ListPricesFrom);
                provider.AddPrice("windows-latest", RunnerOs.Windows, 0.016m, 2m, ListPricesFrom);
                provider.AddPrice("macos-latest", RunnerOs.MacOs, 0.08m, 10m, ListPricesFrom);
                provider.AddPrice("ubuntu-latest", RunnerOs.Linux, 0.006m, 1m, GitHubPriceCut);
                provider.AddPrice("windows-latest", RunnerOs.Windows, 0.010m, 2m, GitHubPriceCut);
                provider.AddPrice("macos-latest", RunnerOs.MacOs, 0.062m, 10m, GitHubPriceCut);
            },
            status => status switch
            {
                CiJobStatus.Success => "success",
                CiJobStatus.Cancelled => "cancelled",
                CiJobStatus.TimedOut => "timed_out",
                CiJobStatus.Skipped => "skipped",
                _ => "failure",
            },
            (_, n) => (21_000_000_000 + (n * 7)).ToString(CultureInfo.InvariantCulture),
            [
                // A public mirror: standard runners cost a public repository nothing, though the list-price value is real.
                new("project/compiler-mirror", ".github/workflows/ci.yml", Nightly: false, PerDay: 0.4m, CiBilling.Free,
                [
                    new("aarch64-darwin", "macos-latest", RunnerOs.MacOs, 48, 43, 120, 5),
                    new("cabal-bootstrap", "ubuntu-latest", RunnerOs.Linux, 12, 12, 30, 2),
                ]),
                new("project/release-tooling", ".github/workflows/release.yml", Nightly: false, PerDay: 0.15m, CiBilling.Metered,
                [
                    new("release-x86_64-linux-deb12", "ubuntu-latest", RunnerOs.Linux, 35, 35, 120, 2),
                    new("release-x86_64-windows", "windows-latest", RunnerOs.Windows, 70, 64, 180, 3),
                    new("release-aarch64-darwin", "macos-latest", RunnerOs.MacOs, 45, 42, 120, 3),
                ]),
            ]),
        new("CircleCI", "Circle Internet Services, Inc.", CiProviderKind.CircleCi, CiRounding.PerTotal, IncludedMinutes: 0,
            CircleCiUsageCsv.Instance, "demo-seed-circleci-usage.csv", MonthlyFeeCents: 0, InvoicesUsage: false,
            provider =>
            {
                // $15 buys 25,000 credits; a resource class burns a fixed number of credits per minute.
                provider.AddCreditPrice("medium", RunnerOs.Linux, 10, 0.0006m, ListPricesFrom);
                provider.AddCreditPrice("large", RunnerOs.Linux, 20, 0.0006m, ListPricesFrom);
                provider.AddCreditPrice("macos.m1.medium.gen1", RunnerOs.MacOs, 150, 0.0006m, ListPricesFrom);
            },
            status => status switch
            {
                CiJobStatus.Success => "success",
                CiJobStatus.Cancelled => "canceled",
                CiJobStatus.TimedOut => "timedout",
                CiJobStatus.Skipped => "not_run",
                _ => "failed",
            },
            CircleCiJobId,
            [
                new("project/compiler", "nightly", Nightly: true, PerDay: 1m, CiBilling.Flat,
                [
                    new("nightly-i386-linux", "medium", RunnerOs.Linux, 78, 74, 120, 7),
                    new("nightly-x86_64-freebsd13", "large", RunnerOs.Linux, 66, 64, 120, 5),
                ], UntilDaysAgo: CircleCiStoppedDaysAgo),
            ]),
        new("AppVeyor", "AppVeyor Systems Inc.", CiProviderKind.AppVeyor, CiRounding.PerTotal, IncludedMinutes: 0, GenericCsv.Instance,
            "demo-seed-appveyor.csv", MonthlyFeeCents: 99_00, InvoicesUsage: false,
            // A flat plan for one concurrent job: its price per minute is the monthly fee spread over a month of minutes.
            provider => provider.AddPrice("Visual Studio 2022", RunnerOs.Windows, decimal.Round(99m / MinutesPerMonth, 6), 1m, ListPricesFrom),
            GenericStatus,
            (random, n) => $"{n:x6}{Hex(random, 5)}",
            [
                new("project/compiler", "appveyor-windows", Nightly: false, PerDay: 0.5m, CiBilling.Flat,
                [
                    new("validate-x86_64-windows", "Visual Studio 2022", RunnerOs.Windows, 80, 78, 90, 8),
                ], UntilDaysAgo: OwnWindowsRunnersDaysAgo),
            ]),
        new("Self-hosted runners", "Fictional Hosting GmbH", CiProviderKind.SelfHosted, CiRounding.PerTotal, IncludedMinutes: 0,
            GenericCsv.Instance, "demo-seed-self-hosted.csv", MonthlyFeeCents: 1_450_00, InvoicesUsage: false,
            provider =>
            {
                provider.SetHostingCost(new Money(1_450_00, "USD"));
                // Hosting for two Windows machines, spread over their runner-minutes; the aarch64 runners are donated and priced
                // at the donor's stated value of $1,200 a month for four machines.
                provider.AddPrice("x86_64-windows-selfhosted", RunnerOs.Windows, decimal.Round(1_450m / (2 * MinutesPerMonth), 6), 1m, ListPricesFrom);
                provider.AddPrice("aarch64-linux-donated", RunnerOs.Linux, decimal.Round(1_200m / (4 * MinutesPerMonth), 6), 1m, ListPricesFrom);
            },
            GenericStatus,
            (_, n) => $"runner-job-{n}",
            [
                new("project/compiler", "merge-request", Nightly: false, PerDay: 0.6m, CiBilling.Flat,
                [
                    new("validate-x86_64-windows", "x86_64-windows-selfhosted", RunnerOs.Windows, 78, 64, 90, 6),
                ], FromDaysAgo: OwnWindowsRunnersDaysAgo),
                new("project/compiler", "merge-request", Nightly: false, PerDay: 0.6m, CiBilling.Free,
                [
                    new("validate-aarch64-linux-deb12", "aarch64-linux-donated", RunnerOs.Linux, 66, 62, 120, 9),
                ]),
                new("project/compiler", "nightly", Nightly: true, PerDay: 1m, CiBilling.Free,
                [
                    new("nightly-aarch64-linux-deb12-llvm", "aarch64-linux-donated", RunnerOs.Linux, 92, 101, 120, 8),
                ]),
            ]),
    ];

    private const decimal MinutesPerMonth = 30 * 24 * 60;

    private readonly Dictionary<CiProviderKind, int> _providerIds = [];

    private enum CiBilling
    {
        /// <summary>Costs the project nothing (public repository, donated runner); the list-price value is still shown.</summary>
        Free,

        /// <summary>Included minutes first, then every quota minute is paid.</summary>
        Metered,

        /// <summary>Every minute is paid: credits bought, or a flat fee or hosting bill spread over the minutes.</summary>
        Flat,
    }

    /// <param name="MinutesThen">Typical duration two years ago.</param>
    /// <param name="MinutesNow">Typical duration today; the generator moves linearly between the two.</param>
    private sealed record CiJobSpec(string Name, string RunnerType, RunnerOs Os, int MinutesThen, int MinutesNow, int TimeoutMinutes, int FailurePercent);

    private sealed record CiPipelineSpec(string Project, string Pipeline, bool Nightly, decimal PerDay, CiBilling Billing, CiJobSpec[] Jobs,
        int FromDaysAgo = 730, int UntilDaysAgo = 0);

    private sealed record CiProviderSpec(string Name, string Vendor, CiProviderKind Kind, CiRounding Rounding, int IncludedMinutes, ICiImportFormat Format,
        string FileName, long MonthlyFeeCents, bool InvoicesUsage, Action<CiProvider> PriceBook, Func<CiJobStatus, string> ProviderStatus,
        Func<Random, long, string> ExternalId, CiPipelineSpec[] Pipelines);

    /// <summary>What one provider cost in one month, for its invoice (an expense) and its budget.</summary>
    private sealed record CiMonth(int ProviderId, CiProviderSpec Provider, DateOnly Month, long ListMicros, long PaidMicros);

    /// <summary>How one run of a job ended and how long it took.</summary>
    private sealed record CiOutcome(CiJobStatus Status, long Seconds);

    private async Task<List<CiMonth>> SeedCiUsageAsync()
    {
        // Start-up seeds the public list prices of GitHub Actions, GitLab CI and CircleCI; the demo prices its runs with those.
        var existing = await db.CiProviders.Include(p => p.Prices).ToDictionaryAsync(p => p.Name, StringComparer.Ordinal);
        var providers = CiProviders.Select(spec =>
        {
            if (existing.TryGetValue(spec.Name, out var seeded))
            {
                return seeded;
            }
            var provider = Must(CiProvider.New(spec.Name, spec.Kind, spec.Rounding, spec.IncludedMinutes, "USD"));
            spec.PriceBook(provider);
            db.CiProviders.Add(provider);
            return provider;
        }).ToList();
        await SaveAsync();

        var months = new List<CiMonth>();
        for (var p = 0; p < providers.Count; p++)
        {
            var provider = providers[p];
            _providerIds[provider.Kind] = provider.Id;
            months.AddRange(await SeedJobRunsAsync(CiProviders[p], provider, new Random(Seed + 10 + p)));
        }
        AddBudgets(months);
        await FlushAsync();
        return months;
    }

    private async Task<List<CiMonth>> SeedJobRunsAsync(CiProviderSpec spec, CiProvider provider, Random random)
    {
        var batch = ImportBatch.Start(provider.Id, spec.Format.Id, spec.FileName, FileHash(spec), _reviewer.Id, now);
        db.ImportBatches.Add(batch);
        await SaveAsync();

        var import = new CiImport(spec, provider, batch.Id);
        var pending = new List<CiUsageRecord>(size.RowsPerSave);
        for (var day = HistoryStart; day <= _today; day = day.AddDays(1))
        {
            foreach (var pipeline in spec.Pipelines.Where(p => day >= _today.AddDays(-p.FromDaysAgo) && day <= _today.AddDays(-p.UntilDaysAgo)))
            {
                for (var run = PipelinesOn(random, pipeline, day); run > 0; run--)
                {
                    var pipelineStart = pipeline.Nightly ? At(day, 120 + random.Next(25)) : During(random, day, 6, 22);
                    foreach (var job in pipeline.Jobs)
                    {
                        var started = pipelineStart.AddSeconds(random.Next(15, 12 * 60));
                        var outcome = RunJob(random, job, DayShare(day, pipeline));
                        var finished = started.AddSeconds(outcome.Seconds);
                        if (finished > now)
                        {
                            continue;
                        }
                        pending.Add(import.Record(random, pipeline, job, started, outcome, isRetry: false));
                        // Failed and timed-out jobs are often retried once: the second run costs money too, and counts as waste.
                        if (outcome.Status is CiJobStatus.Failed or CiJobStatus.TimedOut && Chance(random, 0.4))
                        {
                            var retryStarted = finished.AddSeconds(random.Next(60, 20 * 60));
                            var retry = RunJob(random, job, DayShare(day, pipeline));
                            if (retryStarted.AddSeconds(retry.Seconds) <= now)
                            {
                                pending.Add(import.Record(random, pipeline, job, retryStarted, retry, isRetry: true));
                            }
                        }
                    }
                }
            }
            if (pending.Count >= size.RowsPerSave)
            {
                db.CiUsageRecords.AddRange(pending);
                pending.Clear();
                await FlushAsync();
            }
        }
        db.CiUsageRecords.AddRange(pending);
        await FlushAsync();

        batch.Complete(import.Rows, import.Rows, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, now);
        db.ImportBatches.Update(batch);
        await FlushAsync();
        // As an import does: the batch's runs go into the monthly roll-up the CI cost reports read.
        await CiUsageRollup.AddBatchAsync(db, batch.Id, cancellationToken);
        // The time limits the jobs run under, so the reports can show which come close to them.
        foreach (var (project, job, minutes) in spec.Pipelines.SelectMany(p => p.Jobs.Select(j => (p.Project, j.Name, j.TimeoutMinutes))).DistinctBy(j => (j.Project, j.Name)))
        {
            db.CiJobTimeouts.Add(CiJobTimeout.Create(provider.Id, project, job, minutes).Value!);
        }
        await FlushAsync();
        return [.. import.Months.Select(m => new CiMonth(provider.Id, spec, m.Key, m.Value.ListMicros, m.Value.PaidMicros))];
    }

    /// <summary>How many times a pipeline runs on a day: nightly once, merge requests mostly on weekdays.</summary>
    private int PipelinesOn(Random random, CiPipelineSpec pipeline, DateOnly day)
    {
        if (pipeline.Nightly)
        {
            return 1;
        }
        var weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.35m : 1.26m;
        var expected = pipeline.PerDay * size.CiPipelineFactor * weekday;
        var whole = (int)expected;
        return whole + (Chance(random, (double)(expected - whole)) ? 1 : 0);
    }

    /// <summary>How far through the pipeline's life a day is (0 at its first day, 1 today), to move typical durations.</summary>
    private double DayShare(DateOnly day, CiPipelineSpec pipeline)
    {
        var first = Math.Max(_today.AddDays(-pipeline.FromDaysAgo).DayNumber, HistoryStart.DayNumber);
        var span = _today.DayNumber - first;
        return span <= 0 ? 1 : (double)(day.DayNumber - first) / span;
    }

    /// <summary>Draws one run's result and duration. Durations are not money, so floating point is fine here.</summary>
    private static CiOutcome RunJob(Random random, CiJobSpec job, double share)
    {
        var typical = (job.MinutesThen + ((job.MinutesNow - job.MinutesThen) * share)) * 60;
        var seconds = typical * (1 + (0.12 * Normal(random)));
        if (Chance(random, 0.03))
        {
            seconds *= 1.3 + (random.NextDouble() * 0.3); // a slow or overloaded runner
        }
        seconds = Math.Max(seconds, typical * 0.3);
        var roll = random.Next(1000);
        if (roll < 5)
        {
            return new CiOutcome(CiJobStatus.Skipped, 0);
        }
        if (roll < 45)
        {
            return new CiOutcome(CiJobStatus.Cancelled, (long)(seconds * (0.05 + (random.NextDouble() * 0.6))));
        }
        var limit = job.TimeoutMinutes * 60;
        if (seconds >= limit)
        {
            return new CiOutcome(CiJobStatus.TimedOut, limit + random.Next(2, 40));
        }
        if (roll < 45 + (job.FailurePercent * 10))
        {
            return new CiOutcome(CiJobStatus.Failed, (long)(seconds * (0.2 + (random.NextDouble() * 0.8))));
        }
        return new CiOutcome(CiJobStatus.Success, (long)seconds);
    }

    /// <summary>CircleCI job ids are UUIDs; the counter in the first part keeps them unique, the rest only looks random.</summary>
    private static string CircleCiJobId(Random random, long number)
    {
        var tail = new byte[8];
        random.NextBytes(tail);
        return new Guid((int)number, (short)random.Next(short.MaxValue), (short)random.Next(short.MaxValue), tail).ToString();
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string GenericStatus(CiJobStatus status) => status switch
    {
        CiJobStatus.Success => "success",
        CiJobStatus.Cancelled => "cancelled",
        CiJobStatus.TimedOut => "timed_out",
        CiJobStatus.Skipped => "skipped",
        _ => "failed",
    };

    /// <summary>Batches are unique by file hash; the demo's "files" hash their provider's name.</summary>
    private static string FileHash(CiProviderSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"demo-seed:{spec.FileName}")));

    /// <summary>
    /// A budget per provider for each recent month it was used in: what it cost on average in the three months before,
    /// plus some headroom, so some months stay under and some cross the alert threshold.
    /// </summary>
    private void AddBudgets(List<CiMonth> months)
    {
        var thisMonth = new DateOnly(_today.Year, _today.Month, 1);
        foreach (var provider in months.GroupBy(m => m.ProviderId))
        {
            var byMonth = provider.ToDictionary(m => m.Month);
            for (var month = thisMonth.AddMonths(-5); month <= thisMonth; month = month.AddMonths(1))
            {
                if (!byMonth.ContainsKey(month))
                {
                    continue;
                }
                var before = Enumerable.Range(1, 3).Select(back => byMonth.GetValueOrDefault(month.AddMonths(-back))).OfType<CiMonth>().ToList();
                var averageCents = before.Count == 0 ? 0 : before.Sum(m => m.PaidMicros) / before.Count / MicrosPerCent;
                var withHeadroom = averageCents * 115 / 100;
                var cents = Math.Max(100_00, (withHeadroom + 49_99) / 50_00 * 50_00);
                db.Budgets.Add(Must(Budget.Plan(provider.Key, month, new Money(cents, "USD"), alertThresholdPercent: 80)));
            }
        }
    }

    /// <summary>One provider's import while it is generated: its prices, its batch, and what each month has cost so far.</summary>
    private sealed class CiImport(CiProviderSpec spec, CiProvider provider, int batchId)
    {
        private readonly Dictionary<string, List<CiRunnerPrice>> _prices = provider.Prices
            .GroupBy(price => price.RunnerType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(price => price.ValidFrom).ToList(), StringComparer.Ordinal);

        private readonly int _providerId = provider.Id;
        private long _jobNumber;

        public SortedDictionary<DateOnly, CiMonthTally> Months { get; } = [];

        public int Rows { get; private set; }

        public CiUsageRecord Record(Random random, CiPipelineSpec pipeline, CiJobSpec job, DateTime started, CiOutcome outcome, bool isRetry)
        {
            var day = DateOnly.FromDateTime(started);
            var price = _prices[job.RunnerType].First(candidate => candidate.ValidFrom <= day);
            var raw = spec.Rounding == CiRounding.PerJobUpToMinute
                ? Math.Ceiling(outcome.Seconds / 60m)
                : decimal.Round(outcome.Seconds / 60m, 4);
            var quota = raw * price.Multiplier;
            var list = (long)decimal.Round(raw * price.PricePerMinute * 1_000_000m, 0, MidpointRounding.AwayFromZero);
            var month = new DateOnly(day.Year, day.Month, 1);
            if (!Months.TryGetValue(month, out var tally))
            {
                Months[month] = tally = new CiMonthTally();
            }
            var paid = tally.Charge(pipeline.Billing, spec.IncludedMinutes, list, quota);
            Rows++;
            return CiUsageRecord.Create(new CiJobRun(_providerId, batchId, spec.ExternalId(random, ++_jobNumber), pipeline.Project, pipeline.Pipeline,
                job.Name, job.RunnerType, job.Os, started, outcome.Status == CiJobStatus.Skipped ? null : started.AddSeconds(outcome.Seconds),
                outcome.Seconds, raw, quota, list, paid, "USD", outcome.Status, spec.ProviderStatus(outcome.Status), isRetry));
        }
    }

    private sealed class CiMonthTally
    {
        private decimal _quotaMinutesUsed;

        public long ListMicros { get; private set; }

        public long PaidMicros { get; private set; }

        /// <summary>
        /// Adds a job to the month and says what the project pays for it: nothing, all of it, or the part of its quota
        /// minutes beyond the month's included minutes.
        /// </summary>
        public long Charge(CiBilling billing, int includedMinutes, long listMicros, decimal quotaMinutes)
        {
            var before = _quotaMinutesUsed;
            _quotaMinutesUsed += quotaMinutes;
            var beyond = Math.Clamp(_quotaMinutesUsed - Math.Max(before, includedMinutes), 0, quotaMinutes);
            var paid = billing switch
            {
                CiBilling.Free => 0,
                CiBilling.Flat => listMicros,
                _ => quotaMinutes == 0 ? 0 : (long)decimal.Round(listMicros * beyond / quotaMinutes, 0, MidpointRounding.AwayFromZero),
            };
            ListMicros += listMicros;
            PaidMicros += paid;
            return paid;
        }
    }
}
