namespace FundingPortal.Web.Features.Demo;

/// <summary>
/// Turns pledge plans into pledges walked through the review rules, then delivers on their due installments the way real
/// sponsors do: mostly on time, sometimes late, in part, or not at all (chased, snoozed, forgiven, or a card that failed).
/// </summary>
internal sealed partial class DemoSeeding
{
    private static readonly string[] FollowUpNotes =
    [
        "Chased by email; their finance team says it goes out next week.",
        "Invoice re-sent to the new accounts payable address.",
        "Sponsor asked to pay this together with the next installment.",
        "Purchase order renewal pending on their side.",
    ];

    private static readonly string[] ForgiveReasons =
    [
        "The sponsor's budget was cut mid-year; waived by the devops group.",
        "Paid twice the previous quarter; counted against this one.",
        "Engineer reassigned to a security release; the group agreed to waive these hours.",
    ];

    private static readonly string[] WorkDone =
    [
        "Bisected a testsuite flake on the aarch64 runners and marked the test fragile.",
        "Reviewed the Windows toolchain bump merge request and fixed the linker flags.",
        "Profiled the Windows build; split the testsuite into two parallel jobs.",
        "Updated the CI runner images to the new bootstrap compiler.",
        "Investigated LLVM job timeouts; cached the LLVM toolchain in the image.",
        "Moved the i386 nightly job definitions to GitLab CI.",
        "Rebuilt the aarch64 runner image on Debian 12 and re-registered two runners.",
        "Triaged failed nightly pipelines and filed issues for the three new failures.",
        "Wrote the Hadrian cache key script and tested it on the merge-request pipeline.",
        "Rotated expiring runner registration tokens and documented the procedure.",
        "Cleaned up stale Docker images on the Linux builders (disk at 95%).",
        "Paired with the release manager on the bindist build scripts.",
    ];

    // The small demo is too small to leave these to chance: the first opportunity always takes them, so every state is on show.
    private bool _rejectedAnEntry;
    private bool _refundedADuplicate;
    private bool _failedACard;

    /// <summary>A pledge with what was delivered on it; payments and entries are created once the pledge has its ids.</summary>
    private sealed class SeededPledge(PledgePlan plan, Pledge pledge)
    {
        public PledgePlan Plan { get; } = plan;

        public Pledge Pledge { get; } = pledge;

        public List<PaymentPlan> Payments { get; } = [];

        public List<TimeLog> TimeLogs { get; } = [];

        public List<DeliveryPlan> Deliveries { get; } = [];
    }

    /// <param name="Installment">Null for a duplicate payment that was refunded, which belongs to no installment.</param>
    private sealed record PaymentPlan(Installment? Installment, Money Amount, DateTime ReceivedAt);

    private sealed record TimeLog(Installment Installment, DateOnly Date, Hours Hours, string Description, ConfirmationStatus Outcome, DateTime ReviewedAt,
        string? RejectionReason = null);

    private sealed record DeliveryPlan(Installment Installment, DateOnly On, string Description, Money Value, bool Confirmed);

    private SeededPledge Realise(PledgePlan plan, Random random)
    {
        var sponsor = plan.Sponsor;
        var pledge = plan.Kind switch
        {
            PledgeKind.Money => Pledge.SubmitMoney(sponsor.Id, plan.Fund.FundId, plan.PerPeriod, plan.Schedule, plan.Method, plan.Timing,
                sponsor.OwnerUserId, plan.SubmittedAt),
            PledgeKind.EngineerTime => Pledge.SubmitEngineerTime(sponsor.Id, plan.Fund.FundId, plan.HoursPerPeriod, plan.Schedule, plan.EngineerName,
                plan.PerPeriod, sponsor.OwnerUserId, plan.SubmittedAt),
            _ => Pledge.SubmitInfrastructure(sponsor.Id, plan.Fund.FundId, plan.Infrastructure!.Value, plan.InfrastructureDescription!, plan.PerPeriod,
                plan.Schedule, sponsor.OwnerUserId, plan.SubmittedAt),
        };
        var seeded = new SeededPledge(plan, pledge);
        switch (plan.Outcome)
        {
            case PledgeStatus.ChangesRequested:
                Must(pledge.RequestChanges(_reviewer.Id, plan.ReviewReason, plan.ReviewedAt));
                break;
            case PledgeStatus.Declined:
                Must(pledge.Decline(_reviewer.Id, plan.ReviewReason, plan.ReviewedAt));
                break;
            case PledgeStatus.Active or PledgeStatus.Cancelled when plan.AcceptedFirst:
                if (plan.ResubmittedFirst)
                {
                    Must(pledge.RequestChanges(_reviewer.Id, Pick(random, ChangeRequests), plan.SubmittedAt.AddHours(6)));
                    Must(pledge.Resubmit(pledge, plan.SubmittedAt.AddHours(30)));
                }
                Must(pledge.Accept(_reviewer.Id, plan.ReviewReason, plan.ReviewedAt));
                // The follow-up job has kept open-ended pledges scheduled a year ahead all along.
                pledge.ExtendOpenEnded(_today);
                if (plan is { Method: PaymentMethod.Card, Kind: PledgeKind.Money } && plan.Schedule.Frequency != PledgeFrequency.OneOff)
                {
                    pledge.LinkSubscription($"sub_demo_{NextReference():x6}{Hex(random, 6)}");
                }
                Fulfil(seeded, random, plan.CancelledOn ?? _today);
                if (plan.CancelledOn is { } stoppedOn)
                {
                    Must(pledge.Cancel(sponsor.OwnerUserId, "Our budget for this changed.", stoppedOn, NotAfterNow(During(random, stoppedOn))));
                }
                break;
            case PledgeStatus.Cancelled:
                // Withdrawn by the sponsor before anyone reviewed it.
                Must(pledge.Cancel(sponsor.OwnerUserId, "Withdrawn before review.", plan.CancelledOn ?? _today, NotAfterNow(During(random, plan.CancelledOn ?? _today))));
                break;
        }
        return seeded;
    }

