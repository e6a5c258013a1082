namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// Pledges of all three kinds and every frequency. A handful tell the demo's stories; the rest are drawn at random, the first
/// fifteen of them cycling through every kind and every status the rules can reach.
/// </summary>
internal sealed partial class DemoSeeding
{
    // Paused, Fulfilled, PartiallyFulfilled and Lapsed are missing: Pledge has no transition that reaches them yet.
    private static readonly PledgeStatus[] ReachableOutcomes =
        [PledgeStatus.Submitted, PledgeStatus.ChangesRequested, PledgeStatus.Declined, PledgeStatus.Active, PledgeStatus.Cancelled];

    private static readonly PledgeKind[] Kinds = [PledgeKind.Money, PledgeKind.EngineerTime, PledgeKind.Infrastructure];

    private static readonly PledgeFrequency[] Frequencies =
        [PledgeFrequency.OneOff, PledgeFrequency.Monthly, PledgeFrequency.Quarterly, PledgeFrequency.Yearly];

    private static readonly string[] AcceptReasons =
    [
        "Thank you — accepted.",
        "Accepted; invoices go to the billing email on file.",
        "Accepted. Welcome aboard!",
        "Accepted; a reviewer confirms the delivered hours every month.",
        "Accepted, with thanks from the devops group.",
    ];

    private static readonly string[] DeclineReasons =
    [
        "The task is already fully funded; would you consider the central fund instead?",
        "We cannot accept pledges that come with a logo placement in the release notes.",
        "The amount was entered in the wrong currency; please submit it again.",
        "Duplicate of a pledge you already made.",
    ];

    private static readonly string[] ChangeRequests =
    [
        "Please split this into quarterly installments so it matches your invoicing.",
        "Could you name the engineer who will do the work?",
        "Please confirm the billing email: our invoices to it bounce.",
        "The start date is before the task was opened; please move it.",
    ];

    private static readonly string[] EngineerNames =
    [
        "Mira Okafor", "Jonas Lindqvist", "Keiko Tanaka", "Pavel Novak", "Farah Haddad", "Bruno Ferreira", "Ilse Schulz", "Nikhil Rahman",
        "Oona Whitfield", "Tomasz Kowalski", "Wen Zhou", "Rosa Quispe",
    ];

    private static readonly string[] RunnerKinds = ["Windows", "aarch64-linux", "macOS (Apple silicon)", "x86_64-linux"];

    /// <summary>What a pledge should look like and where it should end up, decided before any entity exists.</summary>
    /// <param name="PerPeriod">Money per period, stated value per period (infrastructure), or the hourly valuation (engineer time).</param>
    /// <param name="CancelledOn">For a cancelled pledge, the day it was stopped.</param>
    private sealed record PledgePlan(Sponsor Sponsor, FundingTarget Fund, PledgeKind Kind, PledgeStatus Outcome, PledgeSchedule Schedule,
        Money PerPeriod, DateTime SubmittedAt, DateTime ReviewedAt, string ReviewReason)
    {
        public Hours HoursPerPeriod { get; init; }

        public PaymentMethod Method { get; init; } = PaymentMethod.Invoice;

        public PaymentTiming Timing { get; init; } = PaymentTiming.Now;

        public string? EngineerName { get; init; }

        public InfrastructureKind? Infrastructure { get; init; }

        public string? InfrastructureDescription { get; init; }

        public DateOnly? CancelledOn { get; init; }

        /// <summary>False for a pledge withdrawn before anyone reviewed it.</summary>
        public bool AcceptedFirst { get; init; } = true;

        /// <summary>Went through "changes requested" and was resubmitted before it was accepted.</summary>
        public bool ResubmittedFirst { get; init; }

        /// <summary>CircleCI credits per period, for the pledge that fills the demo's credit pool.</summary>
        public long? CircleCiCreditsPerPeriod { get; init; }
    }

    private async Task SeedPledgesAsync()
    {
        var planning = new Random(Seed + 20);
        var fulfilment = new Random(Seed + 21);
        var stories = StoryPledges();
        var plans = stories.Concat(Enumerable.Range(0, Math.Max(0, size.Pledges - stories.Count)).Select(i => RandomPledge(planning, i)));
        foreach (var chunk in plans.Chunk(size.PledgesPerSave))
        {
            await SaveFulfilledAsync([.. chunk.Select(plan => Realise(plan, fulfilment))], fulfilment);
        }
    }

