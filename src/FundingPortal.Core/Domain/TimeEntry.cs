namespace FundingPortal.Core.Domain;

public enum ConfirmationStatus
{
    Submitted,
    Confirmed,
    Rejected,
}

/// <summary>Hours a sponsor says its engineer delivered against an engineer-time pledge; counted once a reviewer confirms.</summary>
public class TimeEntry : IVersioned
{
    public const long MaxMinutesPerEntry = 24 * 60;

    public const int EngineerMaxLength = 120;

    public const int DescriptionMaxLength = 2000;

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

    public DateTime LoggedAt { get; private set; }

    public string? ReviewedByUserId { get; private set; }

    public DateTime? ReviewedAt { get; private set; }

    public string? RejectionReason { get; private set; }

    public int Version { get; set; }

    public Hours Hours => new(Minutes);

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
        if (pledge.InstallmentFor(date) is not { } installment)
        {
            return Result<TimeEntry>.Conflict("This pledge has no period that hours can be logged against (it is not accepted, or was stopped).");
        }
        return Result<TimeEntry>.Ok(new TimeEntry
        {
            PledgeId = pledge.Id,
            InstallmentId = installment.Id,
            Date = date,
            Engineer = engineer.Trim(),
            Minutes = hours.Minutes,
            Description = description.Trim(),
            LoggedByUserId = userId,
            LoggedAt = now,
            Status = ConfirmationStatus.Submitted,
        });
    }

    /// <summary>A reviewer other than the one who logged the hours confirms them; they then count against the installment.</summary>
    public Result<TimeEntry> Confirm(Installment installment, string reviewerId, DateTime now)
    {
        if (Check(reviewerId, installment) is { } problem)
        {
            return problem;
        }
        var counted = installment.RecordHours(Hours);
        if (!counted.Succeeded)
        {
            return Result<TimeEntry>.From(counted.Problem!);
        }
        Review(ConfirmationStatus.Confirmed, reviewerId, null, now);
        return Result<TimeEntry>.Ok(this);
    }

    public Result<TimeEntry> Reject(string reviewerId, string? reason, DateTime now)
    {
        if (Check(reviewerId, null) is { } problem)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Result<TimeEntry>.Invalid("reason", "Tell the sponsor why these hours are not accepted.");
        }
        Review(ConfirmationStatus.Rejected, reviewerId, reason.Trim(), now);
        return Result<TimeEntry>.Ok(this);
    }

    private Result<TimeEntry>? Check(string reviewerId, Installment? installment)
    {
        if (Status != ConfirmationStatus.Submitted)
        {
            return Result<TimeEntry>.Conflict($"These hours were already {Status.ToString().ToLowerInvariant()}.");
        }
        if (reviewerId == LoggedByUserId)
        {
            return Result<TimeEntry>.Forbidden("Another reviewer must check hours you logged yourself.");
        }
        if (installment is not null && installment.Id != InstallmentId)
        {
            throw new InvalidOperationException("Hours are confirmed against the installment they were logged on.");
        }
        return null;
    }

    private void Review(ConfirmationStatus status, string reviewerId, string? reason, DateTime now)
    {
        Status = status;
        ReviewedByUserId = reviewerId;
        RejectionReason = reason;
        ReviewedAt = now;
    }
}

/// <summary>Infrastructure delivered in kind (credits granted, runners online) for a period, counted at its stated value once a reviewer confirms.</summary>
public class InKindDelivery : IVersioned
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

    public string? RecordedByUserId { get; private set; }

    public string? ConfirmedByUserId { get; private set; }

    public DateTime? ReviewedAt { get; private set; }

    public string? RejectionReason { get; private set; }

    public int Version { get; set; }

    public Money Value => new(ValueMinor, Currency);

    public static Result<InKindDelivery> Record(Pledge pledge, DateOnly on, string? description, Money value, string userId, DateOnly today)
    {
        if (pledge.Kind != PledgeKind.Infrastructure)
        {
            return Result<InKindDelivery>.Invalid("pledge", "Deliveries are recorded against an infrastructure pledge.");
        }
        if (value.Currency != pledge.Currency)
        {
            return Result<InKindDelivery>.Invalid("value", $"State the value in the pledge's currency, {pledge.Currency}.");
        }
        if (value.MinorUnits <= 0)
        {
            return Result<InKindDelivery>.Invalid("value", "The stated value must be more than zero.");
        }
        if (on > today || on < pledge.StartDate)
        {
            return Result<InKindDelivery>.Invalid("on", "The delivery date must be between the pledge's start and today.");
        }
        if (string.IsNullOrWhiteSpace(description) || description.Trim().Length > TimeEntry.DescriptionMaxLength)
        {
            return Result<InKindDelivery>.Invalid("description", "Say what was delivered (up to 2000 characters).");
        }
        if (pledge.InstallmentFor(on) is not { } installment)
        {
            return Result<InKindDelivery>.Conflict("This pledge has no period a delivery can count against (it is not accepted, or was stopped).");
        }
        return Result<InKindDelivery>.Ok(new InKindDelivery
        {
            PledgeId = pledge.Id,
            InstallmentId = installment.Id,
            DeliveredOn = on,
            Description = description.Trim(),
            ValueMinor = value.MinorUnits,
            Currency = value.Currency,
            RecordedByUserId = userId,
            Status = ConfirmationStatus.Submitted,
        });
    }

    public Result<InKindDelivery> Confirm(Installment installment, string reviewerId, DateTime now)
    {
        if (Status != ConfirmationStatus.Submitted)
        {
            return Result<InKindDelivery>.Conflict($"This delivery was already {Status.ToString().ToLowerInvariant()}.");
        }
        if (installment.Id != InstallmentId)
        {
            throw new InvalidOperationException("A delivery is confirmed against the installment it was recorded on.");
        }
        var counted = installment.RecordReceived(ValueMinor);
        if (!counted.Succeeded)
        {
            return Result<InKindDelivery>.From(counted.Problem!);
        }
        Status = ConfirmationStatus.Confirmed;
        ConfirmedByUserId = reviewerId;
        ReviewedAt = now;
        return Result<InKindDelivery>.Ok(this);
    }

    public Result<InKindDelivery> Reject(string reviewerId, string? reason, DateTime now)
    {
        if (Status != ConfirmationStatus.Submitted)
        {
            return Result<InKindDelivery>.Conflict($"This delivery was already {Status.ToString().ToLowerInvariant()}.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Result<InKindDelivery>.Invalid("reason", "Say why the delivery is not accepted.");
        }
        Status = ConfirmationStatus.Rejected;
        ConfirmedByUserId = reviewerId;
        ReviewedAt = now;
        RejectionReason = reason.Trim();
        return Result<InKindDelivery>.Ok(this);
    }
}
