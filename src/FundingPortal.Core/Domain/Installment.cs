namespace FundingPortal.Core.Domain;

public enum InstallmentStatus
{
    Scheduled,
    PartiallyFulfilled,
    Fulfilled,
    Failed,
    Forgiven,
    Cancelled,
}

/// <summary>What a pledge promises by a date: an amount of money (or stated value) or a number of hours.</summary>
public class Installment : IVersioned
{
    internal Installment(int sequence, DateOnly dueDate, long amountDueMinor, string currency, long hoursDueMinutes)
    {
        Sequence = sequence;
        DueDate = dueDate;
        AmountDueMinor = amountDueMinor;
        Currency = currency;
        HoursDueMinutes = hoursDueMinutes;
    }

    public int Id { get; private set; }

    public int PledgeId { get; private set; }

    public Pledge? Pledge { get; private set; }

    public int Sequence { get; private set; }

    public DateOnly DueDate { get; private set; }

    public long AmountDueMinor { get; private set; }

    public string Currency { get; private set; }

    public long HoursDueMinutes { get; private set; }

    public long AmountReceivedMinor { get; private set; }

    public long HoursDeliveredMinutes { get; private set; }

    public InstallmentStatus Status { get; private set; }

    public DateOnly? SnoozedUntil { get; private set; }

    public string? FollowUpNote { get; private set; }

    public string? ForgivenReason { get; private set; }

    public int Version { get; set; }

    public bool IsOverdue(DateOnly today) =>
        DueDate < today && Status is InstallmentStatus.Scheduled or InstallmentStatus.PartiallyFulfilled or InstallmentStatus.Failed;

    /// <summary>Counts money received against this installment; the payment's own row keeps the details.</summary>
    public void RecordReceived(long amountMinor)
    {
        AmountReceivedMinor = checked(AmountReceivedMinor + amountMinor);
        Status = AmountReceivedMinor >= AmountDueMinor ? InstallmentStatus.Fulfilled : InstallmentStatus.PartiallyFulfilled;
    }

    public void RecordHours(Hours delivered)
    {
        HoursDeliveredMinutes = checked(HoursDeliveredMinutes + delivered.Minutes);
        Status = HoursDeliveredMinutes >= HoursDueMinutes ? InstallmentStatus.Fulfilled : InstallmentStatus.PartiallyFulfilled;
    }

    public void MarkFailed() => Status = InstallmentStatus.Failed;

    public void Forgive(string reason)
    {
        Status = InstallmentStatus.Forgiven;
        ForgivenReason = reason;
    }

    public void Snooze(DateOnly until, string? note)
    {
        SnoozedUntil = until;
        FollowUpNote = note;
    }

    internal void Cancel()
    {
        if (Status is InstallmentStatus.Scheduled or InstallmentStatus.Failed)
        {
            Status = InstallmentStatus.Cancelled;
        }
    }
}