    /// <summary>The pledges the demo's pages are written around; the same at every scale.</summary>
    private List<PledgePlan> StoryPledges()
    {
        var thisMonth = new DateOnly(_today.Year, _today.Month, 1);
        PledgePlan Accepted(int sponsor, FundingTarget fund, PledgeKind kind, PledgeSchedule schedule, Money perPeriod, string reason)
        {
            var submitted = At(schedule.Start.AddDays(-12), 10 * 60);
            return new PledgePlan(_sponsors[sponsor], fund, kind, PledgeStatus.Active, schedule, perPeriod, submitted, submitted.AddDays(3).AddHours(5), reason);
        }
        static PledgeSchedule Every(PledgeFrequency frequency, DateOnly start, int? periods) => Must(PledgeSchedule.Create(frequency, start, null, periods));

        var windowsRunnersStart = thisMonth.AddMonths(-16);
        return
        [
            Accepted(0, _central, PledgeKind.Money, Every(PledgeFrequency.Monthly, thisMonth.AddMonths(-23), 36), new Money(2_500_00, "USD"),
                "Thank you! Recurring support for the central fund.") with { Method = PaymentMethod.Card },
            Accepted(1, TaskTarget("windows-build-under-90-minutes"), PledgeKind.EngineerTime, Every(PledgeFrequency.Monthly, thisMonth.AddMonths(-13), 18),
                new Money(140_00, "USD"), "Accepted; Mira already knows the Windows toolchain.") with
            {
                HoursPerPeriod = Hours.FromHours(20), EngineerName = "Mira Okafor",
            },
            Accepted(5, _central, PledgeKind.Infrastructure, Every(PledgeFrequency.Monthly, thisMonth.AddMonths(-22), 20), new Money(240_00, "USD"),
                "Accepted: the credits go into the CircleCI credit pool.") with
            {
                Infrastructure = InfrastructureKind.CiCredits, InfrastructureDescription = "400,000 CircleCI credits a month", CircleCiCreditsPerPeriod = 400_000,
            },
            // The donor who later withdrew its Windows runners overnight.
            Accepted(3, TaskTarget("two-more-windows-runners"), PledgeKind.Infrastructure, Every(PledgeFrequency.Monthly, windowsRunnersStart, 12),
                new Money(1_500_00, "USD"), "Accepted: five runners registered as x86_64-windows.") with
            {
                Outcome = PledgeStatus.Cancelled, CancelledOn = windowsRunnersStart.AddMonths(9).AddDays(3),
                Infrastructure = InfrastructureKind.RunnerCapacity, InfrastructureDescription = "5 Windows runners for 12 months",
            },
            Accepted(2, TaskTarget("stop-llvm-jobs-timing-out"), PledgeKind.Money, Every(PledgeFrequency.Quarterly, thisMonth.AddMonths(-15), 8),
                new Money(4_500_00, "EUR"), "Accepted; quarterly invoices in euros.") with { Method = PaymentMethod.Invoice },
            Accepted(8, _central, PledgeKind.Money, Every(PledgeFrequency.Yearly, thisMonth.AddMonths(-21).AddDays(14), 3),
                new Money(3_000_000, "JPY"), "Accepted with thanks; paid by bank transfer each April.") with { Method = PaymentMethod.BankTransfer },
            Accepted(4, TaskTarget("two-more-windows-runners"), PledgeKind.Money, PledgeSchedule.OneOff(_today.AddDays(-500)),
                new Money(6_000_00, "GBP"), "Accepted towards the two machines.") with { Method = PaymentMethod.BankTransfer },
            // Paid by card once the task is done, so it shows as committed but not yet received.
            Accepted(9, TaskTarget("reproducible-release-bindists"), PledgeKind.Money,
                PledgeSchedule.OneOff(TaskTarget("reproducible-release-bindists").DueDate ?? _today.AddDays(180)), new Money(10_000_00, "USD"),
                "Accepted; payable when the task is done.") with
            {
                Method = PaymentMethod.Card, Timing = PaymentTiming.OnCompletion, SubmittedAt = now.AddDays(-40), ReviewedAt = now.AddDays(-37),
            },
            Accepted(10, _central, PledgeKind.Money, Every(PledgeFrequency.Monthly, thisMonth.AddMonths(-10), null), new Money(400_00, "GBP"),
                "Accepted; monthly invoices.") with { Method = PaymentMethod.Invoice },
            Accepted(7, TaskTarget("quarantine-flaky-aarch64-tests"), PledgeKind.EngineerTime, PledgeSchedule.OneOff(_today.AddDays(-120)),
                new Money(120_00, "EUR"), "Accepted: an 80-hour block for the flaky-test work.") with
            {
                HoursPerPeriod = Hours.FromHours(80), EngineerName = "Jonas Lindqvist",
            },
            new PledgePlan(_sponsors[11], TaskTarget("runner-health-dashboard"), PledgeKind.Money, PledgeStatus.Submitted,
                Every(PledgeFrequency.Monthly, thisMonth.AddMonths(1), 12), new Money(300_00, "EUR"), now.AddDays(-3), now.AddDays(-3), ""),
            new PledgePlan(_sponsors[6], _central, PledgeKind.Money, PledgeStatus.ChangesRequested,
                Every(PledgeFrequency.Yearly, thisMonth.AddMonths(1), 2), new Money(25_000_00, "USD"), now.AddDays(-9), now.AddDays(-7),
                "Please confirm the billing email: our invoices to it bounce.") with { Method = PaymentMethod.Invoice },
            Accepted(5, _central, PledgeKind.Infrastructure, Every(PledgeFrequency.Monthly, thisMonth.AddMonths(-23), 36), new Money(1_200_00, "USD"),
                "Accepted: these pay for the four donated aarch64 runners.") with
            {
                Infrastructure = InfrastructureKind.CloudCredits, InfrastructureDescription = "$1,200 of cloud credits a month for the aarch64 runners",
            },
            Accepted(1, TaskTarget("evaluate-buildkite"), PledgeKind.Money, Every(PledgeFrequency.Monthly, _today.AddDays(-480), 12), new Money(1_000_00, "USD"),
                "Accepted.") with { Method = PaymentMethod.Card, Outcome = PledgeStatus.Cancelled, CancelledOn = TaskTarget("evaluate-buildkite").ClosedOn },
            new PledgePlan(_sponsors[0], TaskTarget("migrate-nightlies-from-circleci"), PledgeKind.Money, PledgeStatus.Declined,
                PledgeSchedule.OneOff(_today.AddDays(-190)), new Money(50_000_00, "USD"), now.AddDays(-200), now.AddDays(-197),
                "The task is already fully funded; we would gladly take this for the Windows build instead.") with { Method = PaymentMethod.Invoice },
        ];
    }

