namespace FundingPortal.Core.Domain;

public enum InstallmentStatus
{
    Scheduled,
    PartiallyFulfilled,
    Fulfilled,
    Failed,
    Forgiven,
    Cancelled,

    /// <summary>Held back while its pledge is paused; one whose date passes during the pause is skipped for good.</summary>
    Paused,
}

/// <summary>What a pledge promises for one period: an amount of money (or stated value) or a number of hours, due by a date.</summary>
public class Installment : IVersioned
{
    public const int NoteMaxLength = 2000;

    /// <summary>The longest a reviewer can put off following up one installment.</summary>
    public const int MaxSnoozeDays = 90;

    private Installment()
    {
        Currency = "";
    }

    internal Installment(int sequence, PledgePeriod period, DateOnly dueDate, long amountDueMinor, string currency, long hoursDueMinutes)
    {
        Sequence = sequence;
        PeriodStart = period.Start;
        PeriodEnd = period.End;
        DueDate = dueDate;
        AmountDueMinor = amountDueMinor;
        Currency = currency;
        HoursDueMinutes = hoursDueMinutes;
    }

    public int Id { get; private set; }

    public int PledgeId { get; private set; }

    public Pledge? Pledge { get; private set; }

    public int Sequence { get; private set; }

    /// <summary>First day of the period this installment covers; the due date is its first day (money) or last day (hours, infrastructure).</summary>
    public DateOnly PeriodStart { get; private set; }

    public DateOnly PeriodEnd { get; private set; }

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

    public string? ForgivenByUserId { get; private set; }

    public DateTime? ForgivenAt { get; private set; }

    public int Version { get; set; }

    public PledgePeriod Period => new(PeriodStart, PeriodEnd);

    /// <summary>What is due in the installment's own unit: minutes for engineer time, minor units otherwise.</summary>
    public long DueUnits => HoursDueMinutes > 0 ? HoursDueMinutes : AmountDueMinor;

    public long DeliveredUnits => HoursDueMinutes > 0 ? HoursDeliveredMinutes : AmountReceivedMinor;

    public long OutstandingUnits => Math.Max(0, DueUnits - DeliveredUnits);

    /// <summary>Still waiting for (some of) what it asked.</summary>
    public bool IsOpen => Status is InstallmentStatus.Scheduled or InstallmentStatus.PartiallyFulfilled or InstallmentStatus.Failed;

    public bool IsOverdue(DateOnly today) => DueDate < today && IsOpen;

    /// <summary>Due today or earlier, still open, and not put off by a reviewer: the follow-up list and reminders show it.</summary>
    public bool NeedsFollowUp(DateOnly today) => DueDate <= today && IsOpen && !(SnoozedUntil > today);

    public int DaysOverdue(DateOnly today) => Math.Max(0, today.DayNumber - DueDate.DayNumber);

    /// <summary>Counts money (or the stated value of infrastructure) delivered against this installment; the payment's own row keeps the details.</summary>
    public Result<Installment> RecordReceived(Money amount) =>
        amount.Currency != Currency
            ? Result<Installment>.Invalid("amount", $"This installment is counted in {Currency}; {amount} cannot count against it.")
            : Deliver(amount.MinorUnits, () => AmountReceivedMinor = checked(AmountReceivedMinor + amount.MinorUnits));

    /// <summary>Takes back money counted by mistake (a voided payment): the installment is open again for what it still asks.</summary>
    public void TakeBackReceived(long amountMinor)
    {
        AmountReceivedMinor = Math.Max(0, checked(AmountReceivedMinor - amountMinor));
        if (Status is InstallmentStatus.Fulfilled or InstallmentStatus.PartiallyFulfilled)
        {
            Status = DeliveredUnits >= DueUnits ? InstallmentStatus.Fulfilled
                : DeliveredUnits > 0 ? InstallmentStatus.PartiallyFulfilled
                : InstallmentStatus.Scheduled;
        }
    }

