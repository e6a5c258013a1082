using System.Reflection;

using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class FulfilmentTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Start = new(2026, 1, 1);

    private static Pledge TimePledge() => Saved(Pledge.SubmitEngineerTime(1, 1, Hours.FromHours(10),
        PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, 4).Value!, "Kim", new Money(10_000, "USD"), "sponsor", Now));

    private static Pledge MoneyPledge() => Saved(Pledge.SubmitMoney(1, 1, new Money(50_000, "USD"),
        PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, 4).Value!, PaymentMethod.Invoice, PaymentTiming.Now, "sponsor", Now));

    /// <summary>Accepts the pledge and numbers its installments as the database would, so entries can point at them.</summary>
    private static Pledge Saved(Pledge pledge)
    {
        pledge.Accept("reviewer", "ok", Now);
        var id = typeof(Installment).GetProperty(nameof(Installment.Id))!;
        foreach (var installment in pledge.Installments)
        {
            id.SetValue(installment, installment.Sequence * 10, BindingFlags.NonPublic | BindingFlags.Instance, null, null, null);
        }
        return pledge;
    }

    [Fact]
    public void Nothing_due_yet_has_no_honoured_rate()
    {
        Assert.Null(TimePledge().HonouredRateOfTotals(new DateOnly(2026, 1, 30), graceDays: 0));
    }

    [Fact]
    public void An_installment_counts_only_once_its_due_date_and_grace_period_are_past()
    {
        // The first installment is due on January 1 and nothing was paid.
        var pledge = MoneyPledge();

        Assert.Null(pledge.HonouredRateOfTotals(new DateOnly(2026, 1, 1), graceDays: 0));
        Assert.Equal(0m, pledge.HonouredRateOfTotals(new DateOnly(2026, 1, 2), graceDays: 0));
        Assert.Null(pledge.HonouredRateOfTotals(new DateOnly(2026, 1, 8), graceDays: 7));
        Assert.Equal(0m, pledge.HonouredRateOfTotals(new DateOnly(2026, 1, 9), graceDays: 7));
        Assert.Equal(new DateOnly(2025, 12, 31), Fulfilment.CountsThrough(new DateOnly(2026, 1, 1), 0));
    }

    [Fact]
    public void The_honoured_rate_is_delivered_over_due_with_each_installment_counted_up_to_what_it_asked()
    {
        var pledge = MoneyPledge();
        pledge.Installments[0].RecordReceived(new Money(80_000, "USD"));
        pledge.Installments[1].RecordReceived(new Money(10_000, "USD"));

        // Due by Feb 15: January (50,000 counted of 80,000 paid) and February (10,000 of 50,000).
        Assert.Equal(0.6m, pledge.HonouredRateOfTotals(new DateOnly(2026, 2, 15), graceDays: 0));
    }

    [Fact]
    public void A_forgiven_shortfall_still_counts_as_not_delivered_and_cancelled_installments_are_not_due()
    {
        var pledge = MoneyPledge();
        var today = new DateOnly(2026, 2, 15);
        pledge.Installments[0].RecordReceived(new Money(25_000, "USD"));
        pledge.Installments[0].Forgive("Paid the rest in kind", "reviewer", today, Now);
        pledge.Cancel("sponsor", "Moved budget", new DateOnly(2026, 1, 15), Now);

        Assert.Equal(0.5m, pledge.HonouredRateOfTotals(new DateOnly(2026, 6, 1), graceDays: 0));
    }

    [Fact]
    public void Hours_count_only_once_another_reviewer_confirms_them()
    {
        var pledge = TimePledge();
        var entry = TimeEntry.Log(pledge, new DateOnly(2026, 1, 20), "Kim", Hours.FromHours(7.5m), "Windows runner images", "sponsor", new DateOnly(2026, 2, 1), Now).Value!;
        var installment = pledge.Installments.Single(i => i.Id == entry.InstallmentId);
        Assert.Equal(1, installment.Sequence);

        Assert.Equal(ProblemKind.Forbidden, entry.Confirm(installment, "sponsor", Now).Problem!.Kind);
        Assert.Equal(0, installment.HoursDeliveredMinutes);

        Assert.True(entry.Confirm(installment, "reviewer", Now).Succeeded);
        Assert.Equal((450L, InstallmentStatus.PartiallyFulfilled), (installment.HoursDeliveredMinutes, installment.Status));
        Assert.Equal(ProblemKind.Conflict, entry.Confirm(installment, "reviewer", Now).Problem!.Kind);
        Assert.Equal(450, installment.HoursDeliveredMinutes);
    }

    [Fact]
    public void Hours_land_on_the_period_that_holds_their_day()
    {
        var pledge = TimePledge();

        var entry = TimeEntry.Log(pledge, new DateOnly(2026, 3, 31), "Kim", Hours.FromHours(2), "CI", "sponsor", new DateOnly(2026, 4, 1), Now).Value!;

        Assert.Equal(3, pledge.Installments.Single(i => i.Id == entry.InstallmentId).Sequence);
    }

    [Theory]
    [InlineData("2026-01-10", 0, "Kim", "work", "hours")]
    [InlineData("2026-01-10", 25, "Kim", "work", "hours")]
    [InlineData("2026-02-02", 2, "Kim", "work", "date")]
    [InlineData("2025-12-31", 2, "Kim", "work", "date")]
    [InlineData("2026-01-10", 2, " ", "work", "engineer")]
    [InlineData("2026-01-10", 2, "Kim", "", "description")]
    public void A_time_entry_that_cannot_be_right_is_refused_on_its_field(string date, int hours, string engineer, string description, string field)
    {
        var result = TimeEntry.Log(TimePledge(), DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), engineer, Hours.FromHours(hours),
            description, "sponsor", new DateOnly(2026, 2, 1), Now);

        Assert.Equal(field, result.Problem!.Field);
    }

    [Fact]
    public void Hours_cannot_be_logged_on_a_money_pledge_or_one_not_accepted()
    {
        Assert.Equal("pledge", TimeEntry.Log(MoneyPledge(), Start, "Kim", Hours.FromHours(1), "x", "s", Start, Now).Problem!.Field);
        var submitted = Pledge.SubmitEngineerTime(1, 1, Hours.FromHours(10), PledgeSchedule.OneOff(Start), "Kim", new Money(1, "USD"), "sponsor", Now);
        Assert.Equal(ProblemKind.Conflict, TimeEntry.Log(submitted, Start, "Kim", Hours.FromHours(1), "x", "s", Start, Now).Problem!.Kind);
    }

    [Fact]
    public void A_confirmed_delivery_counts_its_stated_value()
    {
        var pledge = Saved(Pledge.SubmitInfrastructure(1, 1, InfrastructureKind.RunnerCapacity, "5 Windows runners", new Money(120_000, "USD"),
            PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, 12).Value!, "sponsor", Now));
        var delivery = InKindDelivery.Record(pledge, new DateOnly(2026, 1, 3), "Runners online", new Money(120_000, "USD"), "sponsor", new DateOnly(2026, 1, 5)).Value!;
        Assert.Equal("value", InKindDelivery.Record(pledge, Start, "x", new Money(1, "EUR"), "sponsor", Start).Problem!.Field);

        Assert.True(delivery.Confirm(pledge.Installments[0], "reviewer", Now).Succeeded);

        Assert.Equal(InstallmentStatus.Fulfilled, pledge.Installments[0].Status);
        Assert.Equal(ProblemKind.Conflict, delivery.Reject("reviewer", "late", Now).Problem!.Kind);
    }

    [Fact]
    public void Follow_up_can_be_snoozed_within_limits_and_forgiven_only_once_due_and_with_a_reason()
    {
        var installment = MoneyPledge().Installments[1];
        var today = new DateOnly(2026, 2, 10);

        Assert.True(installment.NeedsFollowUp(today));
        Assert.Equal("until", installment.Snooze(today, null, today).Problem!.Field);
        Assert.Equal("until", installment.Snooze(today.AddDays(Installment.MaxSnoozeDays + 1), null, today).Problem!.Field);
        Assert.True(installment.Snooze(today.AddDays(7), "Promised next week", today).Succeeded);
        Assert.False(installment.NeedsFollowUp(today));
        Assert.True(installment.NeedsFollowUp(today.AddDays(7)));

        Assert.Equal("reason", installment.Forgive(" ", "reviewer", today, Now).Problem!.Field);
        Assert.Equal("reason", MoneyPledge().Installments[3].Forgive("early", "reviewer", today, Now).Problem!.Field);
        Assert.True(installment.Forgive("Sponsor in administration", "reviewer", today, Now).Succeeded);
        Assert.False(installment.NeedsFollowUp(today.AddDays(30)));
        Assert.Equal(ProblemKind.Conflict, installment.Forgive("again", "reviewer", today, Now).Problem!.Kind);
    }

    [Theory]
    [InlineData(0, 14, 0)]
    [InlineData(13, 14, 0)]
    [InlineData(14, 14, 1)]
    [InlineData(45, 14, 3)]
    public void Reminders_go_out_when_due_and_then_once_per_interval(int daysOverdue, int interval, int stage)
    {
        Assert.Equal(stage, InstallmentReminder.StageFor(daysOverdue, interval));
    }
}