    private PledgePlan RandomPledge(Random random, int index)
    {
        var kind = index < 15 ? Kinds[index % Kinds.Length] : Weighted(random, (PledgeKind.Money, 65), (PledgeKind.EngineerTime, 20), (PledgeKind.Infrastructure, 15));
        var outcome = index < 15
            ? ReachableOutcomes[index / Kinds.Length]
            : Weighted(random, (PledgeStatus.Active, 70), (PledgeStatus.Cancelled, 9), (PledgeStatus.Declined, 8), (PledgeStatus.Submitted, 8),
                (PledgeStatus.ChangesRequested, 5));
        var frequency = index < 16 ? Frequencies[index % Frequencies.Length] : kind switch
        {
            PledgeKind.Money => Weighted(random, (PledgeFrequency.Monthly, 55), (PledgeFrequency.Quarterly, 20), (PledgeFrequency.Yearly, 8), (PledgeFrequency.OneOff, 17)),
            PledgeKind.EngineerTime => Weighted(random, (PledgeFrequency.Monthly, 55), (PledgeFrequency.Quarterly, 20), (PledgeFrequency.Yearly, 5), (PledgeFrequency.OneOff, 20)),
            _ => Weighted(random, (PledgeFrequency.Monthly, 70), (PledgeFrequency.Quarterly, 10), (PledgeFrequency.Yearly, 10), (PledgeFrequency.OneOff, 10)),
        };
        // A few sponsors give most of the money, as in real life, so concentration figures have something to show.
        var sponsor = _sponsors[(int)(Math.Pow(random.NextDouble(), 1.6) * _sponsors.Count)];
        var fund = ChooseFund(random, outcome, sponsor);
        var currency = Chance(random, 0.8) ? sponsor.Currency : "USD";
        var (start, submitted, reviewed, cancelledOn) = PledgeDates(random, outcome, fund, sponsor);
        var plan = new PledgePlan(sponsor, fund, kind, outcome, Schedule(random, frequency, start), Money.Zero(currency), submitted, reviewed, outcome switch
        {
            PledgeStatus.Declined => Pick(random, DeclineReasons),
            PledgeStatus.ChangesRequested => Pick(random, ChangeRequests),
            PledgeStatus.Submitted => "",
            _ => Pick(random, AcceptReasons),
        })
        {
            CancelledOn = cancelledOn,
            AcceptedFirst = outcome != PledgeStatus.Cancelled || Chance(random, 0.8),
            ResubmittedFirst = outcome == PledgeStatus.Active && (reviewed - submitted).TotalDays >= 3 && Chance(random, 0.1),
        };
        return kind switch
        {
            PledgeKind.Money => MoneyTerms(random, plan),
            PledgeKind.EngineerTime => EngineerTerms(random, plan),
            _ => InfrastructureTerms(random, plan),
        };
    }

