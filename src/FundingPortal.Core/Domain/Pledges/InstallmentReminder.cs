namespace FundingPortal.Core.Domain;

/// <summary>
/// A reminder email about one installment at one stage of its follow-up (0 when it falls due, then one per interval).
/// The pair is unique, so however many web instances run the follow-up job, each reminder is claimed — and sent — once.
/// </summary>
public class InstallmentReminder
{
    private InstallmentReminder()
    {
    }

    public long Id { get; private set; }

    public int InstallmentId { get; private set; }

    public int Stage { get; private set; }

    public string SentTo { get; private set; } = "";

    public DateTime SentAt { get; private set; }

    /// <summary>Which reminder is due for an installment <paramref name="daysOverdue"/> days past its date: 0 on the day, 1 after one interval…</summary>
    public static int StageFor(int daysOverdue, int intervalDays) => daysOverdue / intervalDays;

    public static InstallmentReminder Claim(int installmentId, int stage, string sentTo, DateTime now) => new()
    {
        InstallmentId = installmentId,
        Stage = stage,
        SentTo = sentTo,
        SentAt = now,
    };
}