    private void Fulfil(SeededPledge seeded, Random random, DateOnly until)
    {
        foreach (var installment in seeded.Pledge.Installments.Where(i => i.PeriodStart <= until && i.PeriodStart <= _today))
        {
            switch (seeded.Plan.Kind)
            {
                case PledgeKind.Money:
                    Pay(seeded, installment, random);
                    break;
                case PledgeKind.EngineerTime:
                    LogHours(seeded, installment, random, until);
                    break;
                default:
                    Deliver(seeded, installment, random, until);
                    break;
            }
        }
    }

    private void Pay(SeededPledge seeded, Installment installment, Random random)
    {
        var reliability = seeded.Plan.Sponsor.Reliability;
        var roll = random.NextDouble();
        var daysLate = random.Next(0, 8) + (roll > reliability * 0.9 ? random.Next(5, 45) : 0);
        var receivedAt = During(random, installment.DueDate.AddDays(daysLate), 7, 18);
        if (receivedAt > now || roll >= reliability)
        {
            FollowUp(installment, random, seeded.Plan.Method == PaymentMethod.Card);
            return;
        }
        var currency = installment.Currency;
        if (roll >= reliability * 0.92)
        {
            var part = installment.AmountDueMinor * random.Next(40, 91) / 100;
            Receive(seeded, installment, new Money(part, currency), receivedAt);
            if (Chance(random, 0.5))
            {
                Must(installment.Snooze(_today.AddDays(random.Next(5, 30)), "Rest promised with the next payment.", _today));
            }
            return;
        }
        // Now and then a sponsor pays in two transfers.
        var secondAt = receivedAt.AddDays(random.Next(10, 30));
        if (Chance(random, 0.04) && secondAt <= now)
        {
            var first = installment.AmountDueMinor * 6 / 10;
            Receive(seeded, installment, new Money(first, currency), receivedAt);
            Receive(seeded, installment, new Money(installment.AmountDueMinor - first, currency), secondAt);
        }
        else
        {
            Receive(seeded, installment, new Money(installment.AmountDueMinor, currency), receivedAt);
        }
        // A card charged twice: the second charge is refunded, so the ledger shows both the money and its return.
        if (seeded.Plan.Method == PaymentMethod.Card && (!_refundedADuplicate || Chance(random, 0.005)) && receivedAt.AddDays(3) < now)
        {
            _refundedADuplicate = true;
            seeded.Payments.Add(new PaymentPlan(null, new Money(installment.AmountDueMinor, currency), receivedAt.AddMinutes(2)));
        }
    }

    private static void Receive(SeededPledge seeded, Installment installment, Money amount, DateTime at)
    {
        Must(installment.RecordReceived(amount));
        seeded.Payments.Add(new PaymentPlan(installment, amount, at));
    }

