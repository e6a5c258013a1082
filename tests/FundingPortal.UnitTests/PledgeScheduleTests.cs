using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class PledgeScheduleTests
{
    private static readonly DateOnly Start = new(2026, 1, 31);

    [Fact]
    public void A_one_off_pledge_is_due_once_on_its_start()
    {
        Assert.Equal([Start], PledgeSchedule.OneOff(Start).DueDates());
    }

    [Fact]
    public void Monthly_periods_step_from_the_start_so_month_ends_stay_month_ends()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, 4).Value!;

        Assert.Equal([new(2026, 1, 31), new(2026, 2, 28), new(2026, 3, 31), new(2026, 4, 30)], schedule.DueDates());
    }

    [Fact]
    public void Quarterly_with_an_end_date_stops_at_the_end()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.Quarterly, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), null).Value!;

        Assert.Equal([new(2026, 1, 1), new(2026, 4, 1), new(2026, 7, 1), new(2026, 10, 1)], schedule.DueDates());
    }

    [Fact]
    public void An_open_ended_recurring_pledge_is_scheduled_a_year_ahead()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.Monthly, new DateOnly(2026, 1, 1), null, null).Value!;

        Assert.Equal(PledgeSchedule.OpenEndedHorizonPeriods, schedule.DueDates().Count());
    }

    [Fact]
    public void Refuses_an_end_before_the_start()
    {
        var result = PledgeSchedule.Create(PledgeFrequency.Yearly, Start, Start.AddDays(-1), null);

        Assert.Equal("end", result.Problem!.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(PledgeSchedule.MaxPeriods + 1)]
    public void Refuses_a_number_of_periods_out_of_range(int periods)
    {
        Assert.Equal("periods", PledgeSchedule.Create(PledgeFrequency.Monthly, Start, null, periods).Problem!.Field);
    }
}

public class PledgePeriodTests
{
    [Fact]
    public void Monthly_periods_run_to_the_day_before_the_next_one_through_a_leap_february()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.Monthly, new DateOnly(2028, 1, 31), null, 3).Value!;

        Assert.Equal(
            [new PledgePeriod(new(2028, 1, 31), new(2028, 2, 28)), new PledgePeriod(new(2028, 2, 29), new(2028, 3, 30)), new PledgePeriod(new(2028, 3, 31), new(2028, 4, 29))],
            schedule.PeriodsFrom(0));
    }

    [Fact]
    public void A_yearly_pledge_from_the_29th_of_february_falls_on_the_28th_in_common_years_and_back_on_the_29th_in_leap_years()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.Yearly, new DateOnly(2028, 2, 29), null, 5).Value!;

        Assert.Equal([new(2028, 2, 29), new(2029, 2, 28), new(2030, 2, 28), new(2031, 2, 28), new(2032, 2, 29)], schedule.DueDates());
    }

    [Fact]
    public void Quarterly_periods_cover_three_months_each()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.Quarterly, new DateOnly(2026, 11, 30), null, 2).Value!;

        Assert.Equal([new PledgePeriod(new(2026, 11, 30), new(2027, 2, 27)), new PledgePeriod(new(2027, 2, 28), new(2027, 5, 29))], schedule.PeriodsFrom(0));
    }

    [Fact]
    public void A_one_off_period_runs_from_its_start_to_its_deliver_by_date()
    {
        var schedule = PledgeSchedule.Create(PledgeFrequency.OneOff, new DateOnly(2026, 12, 1), new DateOnly(2027, 3, 31), null).Value!;

        Assert.Equal([new PledgePeriod(new(2026, 12, 1), new(2027, 3, 31))], schedule.PeriodsFrom(0));
        Assert.Empty(schedule.PeriodsFrom(1));
    }

    [Fact]
    public void An_end_date_further_than_the_most_periods_allowed_is_refused()
    {
        var result = PledgeSchedule.Create(PledgeFrequency.Monthly, new DateOnly(2026, 1, 1), new DateOnly(2040, 1, 1), null);

        Assert.Equal("end", result.Problem!.Field);
    }

    [Theory]
    [InlineData(PledgeFrequency.Monthly, 744)]
    [InlineData(PledgeFrequency.Quarterly, 2208)]
    [InlineData(PledgeFrequency.Yearly, 8784)]
    public void A_period_holds_at_most_every_hour_of_its_longest_span(PledgeFrequency frequency, int hours)
    {
        Assert.Equal(Hours.FromHours(hours), PledgeSchedule.MaxHoursPerPeriod(frequency));
    }
}