    private PledgePlan MoneyTerms(Random random, PledgePlan plan)
    {
        var usd = plan.Schedule.Frequency switch
        {
            PledgeFrequency.Monthly => Between(random, 250, 5_000, 50),
            PledgeFrequency.Quarterly => Between(random, 1_500, 15_000, 250),
            PledgeFrequency.Yearly => Between(random, 5_000, 60_000, 1_000),
            _ => Between(random, 2_000, 40_000, 500),
        };
        var method = Weighted(random, (PaymentMethod.Card, 35), (PaymentMethod.Invoice, 35), (PaymentMethod.BankTransfer, 30));
        // "Pay when it is done" only makes sense for a one-off pledge to a task; its one installment falls due on completion.
        if (plan is { Outcome: PledgeStatus.Active, Fund.IsTask: true, Schedule.Frequency: PledgeFrequency.OneOff } && Chance(random, 0.25))
        {
            var due = plan.Fund.Status == DevopsTaskStatus.Done ? plan.Fund.ClosedOn!.Value : plan.Fund.DueDate ?? _today.AddDays(90);
            return plan with
            {
                PerPeriod = FromUsd(usd, plan.PerPeriod.Currency),
                Method = method,
                Timing = PaymentTiming.OnCompletion,
                Schedule = PledgeSchedule.OneOff(due),
                SubmittedAt = Min(plan.SubmittedAt, At(due, 9 * 60)),
                ReviewedAt = Min(plan.ReviewedAt, At(due, 12 * 60)),
            };
        }
        return plan with { PerPeriod = FromUsd(usd, plan.PerPeriod.Currency), Method = method };
    }

    private static PledgePlan EngineerTerms(Random random, PledgePlan plan)
    {
        var hours = plan.Schedule.Frequency switch
        {
            PledgeFrequency.Monthly => Between(random, 8, 40, 4),
            PledgeFrequency.Quarterly => Between(random, 24, 120, 8),
            PledgeFrequency.Yearly => Between(random, 120, 400, 20),
            _ => Between(random, 20, 160, 10),
        };
        return plan with
        {
            HoursPerPeriod = Hours.FromHours(hours),
            PerPeriod = FromUsd(Between(random, 90, 180, 10), plan.PerPeriod.Currency, step: 5),
            EngineerName = Chance(random, 0.85) ? Pick(random, EngineerNames) : null,
        };
    }

    private static PledgePlan InfrastructureTerms(Random random, PledgePlan plan)
    {
        var schedule = plan.Schedule;
        var months = Math.Max(1, PledgeSchedule.MonthsPerPeriod(schedule.Frequency));
        var per = schedule.Frequency switch
        {
            PledgeFrequency.Monthly => "a month",
            PledgeFrequency.Quarterly => "a quarter",
            PledgeFrequency.Yearly => "a year",
            _ => "once",
        };
        var kind = Weighted(random, (InfrastructureKind.CiCredits, 40), (InfrastructureKind.CloudCredits, 30), (InfrastructureKind.RunnerCapacity, 30));
        var credits = Between(random, 100_000, 500_000, 50_000) * months;
        var runners = random.Next(1, 7);
        var usd = kind switch
        {
            InfrastructureKind.CiCredits => credits * 0.0006m,
            InfrastructureKind.CloudCredits => Between(random, 500, 3_000, 100) * months,
            _ => runners * 300m * months,
        };
        var value = FromUsd(usd, plan.PerPeriod.Currency);
        var description = kind switch
        {
            InfrastructureKind.CiCredits => string.Create(CultureInfo.InvariantCulture, $"{credits:N0} CircleCI credits {per}"),
            InfrastructureKind.CloudCredits => $"{value} of cloud credits {per} for CI builders",
            _ => $"{runners} {Pick(random, RunnerKinds)} {(runners == 1 ? "runner" : "runners")} {RunnerDuration(schedule, months)}",
        };
        return plan with { Infrastructure = kind, InfrastructureDescription = description, PerPeriod = value };
    }

    private static string RunnerDuration(PledgeSchedule schedule, int monthsPerPeriod) => schedule switch
    {
        { Frequency: PledgeFrequency.OneOff } => "for one month",
        { Periods: { } periods } => string.Create(CultureInfo.InvariantCulture, $"for {periods * monthsPerPeriod} months"),
        { End: { } end } => $"until {end.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}",
        _ => "until further notice",
    };