    /// <summary>What happens to an installment nobody delivered on: it stays overdue, or is chased, forgiven, or failed at the card.</summary>
    private void FollowUp(Installment installment, Random random, bool byCard)
    {
        var daysOverdue = _today.DayNumber - installment.DueDate.DayNumber;
        if (daysOverdue < 3)
        {
            return;
        }
        if (daysOverdue > 200 && Chance(random, 0.35))
        {
            Must(installment.Forgive(Pick(random, ForgiveReasons), _reviewer.Id, _today, now));
        }
        else if (byCard && (!_failedACard || Chance(random, 0.4)))
        {
            _failedACard = true;
            installment.MarkFailed();
        }
        else if (daysOverdue > 7 && Chance(random, 0.45))
        {
            Must(installment.Snooze(_today.AddDays(random.Next(5, 30)), Pick(random, FollowUpNotes), _today));
        }
    }

    /// <summary>
    /// Hours are logged across the installment's period; a period still running has only its share so far. Entries from the last
    /// ten days wait for a reviewer.
    /// </summary>
    private void LogHours(SeededPledge seeded, Installment installment, Random random, DateOnly until)
    {
        // A one-off block of hours is worked off over about three months.
        var frequency = seeded.Plan.Schedule.Frequency;
        var months = frequency == PledgeFrequency.OneOff ? 3 : PledgeSchedule.MonthsPerPeriod(frequency);
        var periodStart = installment.PeriodStart;
        var periodEnd = frequency == PledgeFrequency.OneOff ? periodStart.AddMonths(months) : installment.PeriodEnd.AddDays(1);
        var windowEnd = Min(Min(periodEnd, until), _today);
        var elapsed = windowEnd.DayNumber - periodStart.DayNumber;
        // A pledge stopped mid-period cancels that period's installment, so nothing is logged against it.
        if (elapsed <= 0 || (seeded.Plan.CancelledOn is { } stopped && installment.DueDate > stopped))
        {
            return;
        }
        var reliability = seeded.Plan.Sponsor.Reliability;
        var roll = random.NextDouble();
        var delivered = roll < reliability * 0.85 ? 1m : roll < reliability ? random.Next(30, 91) / 100m : 0m;
        var share = (decimal)elapsed / (periodEnd.DayNumber - periodStart.DayNumber);
        var remaining = (long)(installment.HoursDueMinutes * share * delivered) / 30 * 30;
        long confirmed = 0;
        while (remaining >= 30)
        {
            var minutes = Math.Min(remaining, 30 * random.Next(2, 17));
            remaining -= minutes;
            var date = DayBetween(random, periodStart, Min(Min(windowEnd, periodEnd.AddDays(-1)), _today.AddDays(-1)));
            var reviewedAt = NotAfterNow(During(random, date.AddDays(random.Next(2, 9))));
            var waiting = date > _today.AddDays(-10);
            seeded.TimeLogs.Add(new TimeLog(installment, date, new Hours(minutes), Pick(random, WorkDone),
                waiting ? ConfirmationStatus.Submitted : ConfirmationStatus.Confirmed, reviewedAt));
            confirmed += waiting ? 0 : minutes;
            // Rarely an entry is refused; it comes on top of the real work, so it does not eat into the pledged hours.
            if (!waiting && (!_rejectedAnEntry || Chance(random, 0.01)))
            {
                _rejectedAnEntry = true;
                seeded.TimeLogs.Add(new TimeLog(installment, date, new Hours(minutes), "Conference talk preparation",
                    ConfirmationStatus.Rejected, reviewedAt, "A conference talk is not devops work on the pledged task."));
            }
        }
        // Confirmed entries count against the installment when they are saved (see AddTimeEntries).
        if (confirmed == 0 && delivered == 0)
        {
            FollowUp(installment, random, byCard: false);
        }
    }

    /// <summary>
    /// Infrastructure is delivered per period and confirmed by a reviewer; a confirmed delivery counts its stated value against
    /// the installment, which is how an in-kind installment is fulfilled.
    /// </summary>
    private void Deliver(SeededPledge seeded, Installment installment, Random random, DateOnly until)
    {
        if (Chance(random, (1 - seeded.Plan.Sponsor.Reliability) * 0.5))
        {
            FollowUp(installment, random, byCard: false);
            return;
        }
        var on = installment.PeriodStart.AddDays(random.Next(0, 5));
        if (on > until || on > _today || (seeded.Plan.CancelledOn is { } stopped && installment.DueDate > stopped))
        {
            return;
        }
        // Reviewers confirm deliveries in batches, so the latest ones often still wait.
        var confirmed = on < _today.AddDays(-10) && !(on > _today.AddDays(-40) && Chance(random, 0.3));
        var description = $"{installment.DueDate.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}: {seeded.Plan.InfrastructureDescription}";
        seeded.Deliveries.Add(new DeliveryPlan(installment, on, description, new Money(installment.AmountDueMinor, installment.Currency), confirmed));
    }
}
