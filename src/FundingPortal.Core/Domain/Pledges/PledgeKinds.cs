namespace FundingPortal.Core.Domain;

// What a pledge is, how it is paid, and where it stands; PledgeFrequency is with PledgeSchedule.

public enum PledgeKind
{
    Money,
    EngineerTime,
    Infrastructure,
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
