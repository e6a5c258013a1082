namespace FundingPortal.Web.Features.Demo;

/// <summary>The devops tasks sponsors fund, each with its earmarked fund and a status history walked through the rules.</summary>
internal sealed partial class DemoSeeding
{
    private const string IssueTracker = "https://gitlab.example.org/project/ci/-/issues/";

    private static readonly TaskSeed[] TaskSeeds =
    [
        new("Get the Windows build under the 90-minute CI limit", "windows-build-under-90-minutes",
            """
            The `validate-x86_64-windows` job takes 75–95 minutes and regularly hits the **90-minute** job limit, so merge requests
            touching the runtime wait for a second run or get merged on a red pipeline.

            ## Plan
            - profile the build with `-ddump-timings` and the Hadrian profiler to find the slow stages;
            - build the boot libraries with the in-tree `clang`/`lld` toolchain instead of the MSYS2 `gcc`;
            - split the testsuite into two parallel jobs.

            ## Done when
            The median job is under 60 minutes and nothing has timed out for four weeks.
            """,
            MoneyGoalUsd: 18_000, HoursGoal: 160, CreatedDaysAgo: 700, DueInDays: 60, Issue: 1123,
            [(DevopsTaskStatus.Open, 690), (DevopsTaskStatus.InProgress, 400)]),
        new("Stop LLVM backend jobs timing out", "stop-llvm-jobs-timing-out",
            """
            `linux-llvm` builds every library through `opt` and `llc` and now takes close to the **two-hour** limit; about one run in ten
            times out and is retried, which doubles its cost.

            - cache the LLVM toolchain in the runner image instead of downloading it per job;
            - only run the LLVM job on merge requests that touch the code generator, and nightly otherwise.
            """,
            MoneyGoalUsd: 6_000, HoursGoal: 80, CreatedDaysAgo: 600, DueInDays: 45, Issue: 1187,
            [(DevopsTaskStatus.Open, 590), (DevopsTaskStatus.InProgress, 450), (DevopsTaskStatus.Open, 300), (DevopsTaskStatus.InProgress, 120)]),
        new("Quarantine flaky tests on aarch64 runners", "quarantine-flaky-aarch64-tests",
            """
            Around 8% of `validate-aarch64-linux-deb12` failures are tests that pass on a retry (timing-sensitive `concurrent` and
            `rts` tests). Mark them as *fragile* on aarch64, report them on a dashboard, and fix the five worst offenders.
            """,
            MoneyGoalUsd: 4_000, HoursGoal: 120, CreatedDaysAgo: 420, DueInDays: 120, Issue: 1241,
            [(DevopsTaskStatus.Open, 410)]),
        new("Buy two more Windows runner machines", "two-more-windows-runners",
            """
            Windows jobs queue for up to an hour behind the two donated runners. Buy two 16-core machines with 128 GB of RAM,
            host them next to the Linux builders and register them as `x86_64-windows` runners.

            | item | estimate |
            |---|---|
            | two machines | $7,400 |
            | setup and hosting, first month | $600 |
            """,
            MoneyGoalUsd: 8_000, HoursGoal: 12, CreatedDaysAgo: 560, DueInDays: null, Issue: 1150,
            [(DevopsTaskStatus.Open, 555), (DevopsTaskStatus.InProgress, 470), (DevopsTaskStatus.Done, 400)]),
        new("Migrate nightly jobs from CircleCI", "migrate-nightlies-from-circleci",
            """
            The nightly i386 and FreeBSD jobs still run on CircleCI, paid from the central fund and from donated credits that run out.
            Move them to GitLab CI next to the other nightlies, keep the same job names, and switch CircleCI off.
            """,
            MoneyGoalUsd: 5_000, HoursGoal: 100, CreatedDaysAgo: 650, DueInDays: null, Issue: 1099,
            [(DevopsTaskStatus.Open, 640), (DevopsTaskStatus.InProgress, 300), (DevopsTaskStatus.Done, 95)]),
        new("Replace the ageing x86_64 macOS build machine", "replace-x86-64-macos-machine",
            """
            The only x86_64 macOS runner is a 2017 machine that no longer receives OS updates. Replace it with a leased machine or
            hosted runner minutes, whichever is cheaper over two years.
            """,
            MoneyGoalUsd: 7_500, HoursGoal: 20, CreatedDaysAgo: 200, DueInDays: 150, Issue: null,
            [(DevopsTaskStatus.Open, 190)]),
        new("Cache Hadrian build artefacts between pipelines", "cache-hadrian-artefacts",
            """
            Every pipeline rebuilds stage 1 from scratch. A shared cache of Hadrian's `_build` keyed on the compiler's commit would
            save roughly 20 minutes on each of the five validate jobs.
            """,
            MoneyGoalUsd: 3_000, HoursGoal: 60, CreatedDaysAgo: 350, DueInDays: 30, Issue: 1302,
            [(DevopsTaskStatus.Open, 340), (DevopsTaskStatus.InProgress, 200)]),
        new("Move the i386 nightly to a supported distribution", "i386-nightly-supported-distro",
            """
            `nightly-i386-linux` runs on Debian 10, which is out of support. Move it to Debian 12 and check the 32-bit
            testsuite still passes.
            """,
            MoneyGoalUsd: 1_500, HoursGoal: 24, CreatedDaysAgo: 20, DueInDays: 90, Issue: null,
            []),
        new("Evaluate Buildkite as a second CI backend", "evaluate-buildkite",
            """
            Run the validate jobs on Buildkite for a month and compare cost and queue times with GitLab CI.

            *Cancelled: the self-hosted Windows runners solved the queueing problem this was meant to address.*
            """,
            MoneyGoalUsd: 4_500, HoursGoal: 60, CreatedDaysAgo: 500, DueInDays: null, Issue: 1210,
            [(DevopsTaskStatus.Open, 490), (DevopsTaskStatus.Cancelled, 330)]),
        new("Dashboard for runner health and queue times", "runner-health-dashboard",
            """
            A public page showing, per runner, the jobs it ran, its failure rate and how long jobs waited for it, so a sick runner is
            noticed in hours rather than weeks.
            """,
            MoneyGoalUsd: 2_500, HoursGoal: 40, CreatedDaysAgo: 12, DueInDays: null, Issue: null,
            []),
        new("Reproducible release bindists for all tier-1 platforms", "reproducible-release-bindists",
            """
            Build release binary distributions twice on different runners and compare them bit for bit. Needed before releases can
            be built entirely in CI rather than on a release manager's machine.
            """,
            MoneyGoalUsd: 12_000, HoursGoal: 200, CreatedDaysAgo: 300, DueInDays: 180, Issue: 1288,
            [(DevopsTaskStatus.Open, 290)]),
        new("Upgrade the aarch64-linux runners to Debian 12", "aarch64-runners-debian-12",
            """
            The donated aarch64 runners still run Debian 11. Rebuild their images on Debian 12 with the newer `gcc` and `binutils`
            and re-register them, one at a time so the queue never empties.
            """,
            MoneyGoalUsd: 2_000, HoursGoal: 30, CreatedDaysAgo: 380, DueInDays: null, Issue: 1265,
            [(DevopsTaskStatus.Open, 375), (DevopsTaskStatus.InProgress, 330), (DevopsTaskStatus.Done, 260)]),
    ];

