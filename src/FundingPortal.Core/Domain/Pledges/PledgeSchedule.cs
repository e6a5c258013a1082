namespace FundingPortal.Core.Domain;

public enum PledgeFrequency
{
    OneOff,
    Monthly,
    Quarterly,
    Yearly,
}

/// <summary>One period of a pledge's schedule, first and last day included.</summary>
public readonly record struct PledgePeriod(DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly day) => day >= Start && day <= End;
}

/// <summary>
/// How often a pledge falls due, from when, and until when (an end date or a number of periods, or open-ended).
/// For a one-off pledge the end, when given, is the day by which hours or infrastructure are delivered.
/// </summary>
public sealed record PledgeSchedule(PledgeFrequency Frequency, DateOnly Start, DateOnly? End, int? Periods)
{
    /// <summary>An open-ended recurring pledge always has its installments generated this far ahead.</summary>
    public const int OpenEndedHorizonPeriods = 12;

    public const int MaxPeriods = 120;

    public static PledgeSchedule OneOff(DateOnly on, DateOnly? deliverBy = null) => new(PledgeFrequency.OneOff, on, deliverBy, 1);

    public bool IsOpenEnded => Frequency != PledgeFrequency.OneOff && End is null && Periods is null;

    public static Result<PledgeSchedule> Create(PledgeFrequency frequency, DateOnly start, DateOnly? end, int? periods)
    {
        if (end is not null && end < start)
        {
            return Result<PledgeSchedule>.Invalid("end", "The end date is before the start date.");
        }
        if (frequency == PledgeFrequency.OneOff)
        {
            return Result<PledgeSchedule>.Ok(OneOff(start, end));
        }
        if (end is not null && periods is not null)
        {
            return Result<PledgeSchedule>.Invalid("end", "Give either an end date or a number of periods, not both.");
        }
        if (periods is < 1 or > MaxPeriods)
        {
            return Result<PledgeSchedule>.Invalid("periods", $"The number of periods must be between 1 and {MaxPeriods}.");
        }
        if (end is not null && Months(frequency) * MaxPeriods < (end.Value.Year - start.Year) * 12 + end.Value.Month - start.Month)
        {
            return Result<PledgeSchedule>.Invalid("end", $"A pledge can run for {MaxPeriods} periods at most; choose an earlier end date.");
        }
        return Result<PledgeSchedule>.Ok(new PledgeSchedule(frequency, start, end, periods));
    }

    public static int MonthsPerPeriod(PledgeFrequency frequency) => Months(frequency);

    /// <summary>The due dates of the periods (their first days), capped at <see cref="MaxPeriods"/> (or the open-ended horizon).</summary>
    public IEnumerable<DateOnly> DueDates() => PeriodsFrom(0).Select(p => p.Start);

    /// <summary>The schedule's periods starting with the one at <paramref name="firstIndex"/> (zero-based).</summary>
    public IEnumerable<PledgePeriod> PeriodsFrom(int firstIndex, int? count = null)
    {
        if (Frequency == PledgeFrequency.OneOff)
        {
            if (firstIndex == 0)
            {
                yield return new PledgePeriod(Start, End ?? Start);
            }
            yield break;
        }
        var limit = Periods ?? (End is null ? firstIndex + (count ?? OpenEndedHorizonPeriods) : MaxPeriods);
        var months = Months(Frequency);
        for (var i = firstIndex; i < limit; i++)
        {
            // Always step from the start so a pledge starting on the 31st stays at the end of each month.
            var start = Start.AddMonths(i * months);
            if (End is not null && start > End)
            {
                yield break;
            }
            yield return new PledgePeriod(start, Start.AddMonths((i + 1) * months).AddDays(-1));
        }
    }

    /// <summary>The most hours one period can hold: every hour of its longest possible calendar span.</summary>
    public static Hours MaxHoursPerPeriod(PledgeFrequency frequency) => Hours.FromHours(24 * frequency switch
    {
        PledgeFrequency.Monthly => 31,
        PledgeFrequency.Quarterly => 92,
        _ => 366,
    });

    private static int Months(PledgeFrequency frequency) => frequency switch
    {
        PledgeFrequency.Monthly => 1,
        PledgeFrequency.Quarterly => 3,
        PledgeFrequency.Yearly => 12,
        _ => 0,
    };
}
