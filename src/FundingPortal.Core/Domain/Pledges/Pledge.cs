namespace FundingPortal.Core.Domain;

/// <summary>
/// An organisation's commitment of money, engineer time or infrastructure to a fund (the central fund or a task's).
/// Amounts are per period; the schedule of <see cref="Installment"/>s says what is due when.
/// </summary>
public class Pledge : IVersioned
{
    private readonly List<Installment> _installments = [];

    private Pledge()
    {
    }

    public int Id { get; private set; }

    public int OrganisationId { get; private set; }

    public Organisation? Organisation { get; private set; }

    public int FundId { get; private set; }

    public Fund? Fund { get; private set; }

    public PledgeKind Kind { get; private set; }

    public PledgeStatus Status { get; private set; }

    public PledgeFrequency Frequency { get; private set; }

    public DateOnly StartDate { get; private set; }

    public DateOnly? EndDate { get; private set; }

    public int? PeriodCount { get; private set; }

    /// <summary>Money per period (money pledges) or stated value per period (infrastructure); zero for engineer time.</summary>
    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "USD";

    public PaymentMethod? PaymentMethod { get; private set; }

    public PaymentTiming? PaymentTiming { get; private set; }

    public long HoursPerPeriodMinutes { get; private set; }

    public string? EngineerName { get; private set; }

    /// <summary>In-kind value of one hour of engineer time, in minor units of <see cref="Currency"/>.</summary>
    public long HourlyValuationMinor { get; private set; }

    public InfrastructureKind? InfrastructureKind { get; private set; }

    public string? InfrastructureDescription { get; private set; }

    public string? ReviewReason { get; private set; }

    public string SubmittedByUserId { get; private set; } = "";

    public DateTime SubmittedAt { get; private set; }

    public string? ReviewedByUserId { get; private set; }

    public DateTime? ReviewedAt { get; private set; }

    public string? StripeSubscriptionId { get; private set; }

    /// <summary>Counts the Stripe Checkout sessions started for this pledge; part of the idempotency key of the next one.</summary>
    public int CheckoutAttempt { get; private set; }

    public DateTime? CheckoutStartedAt { get; private set; }

    /// <summary>The Checkout session the sponsor was last sent to; the success page reads its status, nothing more.</summary>
    public string? LastCheckoutSessionId { get; private set; }

    /// <summary>When the task this pay-on-completion pledge funds was done and the sponsor was asked to pay.</summary>
    public DateTime? PaymentRequestedAt { get; private set; }

    public DateTime? PausedAt { get; private set; }

    public string? CancelledByUserId { get; private set; }

