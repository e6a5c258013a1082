using FundingPortal.Web.Features.CiUsage;

namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// The demo's CI providers: their price books, the words their exports use, and the pipelines each runs, which
/// <see cref="SeedCiUsageAsync"/> generates runs from. The job mix follows the demo's stories: Windows jobs crowd the 90-minute
/// limit until the Windows task makes progress, <c>linux-llvm</c> creeps towards its two-hour limit, the aarch64 runners are flaky,
/// CircleCI stops when its nightlies move to GitLab CI and AppVeyor stops when the project's own Windows runners arrive.
/// </summary>
internal sealed partial class DemoSeeding
{
    private const int CircleCiStoppedDaysAgo = 95;
    private const int OwnWindowsRunnersDaysAgo = 400;

    private static readonly DateOnly ListPricesFrom = new(2023, 1, 1);
    private static readonly DateOnly GitHubPriceCut = new(2026, 1, 1);

    private static readonly CiProviderSpec[] CiProviders =
    [
        new("GitLab CI", "GitLab Inc.", CiProviderKind.GitLabCi, CiRounding.PerTotal, IncludedMinutes: 10_000, GitLabJobsJson.Instance,
            "demo-seed-gitlab-jobs.json", MonthlyFeeCents: 0, InvoicesUsage: true,
            provider =>
            {
                // GitLab sells compute minutes at $0.01; a runner's cost factor says how many it burns per minute of wall time.
                (string Runner, RunnerOs Os, decimal CostFactor)[] runners =
                [
                    ("saas-linux-small-amd64", RunnerOs.Linux, 1m), ("saas-linux-medium-amd64", RunnerOs.Linux, 2m),
                    ("saas-linux-large-amd64", RunnerOs.Linux, 3m), ("saas-linux-xlarge-amd64", RunnerOs.Linux, 6m),
                    ("saas-windows-medium-amd64", RunnerOs.Windows, 1m), ("saas-macos-medium-m1", RunnerOs.MacOs, 6m),
                ];
                foreach (var (runner, os, costFactor) in runners)
                {
                    provider.AddPrice(runner, os, 0.01m * costFactor, costFactor, ListPricesFrom);
                }
            },
            new CiStatusWords(Cancelled: "canceled", TimedOut: "failed: job_execution_timeout", Failed: "failed: script_failure"),
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
                // The same runners before and after GitHub's price cut; their multipliers stayed.
                (string Runner, RunnerOs Os, decimal Multiplier, decimal ListPrice, decimal CutPrice)[] runners =
                [
                    ("ubuntu-latest", RunnerOs.Linux, 1m, 0.008m, 0.006m),
                    ("windows-latest", RunnerOs.Windows, 2m, 0.016m, 0.010m),
                    ("macos-latest", RunnerOs.MacOs, 10m, 0.08m, 0.062m),
                ];
                foreach (var (runner, os, multiplier, listPrice, cutPrice) in runners)
                {
                    provider.AddPrice(runner, os, listPrice, multiplier, ListPricesFrom);
                    provider.AddPrice(runner, os, cutPrice, multiplier, GitHubPriceCut);
                }
            },
            new CiStatusWords(Failed: "failure"),
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
            new CiStatusWords(Cancelled: "canceled", TimedOut: "timedout", Skipped: "not_run"),
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
            new CiStatusWords(),
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
            new CiStatusWords(),
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
        string FileName, long MonthlyFeeCents, bool InvoicesUsage, Action<CiProvider> PriceBook, CiStatusWords Statuses,
        Func<Random, long, string> ExternalId, CiPipelineSpec[] Pipelines);

    /// <summary>The words a provider's export uses for how a job ended; most say the same, so a provider names only where it differs.</summary>
    private sealed record CiStatusWords(string Cancelled = "cancelled", string TimedOut = "timed_out", string Skipped = "skipped", string Failed = "failed")
    {
        public string For(CiJobStatus status) => status switch
        {
            CiJobStatus.Success => "success",
            CiJobStatus.Cancelled => Cancelled,
            CiJobStatus.TimedOut => TimedOut,
            CiJobStatus.Skipped => Skipped,
            _ => Failed,
        };
    }

    /// <summary>CircleCI job ids are UUIDs; the counter in the first part keeps them unique, the rest only looks random.</summary>
    private static string CircleCiJobId(Random random, long number)
    {
        var tail = new byte[8];
        random.NextBytes(tail);
        return new Guid((int)number, (short)random.Next(short.MaxValue), (short)random.Next(short.MaxValue), tail).ToString();
    }
}