    private FundingTarget _central = null!;
    private readonly List<FundingTarget> _taskTargets = [];

    /// <summary>How a task is written down before it is proposed; dates are days before today.</summary>
    private sealed record TaskSeed(string Title, string Slug, string Description, int MoneyGoalUsd, int HoursGoal, int CreatedDaysAgo,
        int? DueInDays, int? Issue, (DevopsTaskStatus To, int DaysAgo)[] Moves);

    /// <summary>A fund pledges can go to, and the days between which it took them (a done or cancelled task stops taking them).</summary>
    private sealed record FundingTarget(int FundId, string Name, string? Slug, DevopsTaskStatus? Status, DateOnly OpenFrom, DateOnly? ClosedOn, DateOnly? DueDate)
    {
        public bool IsTask => Status is not null;
    }

    private async Task SeedTasksAsync()
    {
        // The central fund is base data every installation has; the demo only books on it.
        var central = await db.Funds.AsNoTracking().SingleAsync(f => f.Kind == FundKind.Central, cancellationToken);
        _central = new FundingTarget(central.Id, central.Name, null, null, HistoryStart.AddDays(-365), null, null);

        var tasks = TaskSeeds.Select(ProposeTask).ToList();
        db.Tasks.AddRange(tasks);
        await SaveAsync();
        foreach (var (task, seed) in tasks.Zip(TaskSeeds))
        {
            var closing = seed.Moves.LastOrDefault(m => m.To is DevopsTaskStatus.Done or DevopsTaskStatus.Cancelled);
            _taskTargets.Add(new FundingTarget(task.Fund!.Id, task.Title, task.Slug, task.Status, DateOnly.FromDateTime(task.CreatedAt),
                closing == default ? null : _today.AddDays(-closing.DaysAgo), task.DueDate));
        }
        db.ChangeTracker.Clear();
    }

    private DevopsTask ProposeTask(TaskSeed seed)
    {
        var task = DevopsTask.Propose(seed.Title, seed.Slug, seed.Description, new Money(seed.MoneyGoalUsd * 100L, "USD"),
            Hours.FromHours(seed.HoursGoal), _reviewer.Id, At(_today.AddDays(-seed.CreatedDaysAgo), 14 * 60));
        task.Describe(seed.Title, seed.Description, seed.DueInDays is { } dueIn ? _today.AddDays(dueIn) : null,
            seed.Issue is { } issue ? $"{IssueTracker}{issue}" : null);
        foreach (var (to, daysAgo) in seed.Moves)
        {
            Must(task.MoveTo(to, _reviewer.Id, At(_today.AddDays(-daysAgo), 15 * 60)));
        }
        return task;
    }

    private FundingTarget TaskTarget(string slug) => _taskTargets.Single(t => t.Slug == slug);
}
