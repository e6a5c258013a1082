namespace FundingPortal.Core.Domain;

public enum PledgeKind
{
    Money,
    EngineerTime,
    Infrastructure,
}

public enum PledgeFrequency
{
    OneOff,
    Monthly,
    Quarterly,
    Yearly,
}

public enum PaymentMethod
{
    Card,
    Invoice,
    BankTransfer,
}

public enum PaymentTiming
{
    Now,
    OnCompletion,
}

public enum InfrastructureKind
{
    CiCredits,
    CloudCredits,
    RunnerCapacity,
}

public enum PledgeStatus
{
    Submitted,
    ChangesRequested,
    Declined,
    Active,
    Paused,
    Fulfilled,
    PartiallyFulfilled,
    Lapsed,
    Cancelled,
}

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

    public int Version { get; set; }

    public IReadOnlyList<Installment> Installments => _installments;

    public Money Amount => new(AmountMinor, Currency);

    public Hours HoursPerPeriod => new(HoursPerPeriodMinutes);

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
        _installments.AddRange(PledgeScheduleBuilder.Build(this));
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

    public Result<Pledge> Resubmit(DateTime now) =>
        Status == PledgeStatus.ChangesRequested
            ? Ok(() => { Status = PledgeStatus.Submitted; SubmittedAt = now; })
            : Result<Pledge>.Conflict($"Only a pledge with changes requested can be resubmitted; this one is {Status}.");

    /// <summary>Stops a pledge: installments not yet due are cancelled, what is past stays.</summary>
    public Result<Pledge> Cancel(DateOnly today)
    {
        if (Status is PledgeStatus.Cancelled or PledgeStatus.Declined or PledgeStatus.Fulfilled)
        {
            return Result<Pledge>.Conflict($"A pledge that is {Status} cannot be cancelled.");
        }
        Status = PledgeStatus.Cancelled;
        foreach (var installment in _installments.Where(i => i.DueDate > today))
        {
            installment.Cancel();
        }
        return Result<Pledge>.Ok(this);
    }

    public void LinkSubscription(string subscriptionId) => StripeSubscriptionId = subscriptionId;

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
