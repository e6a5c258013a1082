namespace FundingPortal.Core.Domain;

/// <summary>Hours a sponsor says its engineer delivered against an engineer-time pledge; counted once a reviewer confirms.</summary>
public class TimeEntry : DeliveredInKind<TimeEntry>
{
    public const long MaxMinutesPerEntry = 24 * 60;

    public const int EngineerMaxLength = 120;

    private TimeEntry()
    {
    }

    public DateOnly Date { get; private set; }

    public string Engineer { get; private set; } = "";

    public long Minutes { get; private set; }

    public DateTime RecordedAt { get; private set; }

    public Hours Hours => new(Minutes);

    private static readonly ReviewRules HoursReview = new("These hours were", "Another reviewer must check hours you logged yourself.",
        "Tell the sponsor why these hours are not accepted.", "Hours are confirmed against the installment they were logged on.");

    /// <summary>Logs hours against the installment whose period holds the day. The pledge must be an accepted engineer-time pledge.</summary>
    public static Result<TimeEntry> Log(Pledge pledge, DateOnly date, string? engineer, Hours hours, string? description, string userId, DateOnly today, DateTime now)
    {
        if (pledge.Kind != PledgeKind.EngineerTime)
        {
            return Result<TimeEntry>.Invalid("pledge", "Hours can only be logged against an engineer-time pledge.");
        }
        if (hours.Minutes <= 0 || hours.Minutes > MaxMinutesPerEntry)
        {
            return Result<TimeEntry>.Invalid("hours", "Enter more than 0 and at most 24 hours for one day.");
        }
        if (date > today)
        {
            return Result<TimeEntry>.Invalid("date", "Hours can only be logged once they are delivered, not for a future day.");
        }
        if (date < pledge.StartDate)
        {
            return Result<TimeEntry>.Invalid("date", $"The pledge starts on {pledge.StartDate:yyyy-MM-dd}; log hours from that day on.");
        }
        if (string.IsNullOrWhiteSpace(engineer) || engineer.Trim().Length > EngineerMaxLength)
        {
            return Result<TimeEntry>.Invalid("engineer", $"Name the engineer (up to {EngineerMaxLength} characters).");
        }
        if (string.IsNullOrWhiteSpace(description) || description.Trim().Length > DescriptionMaxLength)
        {
            return Result<TimeEntry>.Invalid("description", $"Say what was done (up to {DescriptionMaxLength} characters).");
        }
        return Recorded(new TimeEntry { Date = date, Engineer = engineer.Trim(), Minutes = hours.Minutes, RecordedAt = now }, pledge, date, description,
            userId, "This pledge has no period that hours can be logged against (it is not accepted, or was stopped).");
    }

    protected override ReviewRules Rules => HoursReview;

    protected override Result<Installment> CountOn(Installment installment) => installment.RecordHours(Hours);
}
