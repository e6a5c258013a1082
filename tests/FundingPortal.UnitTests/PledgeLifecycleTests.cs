using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class PledgeLifecycleTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Start = new(2026, 1, 1);

    private static Pledge Money(int? periods = 4, PledgeFrequency frequency = PledgeFrequency.Monthly) =>
        Accepted(Pledge.SubmitMoney(1, 1, new Money(50_000, "USD"), PledgeSchedule.Create(frequency, Start, null, periods).Value!,
            PaymentMethod.Invoice, PaymentTiming.Now, "sponsor", Now));

    private static Pledge Time(int periods = 4) =>
        Accepted(Pledge.SubmitEngineerTime(1, 1, Hours.FromHours(10), PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, periods).Value!,
            "Kim", new Money(10_000, "USD"), "sponsor", Now));

    private static Pledge Accepted(Pledge pledge)
    {
        Assert.True(pledge.Accept("reviewer", "Thanks", Now).Succeeded);
        return pledge;
    }

    [Fact]
    public void Money_is_due_when_its_period_starts_and_hours_when_it_ends()
    {
        Assert.Equal(new DateOnly(2026, 2, 1), Money().Installments[1].DueDate);
        Assert.Equal(new DateOnly(2026, 2, 28), Time().Installments[1].DueDate);
        Assert.Equal(new DateOnly(2026, 2, 1), Time().Installments[1].PeriodStart);
    }

    [Fact]
    public void Pausing_holds_future_installments_and_resuming_skips_those_whose_date_passed()
    {
        var pledge = Money(6);

        Assert.True(pledge.Pause(new DateOnly(2026, 2, 15), Now).Succeeded);
        Assert.Equal(PledgeStatus.Paused, pledge.Status);
        Assert.Equal([InstallmentStatus.Scheduled, InstallmentStatus.Scheduled], pledge.Installments.Take(2).Select(i => i.Status));
        Assert.All(pledge.Installments.Skip(2), i => Assert.Equal(InstallmentStatus.Paused, i.Status));

        Assert.True(pledge.Resume(new DateOnly(2026, 4, 10)).Succeeded);
        Assert.Equal(PledgeStatus.Active, pledge.Status);
        // March and April 1st passed while paused: skipped. May and June are due again.
        Assert.Equal([InstallmentStatus.Paused, InstallmentStatus.Paused, InstallmentStatus.Scheduled, InstallmentStatus.Scheduled],
            pledge.Installments.Skip(2).Select(i => i.Status));
    }

    [Fact]
    public void A_one_off_pledge_cannot_be_paused_and_a_paused_one_cannot_be_paused_again()
    {
        var oneOff = Money(null, PledgeFrequency.OneOff);
        Assert.Equal(ProblemKind.Conflict, oneOff.Pause(Start, Now).Problem!.Kind);

        var pledge = Money();
        pledge.Pause(Start, Now);
        Assert.Equal(ProblemKind.Conflict, pledge.Pause(Start, Now).Problem!.Kind);
        Assert.Equal(ProblemKind.Conflict, Money().Resume(Start).Problem!.Kind);
    }

    [Fact]
    public void Cancelling_records_who_why_and_when_and_cannot_happen_twice()
    {
        var pledge = Money();

        Assert.True(pledge.Cancel("sponsor", "Budget cut", new DateOnly(2026, 2, 10), Now).Succeeded);

        Assert.Equal(("sponsor", "Budget cut", Now), (pledge.CancelledByUserId, pledge.CancelReason, pledge.CancelledAt));
        Assert.Equal(ProblemKind.Conflict, pledge.Cancel("sponsor", "again", Start, Now).Problem!.Kind);
    }

    [Fact]
    public void A_pledge_with_every_installment_delivered_is_fulfilled()
    {
        var pledge = Money(2);
        foreach (var installment in pledge.Installments)
        {
            installment.RecordReceived(new Money(50_000, "USD"));
        }

        Assert.Equal(PledgeStatus.Fulfilled, pledge.Settle(new DateOnly(2026, 3, 1), 30, Now));
        Assert.Equal(Now, pledge.SettledAt);
    }

    [Fact]
    public void A_pledge_whose_shortfall_was_forgiven_ends_partially_fulfilled()
    {
        var pledge = Money(2);
        var today = new DateOnly(2026, 3, 1);
        pledge.Installments[0].RecordReceived(new Money(50_000, "USD"));
        pledge.Installments[1].RecordReceived(new Money(20_000, "USD"));
        Assert.Equal(PledgeStatus.Active, pledge.Settle(today, 30, Now));

        Assert.True(pledge.Installments[1].Forgive("Sponsor's budget halved", "reviewer", today, Now).Succeeded);

        Assert.Equal(PledgeStatus.PartiallyFulfilled, pledge.Settle(today, 30, Now));
    }

    [Fact]
    public void A_pledge_with_nothing_delivered_lapses_after_the_grace_period_and_its_future_stops()
    {
        var pledge = Money(6);

        Assert.Equal(PledgeStatus.Active, pledge.Settle(new DateOnly(2026, 1, 31), 30, Now));
        Assert.Equal(PledgeStatus.Lapsed, pledge.Settle(new DateOnly(2026, 2, 1), 30, Now));

        Assert.All(pledge.Installments.Where(i => i.DueDate > new DateOnly(2026, 2, 1)), i => Assert.Equal(InstallmentStatus.Cancelled, i.Status));
        Assert.Equal(2, pledge.Installments.Count(i => i.IsOpen));
    }

    [Fact]
    public void A_late_payment_on_a_lapsed_pledge_brings_it_back_to_where_it_really_ended()
    {
        var pledge = Money(6);
        var today = new DateOnly(2026, 2, 1);
        pledge.Settle(today, 30, Now);

        pledge.Installments[0].RecordReceived(new Money(50_000, "USD"));
        pledge.Installments[1].RecordReceived(new Money(50_000, "USD"));

        Assert.Equal(PledgeStatus.Fulfilled, pledge.Settle(today, 30, Now));
    }

    [Fact]
    public void An_open_ended_pledge_keeps_a_year_of_installments_ahead_and_never_ends_by_itself()
    {
        var pledge = Money(null);
        Assert.Equal(PledgeSchedule.OpenEndedHorizonPeriods, pledge.Installments.Count);

        var added = pledge.ExtendOpenEnded(new DateOnly(2026, 6, 15));

        Assert.Equal(6, added);
        Assert.Equal(new DateOnly(2027, 6, 1), pledge.Installments[^1].DueDate);
        Assert.Equal(Enumerable.Range(1, 18), pledge.Installments.Select(i => i.Sequence));
        Assert.Equal(0, pledge.ExtendOpenEnded(new DateOnly(2026, 6, 15)));
    }

    [Fact]
    public void Resubmitting_takes_the_amended_terms_and_goes_back_to_review()
    {
        var pledge = Pledge.SubmitMoney(1, 1, new Money(50_000, "USD"), PledgeSchedule.OneOff(Start), PaymentMethod.Invoice, PaymentTiming.Now, "sponsor", Now);
        pledge.RequestChanges("reviewer", "Monthly please", Now);
        var amended = Pledge.SubmitMoney(1, 2, new Money(10_000, "EUR"), PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, 5).Value!,
            PaymentMethod.BankTransfer, PaymentTiming.Now, "sponsor", Now);

        Assert.True(pledge.Resubmit(amended, Now.AddDays(1)).Succeeded);

        Assert.Equal((PledgeStatus.Submitted, 2, 10_000L, "EUR", PledgeFrequency.Monthly, 5), (pledge.Status, pledge.FundId, pledge.AmountMinor, pledge.Currency, pledge.Frequency, pledge.PeriodCount));
        var otherOrganisation = Pledge.SubmitMoney(9, 2, new Money(1, "EUR"), PledgeSchedule.OneOff(Start), PaymentMethod.Invoice, PaymentTiming.Now, "x", Now);
        pledge.RequestChanges("reviewer", "Again", Now);
        Assert.Equal(ProblemKind.Forbidden, pledge.Resubmit(otherOrganisation, Now).Problem!.Kind);
    }
}
