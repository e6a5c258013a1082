
namespace FundingPortal.Web.Features.Pledges;

/// <summary>
/// Pledges in words: "USD 500.00 a month for 12 months from 2027-01-01 to Windows build = USD 6,000.00 in total; paid by invoice".
/// One place, so the summary before submitting, the review queue, the dashboard and the emails say the same thing.
/// </summary>
public static class PledgeTerms
{
    public static string Amount(Money money) => Display.Money(money);

    public static string Hours(Hours hours) => $"{hours.TotalHours.ToString("#,0.##", CultureInfo.InvariantCulture)} h";

    public static string Infrastructure(InfrastructureKind? kind) => kind switch
    {
        InfrastructureKind.CiCredits => "CI credits",
        InfrastructureKind.CloudCredits => "cloud credits",
        InfrastructureKind.RunnerCapacity => "runner capacity",
        _ => "infrastructure",
    };

    public static string Method(PaymentMethod? method) => method switch
    {
        PaymentMethod.Card => "card",
        PaymentMethod.Invoice => "invoice",
        PaymentMethod.BankTransfer => "bank transfer",
        _ => "",
    };

    /// <summary>How many periods the schedule has, or null when it is open-ended.</summary>
    public static int? PeriodCount(PledgeSchedule schedule) =>
        schedule.IsOpenEnded ? null : schedule.PeriodsFrom(0).Count();

    /// <summary>What the whole pledge comes to (money or stated value), or null for open-ended pledges and engineer time.</summary>
    public static Money? Total(Pledge pledge) =>
        pledge.Kind == PledgeKind.EngineerTime || PeriodCount(pledge.Schedule) is not { } periods
            ? null
            : new Money(checked(pledge.AmountMinor * periods), pledge.Currency);

    public static Hours? TotalHours(Pledge pledge) =>
        pledge.Kind != PledgeKind.EngineerTime || PeriodCount(pledge.Schedule) is not { } periods
            ? null
            : new Hours(checked(pledge.HoursPerPeriodMinutes * periods));

    /// <summary>The total in words: "USD 6,000.00", "40 h", or "open-ended".</summary>
    public static string TotalText(Pledge pledge) =>
        Total(pledge) is { } money ? Amount(money)
        : TotalHours(pledge) is { } hours ? Hours(hours)
        : "open-ended";

    public static string Describe(Pledge pledge, string fundName)
    {
        var what = pledge.Kind switch
        {
            PledgeKind.Money => Amount(pledge.Amount),
            PledgeKind.EngineerTime => Hours(pledge.HoursPerPeriod) + " of engineer time"
                + (string.IsNullOrWhiteSpace(pledge.EngineerName) ? "" : $" ({pledge.EngineerName})"),
            _ => $"{Infrastructure(pledge.InfrastructureKind)} worth {Amount(pledge.Amount)}"
                + (string.IsNullOrWhiteSpace(pledge.InfrastructureDescription) ? "" : $" ({pledge.InfrastructureDescription})"),
        };
        var schedule = pledge.Schedule;
        var start = Date(schedule.Start);
        string when;
        if (pledge.Frequency == PledgeFrequency.OneOff)
        {
            when = schedule.End is { } by && by != schedule.Start ? $"once, from {start}, delivered by {Date(by)}" : $"once, on {start}";
        }
        else
        {
            var every = pledge.Frequency switch
            {
                PledgeFrequency.Monthly => ("a month", "month"),
                PledgeFrequency.Quarterly => ("a quarter", "quarter"),
                _ => ("a year", "year"),
            };
            var count = PeriodCount(schedule);
            when = count is null
                ? $"{every.Item1} from {start}, open-ended"
                : $"{every.Item1} for {count} {every.Item2}{(count == 1 ? "" : "s")} from {start}"
                    + (schedule.End is { } end ? $" until {Date(end)}" : "");
        }
        var text = $"{what} {when} to {fundName}";
        if (pledge.Kind != PledgeKind.EngineerTime || TotalHours(pledge) is not null)
        {
            text += TotalText(pledge) == "open-ended" ? " (no end date, so no total)" : $" = {TotalText(pledge)} in total";
        }
        if (pledge.Kind == PledgeKind.EngineerTime && pledge.HourlyValuationMinor > 0)
        {
            text += $"; valued at {Amount(new Money(pledge.HourlyValuationMinor, pledge.Currency))} an hour";
        }
        if (pledge.Kind == PledgeKind.Money)
        {
            text += $"; paid by {Method(pledge.PaymentMethod)}"
                + (pledge.PaymentTiming == PaymentTiming.OnCompletion ? " on completion of the task" : "");
        }
        return text;
    }

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Percent(double? rate) => rate is { } r ? Math.Round(r * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%" : "nothing due yet";

    public static string Percent(decimal? rate) => Percent(rate is { } r ? (double?)(double)r : null);
}