    public Result<Installment> RecordHours(Hours delivered) => Deliver(delivered.Minutes, () => HoursDeliveredMinutes = checked(HoursDeliveredMinutes + delivered.Minutes));

    public void MarkFailed()
    {
        if (IsOpen)
        {
            Status = InstallmentStatus.Failed;
        }
    }

    /// <summary>Stops chasing the shortfall of an installment that is due; what was delivered still counts.</summary>
    public Result<Installment> Forgive(string reason, string userId, DateOnly today, DateTime now)
    {
        if (!IsOpen)
        {
            return Result<Installment>.Conflict($"Only an installment still waiting for delivery can be forgiven; this one is {Status}.");
        }
        if (DueDate > today)
        {
            return Result<Installment>.Invalid("reason", "This installment is not due yet; only a shortfall can be forgiven.");
        }
        if (Required(reason, "reason", "Say why the shortfall is forgiven.") is { } problem)
        {
            return problem;
        }
        Status = InstallmentStatus.Forgiven;
        ForgivenReason = reason.Trim();
        ForgivenByUserId = userId;
        ForgivenAt = now;
        return Result<Installment>.Ok(this);
    }

    /// <summary>Puts off the follow-up (reminders and the list) until a date, with an optional note.</summary>
    public Result<Installment> Snooze(DateOnly until, string? note, DateOnly today)
    {
        if (!IsOpen)
        {
            return Result<Installment>.Conflict($"Only an installment still waiting for delivery can be snoozed; this one is {Status}.");
        }
        if (until <= today || until > today.AddDays(MaxSnoozeDays))
        {
            return Result<Installment>.Invalid("until", $"Snooze until a day after today and at most {MaxSnoozeDays} days ahead.");
        }
        if (note is { Length: > NoteMaxLength })
        {
            return Result<Installment>.Invalid("note", $"Keep the note under {NoteMaxLength} characters.");
        }
        SnoozedUntil = until;
        if (!string.IsNullOrWhiteSpace(note))
        {
            FollowUpNote = note.Trim();
        }
        return Result<Installment>.Ok(this);
    }

    public Result<Installment> WriteNote(string note)
    {
        if (Required(note, "note", "Write a note first.") is { } problem)
        {
            return problem;
        }
        if (note.Length > NoteMaxLength)
        {
            return Result<Installment>.Invalid("note", $"Keep the note under {NoteMaxLength} characters.");
        }
        FollowUpNote = note.Trim();
        return Result<Installment>.Ok(this);
    }

    internal void Cancel()
    {
        if (Status is InstallmentStatus.Scheduled or InstallmentStatus.Failed or InstallmentStatus.Paused)
        {
            Status = InstallmentStatus.Cancelled;
        }
    }

    internal void Hold()
    {
        if (Status == InstallmentStatus.Scheduled)
        {
            Status = InstallmentStatus.Paused;
        }
    }

    internal void Release()
    {
        if (Status == InstallmentStatus.Paused)
        {
            Status = InstallmentStatus.Scheduled;
        }
    }

    private Result<Installment> Deliver(long units, Action add)
    {
        if (units <= 0)
        {
            return Result<Installment>.Invalid("amount", "What is delivered must be more than zero.");
        }
        if (Status is InstallmentStatus.Cancelled or InstallmentStatus.Paused)
        {
            return Result<Installment>.Conflict($"Nothing can be delivered against an installment that is {Status}.");
        }
        add();
        if (DeliveredUnits >= DueUnits)
        {
            Status = InstallmentStatus.Fulfilled;
        }
        else if (Status != InstallmentStatus.Forgiven)
        {
            Status = InstallmentStatus.PartiallyFulfilled;
        }
        return Result<Installment>.Ok(this);
    }

    private static Result<Installment>? Required(string? text, string field, string message) =>
        string.IsNullOrWhiteSpace(text) ? Result<Installment>.Invalid(field, message) : null;
}
