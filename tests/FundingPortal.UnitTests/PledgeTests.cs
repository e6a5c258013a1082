using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class PledgeTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Pledge MonthlyMoney(int periods = 6) => Pledge.SubmitMoney(1, 1, new Money(50_000, "USD"),
        PledgeSchedule.Create(PledgeFrequency.Monthly, new DateOnly(2026, 1, 15), null, periods).Value!, PaymentMethod.Invoice, PaymentTiming.Now, "sponsor", Now);

    [Fact]
    public void Accepting_produces_one_installment_per_period_with_the_amount_due()
    {
        var pledge = MonthlyMoney();

        Assert.True(pledge.Accept("reviewer", "Thanks!", Now).Succeeded);

        Assert.Equal(PledgeStatus.Active, pledge.Status);
        Assert.Equal(6, pledge.Installments.Count);
        Assert.All(pledge.Installments, i => Assert.Equal(50_000, i.AmountDueMinor));
        Assert.Equal(Enumerable.Range(1, 6), pledge.Installments.Select(i => i.Sequence));
    }

    [Fact]
    public void An_engineer_time_pledge_is_due_in_hours()
    {
        var pledge = Pledge.SubmitEngineerTime(1, 1, Hours.FromHours(10), PledgeSchedule.OneOff(new DateOnly(2026, 2, 1)), "Kim", new Money(15_000, "USD"), "sponsor", Now);
        pledge.Accept("reviewer", "ok", Now);

        Assert.Equal(600, Assert.Single(pledge.Installments).HoursDueMinutes);
    }

    [Fact]
    public void A_pledge_is_reviewed_only_once()
    {
        var pledge = MonthlyMoney();
        pledge.Decline("reviewer", "Not now", Now);

        var again = pledge.Accept("reviewer", "Changed my mind", Now);

        Assert.Equal(ProblemKind.Conflict, again.Problem!.Kind);
        Assert.Empty(pledge.Installments);
        Assert.Equal("Not now", pledge.ReviewReason);
    }

    [Fact]
    public void Changes_requested_go_back_to_the_sponsor_who_resubmits()
    {
        var pledge = MonthlyMoney();

        pledge.RequestChanges("reviewer", "Please start in March", Now);
        Assert.Equal(PledgeStatus.ChangesRequested, pledge.Status);
        Assert.True(pledge.Resubmit(pledge, Now.AddDays(1)).Succeeded);

        Assert.Equal(PledgeStatus.Submitted, pledge.Status);
    }

    [Fact]
    public void Cancelling_stops_future_installments_and_keeps_the_past()
    {
        var pledge = MonthlyMoney();
        pledge.Accept("reviewer", "ok", Now);
        pledge.Installments[0].RecordReceived(new Money(50_000, "USD"));

        pledge.Cancel("sponsor", "Budget cut", new DateOnly(2026, 3, 1), Now);

        Assert.Equal(PledgeStatus.Cancelled, pledge.Status);
        Assert.Equal(InstallmentStatus.Fulfilled, pledge.Installments[0].Status);
        Assert.Equal(InstallmentStatus.Scheduled, pledge.Installments[1].Status);
        Assert.All(pledge.Installments.Skip(2), i => Assert.Equal(InstallmentStatus.Cancelled, i.Status));
    }

    [Fact]
    public void An_installment_paid_in_part_is_partially_fulfilled_until_the_rest_arrives()
    {
        var pledge = MonthlyMoney(1);
        pledge.Accept("reviewer", "ok", Now);
        var installment = pledge.Installments[0];

        installment.RecordReceived(new Money(20_000, "USD"));
        Assert.Equal(InstallmentStatus.PartiallyFulfilled, installment.Status);
        Assert.True(installment.IsOverdue(new DateOnly(2026, 2, 1)));

        installment.RecordReceived(new Money(30_000, "USD"));
        Assert.Equal(InstallmentStatus.Fulfilled, installment.Status);
        Assert.False(installment.IsOverdue(new DateOnly(2026, 2, 1)));
    }
}
