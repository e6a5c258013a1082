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
