namespace FundingPortal.Core.Domain;

/// <summary>How often a pledge falls due, from when, and until when (an end date or a number of periods, or open-ended).</summary>
public sealed record PledgeSchedule(PledgeFrequency Frequency, DateOnly Start, DateOnly? End, int? Periods)
{
    /// <summary>An open-ended recurring pledge has its installments generated this far ahead.</summary>
    public const int OpenEndedHorizonPeriods = 12;

    public const int MaxPeriods = 120;

    public static PledgeSchedule OneOff(DateOnly on) => new(PledgeFrequency.OneOff, on, null, 1);

    public static Result<PledgeSchedule> Create(PledgeFrequency frequency, DateOnly start, DateOnly? end, int? periods)
    {
        if (frequency == PledgeFrequency.OneOff)
        {
            return Result<PledgeSchedule>.Ok(OneOff(start));
        }
        if (end is not null && periods is not null)
        {
            return Result<PledgeSchedule>.Invalid("end", "Give either an end date or a number of periods, not both.");
        }
        if (end is not null && end < start)
        {
            return Result<PledgeSchedule>.Invalid("end", "The end date is before the start date.");
        }
        if (periods is < 1 or > MaxPeriods)
        {
            return Result<PledgeSchedule>.Invalid("periods", $"The number of periods must be between 1 and {MaxPeriods}.");
        }
        return Result<PledgeSchedule>.Ok(new PledgeSchedule(frequency, start, end, periods));
    }

    public static int MonthsPerPeriod(PledgeFrequency frequency) => frequency switch
    {
        PledgeFrequency.Monthly => 1,
        PledgeFrequency.Quarterly => 3,
        PledgeFrequency.Yearly => 12,
        _ => 0,
    };

    /// <summary>The due dates this schedule produces, capped at <see cref="MaxPeriods"/> (or the open-ended horizon).</summary>
    public IEnumerable<DateOnly> DueDates()
    {
        if (Frequency == PledgeFrequency.OneOff)
        {
            yield return Start;
            yield break;
        }
        var limit = Periods ?? (End is null ? OpenEndedHorizonPeriods : MaxPeriods);
        var months = MonthsPerPeriod(Frequency);
        for (var i = 0; i < limit; i++)
        {
            // Always step from the start so a pledge starting on the 31st stays at the end of each month.
            var due = Start.AddMonths(i * months);
            if (End is not null && due > End)
            {
                yield break;
            }
            yield return due;
        }
    }
}

internal static class PledgeScheduleBuilder
{
    public static IEnumerable<Installment> Build(Pledge pledge)
    {
        var schedule = new PledgeSchedule(pledge.Frequency, pledge.StartDate, pledge.EndDate, pledge.PeriodCount);
        var sequence = 0;
        foreach (var due in schedule.DueDates())
        {
            yield return new Installment(++sequence, due, pledge.AmountMinor, pledge.Currency, pledge.HoursPerPeriodMinutes);
        }
    }
}