    public DateTime? CancelledAt { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>When the pledge last reached an end state (fulfilled, partially fulfilled, lapsed).</summary>
    public DateTime? SettledAt { get; private set; }

    public int Version { get; set; }

    /// <summary>The statuses of a pledge that was accepted and not cancelled: its installments count as pledged.</summary>
    public static readonly PledgeStatus[] AcceptedStatuses =
        [PledgeStatus.Active, PledgeStatus.Paused, PledgeStatus.Fulfilled, PledgeStatus.PartiallyFulfilled, PledgeStatus.Lapsed];

    public IReadOnlyList<Installment> Installments => _installments;

    public Money Amount => new(AmountMinor, Currency);

    public Hours HoursPerPeriod => new(HoursPerPeriodMinutes);

    public PledgeSchedule Schedule => new(Frequency, StartDate, EndDate, PeriodCount);

    public bool IsRecurring => Frequency != PledgeFrequency.OneOff;

    /// <summary>Still running: its installments can be delivered against and followed up.</summary>
    public bool IsLive => Status is PledgeStatus.Active or PledgeStatus.Paused;

    public static Pledge SubmitMoney(int organisationId, int fundId, Money perPeriod, PledgeSchedule schedule, PaymentMethod method, PaymentTiming timing, string userId, DateTime now)
    {
        var pledge = New(organisationId, fundId, PledgeKind.Money, schedule, userId, now);
        pledge.AmountMinor = perPeriod.MinorUnits;
        pledge.Currency = perPeriod.Currency;
        pledge.PaymentMethod = method;
        pledge.PaymentTiming = timing;
        return pledge;
    }

    public static Pledge SubmitEngineerTime(int organisationId, int fundId, Hours perPeriod, PledgeSchedule schedule, string? engineerName, Money hourlyValuation, string userId, DateTime now)
    {
        var pledge = New(organisationId, fundId, PledgeKind.EngineerTime, schedule, userId, now);
        pledge.HoursPerPeriodMinutes = perPeriod.Minutes;
        pledge.EngineerName = engineerName;
        pledge.HourlyValuationMinor = hourlyValuation.MinorUnits;
        pledge.Currency = hourlyValuation.Currency;
        return pledge;
    }

    public static Pledge SubmitInfrastructure(int organisationId, int fundId, InfrastructureKind kind, string description, Money valuePerPeriod, PledgeSchedule schedule, string userId, DateTime now)
    {
        var pledge = New(organisationId, fundId, PledgeKind.Infrastructure, schedule, userId, now);
        pledge.InfrastructureKind = kind;
        pledge.InfrastructureDescription = description;
        pledge.AmountMinor = valuePerPeriod.MinorUnits;
        pledge.Currency = valuePerPeriod.Currency;
        return pledge;
    }

    public Result<Pledge> Accept(string reviewerId, string reason, DateTime now)
    {
        if (Status != PledgeStatus.Submitted)
        {
            return Result<Pledge>.Conflict($"Only a submitted pledge can be accepted; this one is {Status}.");
        }
        Review(PledgeStatus.Active, reviewerId, reason, now);
        AddInstallments(Schedule.PeriodsFrom(0));
        return Result<Pledge>.Ok(this);
    }

    public Result<Pledge> Decline(string reviewerId, string reason, DateTime now) =>
        Status == PledgeStatus.Submitted
            ? Ok(() => Review(PledgeStatus.Declined, reviewerId, reason, now))
            : Result<Pledge>.Conflict($"Only a submitted pledge can be declined; this one is {Status}.");

    public Result<Pledge> RequestChanges(string reviewerId, string reason, DateTime now) =>
        Status == PledgeStatus.Submitted
            ? Ok(() => Review(PledgeStatus.ChangesRequested, reviewerId, reason, now))
            : Result<Pledge>.Conflict($"Changes can only be requested on a submitted pledge; this one is {Status}.");

    /// <summary>
    /// The sponsor's amendment, before a decision or in answer to a request for changes: the terms of <paramref name="amended"/> (a
    /// pledge built but never saved) replace these and the pledge waits for review again. Once accepted, terms no longer change.
    /// </summary>
    public Result<Pledge> Resubmit(Pledge amended, DateTime now)
    {
        if (Status is not (PledgeStatus.Submitted or PledgeStatus.ChangesRequested))
        {
            return Result<Pledge>.Conflict($"Only a pledge waiting for review or with changes requested can be amended; this one is {Status}.");
        }
        if (amended.OrganisationId != OrganisationId)
        {
            return Result<Pledge>.Forbidden("A pledge stays with the organisation that made it.");
        }
        FundId = amended.FundId;
        Kind = amended.Kind;
        Frequency = amended.Frequency;
        StartDate = amended.StartDate;
        EndDate = amended.EndDate;
        PeriodCount = amended.PeriodCount;
        AmountMinor = amended.AmountMinor;
        Currency = amended.Currency;
        PaymentMethod = amended.PaymentMethod;
        PaymentTiming = amended.PaymentTiming;
        HoursPerPeriodMinutes = amended.HoursPerPeriodMinutes;
        EngineerName = amended.EngineerName;
        HourlyValuationMinor = amended.HourlyValuationMinor;
        InfrastructureKind = amended.InfrastructureKind;
        InfrastructureDescription = amended.InfrastructureDescription;
        Status = PledgeStatus.Submitted;
        SubmittedAt = now;
        return Result<Pledge>.Ok(this);
    }

    /// <summary>Pauses a running recurring pledge: installments after today are held back until it resumes.</summary>
    public Result<Pledge> Pause(DateOnly today, DateTime now)
    {
        if (Status != PledgeStatus.Active || !IsRecurring)
        {
            return Result<Pledge>.Conflict(IsRecurring
                ? $"Only an active pledge can be paused; this one is {Status}."
                : "A one-off pledge cannot be paused; cancel it instead.");
        }
        Status = PledgeStatus.Paused;
        PausedAt = now;
        foreach (var installment in _installments.Where(i => i.DueDate > today))
        {
            installment.Hold();
        }
        return Result<Pledge>.Ok(this);
    }

    /// <summary>Resumes a paused pledge from today: periods that fell due while it was paused stay skipped.</summary>
    public Result<Pledge> Resume(DateOnly today)
    {
        if (Status != PledgeStatus.Paused)
        {
            return Result<Pledge>.Conflict($"Only a paused pledge can be resumed; this one is {Status}.");
        }
        Status = PledgeStatus.Active;
        PausedAt = null;
        foreach (var installment in _installments.Where(i => i.DueDate >= today))
        {
            installment.Release();
        }
        ExtendOpenEnded(today);
        return Result<Pledge>.Ok(this);
    }

    /// <summary>Stops a pledge: installments not yet due are cancelled, what is past stays.</summary>
    public Result<Pledge> Cancel(string userId, string reason, DateOnly today, DateTime now)
    {
        if (Status is PledgeStatus.Cancelled or PledgeStatus.Declined or PledgeStatus.Fulfilled or PledgeStatus.PartiallyFulfilled or PledgeStatus.Lapsed)
        {
            return Result<Pledge>.Conflict($"A pledge that is {Status} cannot be cancelled.");
        }
        Status = PledgeStatus.Cancelled;
        CancelledByUserId = userId;
        CancelledAt = now;
        CancelReason = reason;
        foreach (var installment in _installments.Where(i => i.DueDate > today))
        {
            installment.Cancel();
        }
        return Result<Pledge>.Ok(this);
    }

    public void LinkSubscription(string subscriptionId) => StripeSubscriptionId = subscriptionId;

    /// <summary>Card checkouts are for accepted money pledges paid by card, while they run.</summary>
    public bool CanPayByCard => Kind == PledgeKind.Money && PaymentMethod == Domain.PaymentMethod.Card && Status == PledgeStatus.Active;

    /// <summary>
    /// The sponsor can pay now by card: a card pledge that is running, due (paid now, or its task is done for pay-on-completion), and
    /// not yet paid — an open installment for one-off, no subscription yet for recurring (Stripe then takes each period itself).
    /// </summary>
    public bool AwaitsCardPayment => CanPayByCard
        && (PaymentTiming != Domain.PaymentTiming.OnCompletion || PaymentRequestedAt is not null)
        && (IsRecurring ? StripeSubscriptionId is null : _installments.Any(i => i.IsOpen));

    /// <summary>
    /// The attempt number for the next Checkout session. A retry within a day (a double click, a timeout) reuses the attempt, so
    /// Stripe answers with the same session; later, Stripe's session has expired and a new attempt starts.
    /// </summary>
    public int NextCheckoutAttempt(DateTime now) =>
        CheckoutStartedAt is { } started && now - started < CheckoutReuseWindow ? CheckoutAttempt : CheckoutAttempt + 1;

    public static readonly TimeSpan CheckoutReuseWindow = TimeSpan.FromHours(23);

    public void CheckoutStarted(int attempt, string sessionId, DateTime now)
    {
        if (attempt != CheckoutAttempt)
        {
            CheckoutStartedAt = now;
        }
        CheckoutAttempt = attempt;
        LastCheckoutSessionId = sessionId;
    }

    public void RequestPayment(DateTime now) => PaymentRequestedAt ??= now;

    /// <summary>Keeps an open-ended recurring pledge scheduled a year (its horizon) ahead of today. Returns how many installments it added.</summary>
    public int ExtendOpenEnded(DateOnly today)
    {
        if (Status != PledgeStatus.Active || !Schedule.IsOpenEnded)
        {
            return 0;
        }
        var horizon = today.AddMonths(PledgeSchedule.MonthsPerPeriod(Frequency) * PledgeSchedule.OpenEndedHorizonPeriods);
        var next = _installments.Count == 0 ? 0 : _installments.Max(i => i.Sequence);
        var added = Schedule.PeriodsFrom(next, PledgeSchedule.MaxPeriods).TakeWhile(p => p.Start <= horizon).ToList();
        AddInstallments(added, next);
        return added.Count;
    }

    /// <summary>
    /// Moves a pledge whose schedule is over to where it ended: fulfilled, partially fulfilled, or lapsed when nothing at all was
    /// delivered. A running pledge with nothing delivered lapses once its first installment is <paramref name="graceDays"/> overdue;
    /// its future installments are then cancelled. Late deliveries on an ended pledge move it again.
    /// </summary>
    public PledgeStatus Settle(DateOnly today, int graceDays, DateTime now)
    {
        if (Status is not (PledgeStatus.Active or PledgeStatus.Fulfilled or PledgeStatus.PartiallyFulfilled or PledgeStatus.Lapsed))
        {
            return Status;
        }
        ExtendOpenEnded(today);
        var live = _installments.Where(i => i.Status is not (InstallmentStatus.Cancelled or InstallmentStatus.Paused)).ToList();
        var anythingDelivered = live.Any(i => i.DeliveredUnits > 0);
        var open = live.Where(i => i.IsOpen).ToList();
        var next = Status;
        if (open.Count == 0 && live.Count > 0)
        {
            next = live.All(i => i.Status == InstallmentStatus.Fulfilled) ? PledgeStatus.Fulfilled
                : anythingDelivered ? PledgeStatus.PartiallyFulfilled
                : PledgeStatus.Lapsed;
        }
        else if (!anythingDelivered && open.Count > 0 && open.Min(i => i.DueDate).AddDays(graceDays) < today)
        {
            next = PledgeStatus.Lapsed;
            foreach (var installment in _installments.Where(i => i.DueDate > today))
            {
                installment.Cancel();
            }
        }
        else if (Status != PledgeStatus.Active && open.Count > 0 && (anythingDelivered || Status == PledgeStatus.Fulfilled))
        {
            next = PledgeStatus.Active;
        }
        if (next != Status)
        {
            Status = next;
            SettledAt = next == PledgeStatus.Active ? null : now;
        }
        return Status;
    }

    /// <summary>
    /// The honoured rate of totals: Σ delivered ÷ Σ due over the installments past their grace period (each counted up to what it asked,
    /// <see cref="Fulfilment.CountsThrough"/>); null when nothing is due yet.
    /// </summary>
    public decimal? HonouredRateOfTotals(DateOnly today, int graceDays) => Fulfilment.HonouredRateOfTotals(_installments, today, graceDays);

    /// <summary>The installment a delivery on <paramref name="day"/> counts against: the one whose period holds the day, else the latest one before it.</summary>
    public Installment? InstallmentFor(DateOnly day)
    {
        var candidates = _installments.Where(i => i.Status is not (InstallmentStatus.Cancelled or InstallmentStatus.Paused)).OrderBy(i => i.Sequence).ToList();
        return candidates.FirstOrDefault(i => i.Period.Contains(day)) ?? candidates.LastOrDefault(i => i.PeriodStart <= day);
    }

    private static Pledge New(int organisationId, int fundId, PledgeKind kind, PledgeSchedule schedule, string userId, DateTime now) => new()
    {
        OrganisationId = organisationId,
        FundId = fundId,
        Kind = kind,
        Status = PledgeStatus.Submitted,
        Frequency = schedule.Frequency,
        StartDate = schedule.Start,
        EndDate = schedule.End,
        PeriodCount = schedule.Periods,
        SubmittedByUserId = userId,
        SubmittedAt = now,
    };

    // Money is due when its period starts (paid in advance); hours and infrastructure are delivered during the period, so they are
    // due on its last day.
    private void AddInstallments(IEnumerable<PledgePeriod> periods, int sequence = 0)
    {
        foreach (var period in periods)
        {
            var due = Kind == PledgeKind.Money ? period.Start : period.End;
            _installments.Add(new Installment(++sequence, period, due, AmountMinor, Currency, HoursPerPeriodMinutes));
        }
    }

    private void Review(PledgeStatus status, string reviewerId, string reason, DateTime now)
    {
        Status = status;
        ReviewedByUserId = reviewerId;
        ReviewReason = reason;
        ReviewedAt = now;
    }

    private Result<Pledge> Ok(Action change)
    {
        change();
        return Result<Pledge>.Ok(this);
    }
}