    /// <summary>The central fund, or a task that was taking pledges when this one would have been made.</summary>
    private FundingTarget ChooseFund(Random random, PledgeStatus outcome, Sponsor sponsor)
    {
        var tasks = _taskTargets.Where(t => outcome switch
        {
            PledgeStatus.Submitted or PledgeStatus.ChangesRequested => t.Status is DevopsTaskStatus.Proposed or DevopsTaskStatus.Open or DevopsTaskStatus.InProgress,
            PledgeStatus.Declined or PledgeStatus.Cancelled => t.Status != DevopsTaskStatus.Proposed,
            _ => t.Status is DevopsTaskStatus.Open or DevopsTaskStatus.InProgress or DevopsTaskStatus.Done,
        } && (t.ClosedOn ?? _today) > sponsor.JoinedOn.AddDays(30)).ToList();
        return tasks.Count == 0 || Chance(random, 0.4) ? _central : Pick(random, tasks);
    }

    /// <summary>When a pledge starts, was submitted and reviewed (and for a cancelled one, stopped), fitting its fund and sponsor.</summary>
    private (DateOnly Start, DateTime Submitted, DateTime Reviewed, DateOnly? CancelledOn) PledgeDates(Random random, PledgeStatus outcome,
        FundingTarget fund, Sponsor sponsor)
    {
        var earliest = new[] { HistoryStart, fund.OpenFrom.AddDays(5), sponsor.JoinedOn.AddDays(5) }.Max();
        var latest = Min(_today.AddDays(30), fund.ClosedOn ?? _today.AddDays(30));
        switch (outcome)
        {
            case PledgeStatus.Submitted:
                var submitted = NotAfterNow(now.AddMinutes(-random.Next(30, 14 * 24 * 60)));
                return (_today.AddDays(random.Next(1, 41)), submitted, submitted, null);
            case PledgeStatus.ChangesRequested:
                var asked = now.AddMinutes(-random.Next(5 * 24 * 60, 40 * 24 * 60));
                return (DateOnly.FromDateTime(asked).AddDays(random.Next(14, 61)), asked, asked.AddHours(random.Next(20, 96)), null);
            case PledgeStatus.Cancelled:
                var start = EarlyDayBetween(random, earliest, Min(latest, _today.AddDays(-60)));
                var stopped = fund.Status == DevopsTaskStatus.Cancelled
                    ? fund.ClosedOn!.Value
                    : Min(DayBetween(random, start.AddDays(20), Min(fund.ClosedOn ?? _today, _today)), _today);
                var (cancelledSubmitted, cancelledReviewed) = Review(random, start);
                return (start, cancelledSubmitted, cancelledReviewed, Max(stopped, start));
            default:
                var begins = EarlyDayBetween(random, earliest, latest);
                var (planSubmitted, planReviewed) = Review(random, begins);
                return (begins, planSubmitted, planReviewed, null);
        }
    }

    /// <summary>A start day leaning towards the early end: recurring pledges that are still running mostly began long ago.</summary>
    private static DateOnly EarlyDayBetween(Random random, DateOnly from, DateOnly to) =>
        to <= from ? from : from.AddDays((int)(Math.Pow(random.NextDouble(), 1.6) * (to.DayNumber - from.DayNumber)));

    private (DateTime Submitted, DateTime Reviewed) Review(Random random, DateOnly start)
    {
        var submitted = Min(During(random, start.AddDays(-random.Next(5, 26))), now.AddDays(-2));
        var reviewed = NotAfterNow(submitted.AddHours(random.Next(20, 6 * 24)));
        return (submitted, reviewed);
    }

    private static PledgeSchedule Schedule(Random random, PledgeFrequency frequency, DateOnly start)
    {
        var (periods, endAfterMonths) = frequency switch
        {
            PledgeFrequency.Monthly => Weighted<(int?, int?)>(random, ((6, null), 10), ((12, null), 25), ((24, null), 25), ((36, null), 15), ((null, null), 15), ((null, 18), 10)),
            PledgeFrequency.Quarterly => Weighted<(int?, int?)>(random, ((4, null), 40), ((8, null), 30), ((null, null), 30)),
            PledgeFrequency.Yearly => Weighted<(int?, int?)>(random, ((2, null), 40), ((3, null), 40), ((null, null), 20)),
            _ => (1, null),
        };
        return Must(PledgeSchedule.Create(frequency, start, endAfterMonths is { } months ? start.AddMonths(months) : null, periods));
    }

    private static DateOnly Min(DateOnly left, DateOnly right) => left < right ? left : right;

    private static DateOnly Max(DateOnly left, DateOnly right) => left > right ? left : right;

    private static DateTime Min(DateTime left, DateTime right) => left < right ? left : right;
}
