namespace FundingPortal.Core.Domain;

public enum ConfirmationStatus
{
    Submitted,
    Confirmed,
    Rejected,
}

/// <summary>Hours a sponsor says its engineer delivered against an engineer-time pledge; counted once a reviewer confirms.</summary>
public class TimeEntry
{
    public const long MaxMinutesPerEntry = 24 * 60;

    private TimeEntry()
    {
    }

    public int Id { get; private set; }

    public int PledgeId { get; private set; }

    public int? InstallmentId { get; private set; }

    public DateOnly Date { get; private set; }

    public string Engineer { get; private set; } = "";

    public long Minutes { get; private set; }

    public string Description { get; private set; } = "";

    public ConfirmationStatus Status { get; private set; }

    public string LoggedByUserId { get; private set; } = "";

    public string? ReviewedByUserId { get; private set; }

    public DateTime? ReviewedAt { get; private set; }

    public string? RejectionReason { get; private set; }

    public Hours Hours => new(Minutes);

    public static TimeEntry Log(int pledgeId, int? installmentId, DateOnly date, string engineer, Hours hours, string description, string userId) => new()
    {
        PledgeId = pledgeId,
        InstallmentId = installmentId,
        Date = date,
        Engineer = engineer,
        Minutes = hours.Minutes,
        Description = description,
        LoggedByUserId = userId,
        Status = ConfirmationStatus.Submitted,
    };

    public void Confirm(string reviewerId, DateTime now) => Review(ConfirmationStatus.Confirmed, reviewerId, null, now);

    public void Reject(string reviewerId, string reason, DateTime now) => Review(ConfirmationStatus.Rejected, reviewerId, reason, now);

    private void Review(ConfirmationStatus status, string reviewerId, string? reason, DateTime now)
    {
        Status = status;
        ReviewedByUserId = reviewerId;
        RejectionReason = reason;
        ReviewedAt = now;
    }
}

/// <summary>Infrastructure delivered in kind (credits granted, runners online) for a period, confirmed by a reviewer at its stated value.</summary>
public class InKindDelivery
{
    private InKindDelivery()
    {
    }

    public int Id { get; private set; }

    public int PledgeId { get; private set; }

    public int? InstallmentId { get; private set; }

    public DateOnly DeliveredOn { get; private set; }

    public string Description { get; private set; } = "";

    public long ValueMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public ConfirmationStatus Status { get; private set; }

    public string? ConfirmedByUserId { get; private set; }

    public static InKindDelivery Record(int pledgeId, int? installmentId, DateOnly on, string description, Money value) => new()
    {
        PledgeId = pledgeId,
        InstallmentId = installmentId,
        DeliveredOn = on,
        Description = description,
        ValueMinor = value.MinorUnits,
        Currency = value.Currency,
        Status = ConfirmationStatus.Submitted,
    };

    public void Confirm(string reviewerId)
    {
        Status = ConfirmationStatus.Confirmed;
        ConfirmedByUserId = reviewerId;
    }
}
