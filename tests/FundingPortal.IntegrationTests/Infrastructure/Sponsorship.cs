using FundingPortal.Core.Domain;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>What <see cref="Given.SponsorshipAsync"/> made, and accepted pledges on it: the sponsor's on the task fund, accepted by the reviewer.</summary>
public sealed class Sponsorship(Given given, Sponsor sponsor, TestUser reviewer, TaskFund task)
{
    public TestUser Sponsor => sponsor.User;

    public TestUser Reviewer => reviewer;

    public int OrganisationId => sponsor.OrganisationId;

    public string BillingEmail => sponsor.BillingEmail;

    public int TaskId => task.TaskId;

    public int FundId => task.FundId;

    /// <summary>A money pledge, by default one-off today, by invoice, paid now.</summary>
    public Task<Pledge> MoneyAsync(long perPeriodMinor, string currency = "USD", PledgeSchedule? schedule = null, PaymentMethod method = PaymentMethod.Invoice,
        PaymentTiming timing = PaymentTiming.Now) =>
        given.AcceptedPledgeAsync(Pledge.SubmitMoney(OrganisationId, FundId, new Money(perPeriodMinor, currency), schedule ?? PledgeSchedule.OneOff(Given.Today),
            method, timing, Sponsor.Id, DateTime.UtcNow), reviewer);

    /// <summary>A money pledge paid by card, by default one-off today.</summary>
    public Task<Pledge> CardAsync(long perPeriodMinor = 12_345, string currency = "USD", PledgeSchedule? schedule = null, PaymentTiming timing = PaymentTiming.Now) =>
        MoneyAsync(perPeriodMinor, currency, schedule, PaymentMethod.Card, timing);

    public Task<Pledge> EngineerTimeAsync(decimal hoursPerPeriod, PledgeSchedule schedule, string engineer = "Eve Engineer") =>
        given.AcceptedPledgeAsync(Pledge.SubmitEngineerTime(OrganisationId, FundId, Hours.FromHours(hoursPerPeriod), schedule, engineer, new Money(10_000, "USD"),
            Sponsor.Id, DateTime.UtcNow), reviewer);

    public Task<Pledge> InfrastructureAsync(long perPeriodMinor, PledgeSchedule schedule) =>
        given.AcceptedPledgeAsync(Pledge.SubmitInfrastructure(OrganisationId, FundId, InfrastructureKind.RunnerCapacity, "2 Windows runners",
            new Money(perPeriodMinor, "USD"), schedule, Sponsor.Id, DateTime.UtcNow), reviewer);
}
