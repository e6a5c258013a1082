namespace FundingPortal.Core.Domain;

public enum ExpenseStatus
{
    Submitted,
    Approved,
    Rejected,
    Paid,
}

public enum ExpenseCategory
{
    CiCredits,
    CiInvoice,
    BuildServer,
    Contractor,
    Other,
}

/// <summary>Money spent from a fund. Approved by a reviewer other than the one who submitted it; booked on the ledger when paid.</summary>
public class Expense : IVersioned
{
    private Expense()
    {
    }

    public int Id { get; private set; }

    public int FundId { get; private set; }

    public string Vendor { get; private set; } = "";

    public string Description { get; private set; } = "";

    public ExpenseCategory Category { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public DateOnly IncurredOn { get; private set; }

    /// <summary>For a CI invoice: the provider and the first day of the billed month.</summary>
    public int? CiProviderId { get; private set; }

    public DateOnly? BillingMonth { get; private set; }

    public string? ReceiptFileName { get; private set; }

    public string? ReceiptContentType { get; private set; }

    public string? ReceiptStoragePath { get; private set; }

    public ExpenseStatus Status { get; private set; }

    public string SubmittedByUserId { get; private set; } = "";

    public string? ApprovedByUserId { get; private set; }

    public string? RejectedByUserId { get; private set; }

    public DateTime? ReviewedAt { get; private set; }

    public string? RejectionReason { get; private set; }

    public string? PaidByUserId { get; private set; }

    public DateTime SubmittedAt { get; private set; }

    public DateTime? PaidAt { get; private set; }

    public int Version { get; set; }

    public Money Amount => new(AmountMinor, Currency);

    public static Expense Submit(int fundId, string vendor, string description, ExpenseCategory category, Money amount, DateOnly incurredOn, string userId, DateTime now) => new()
    {
        FundId = fundId,
        Vendor = vendor,
        Description = description,
        Category = category,
        AmountMinor = amount.MinorUnits,
        Currency = amount.Currency,
        IncurredOn = incurredOn,
        SubmittedByUserId = userId,
        SubmittedAt = now,
        Status = ExpenseStatus.Submitted,
    };

    public void LinkCiBill(int providerId, DateOnly month)
    {
        CiProviderId = providerId;
        BillingMonth = new DateOnly(month.Year, month.Month, 1);
    }

    public void AttachReceipt(string fileName, string contentType, string storagePath)
    {
        ReceiptFileName = fileName;
        ReceiptContentType = contentType;
        ReceiptStoragePath = storagePath;
    }

    public Result<Expense> Approve(string reviewerId, DateTime now)
    {
        if (CheckReview(reviewerId, "approved") is { } problem)
        {
            return problem;
        }
        Status = ExpenseStatus.Approved;
        ApprovedByUserId = reviewerId;
        ReviewedAt = now;
        return Result<Expense>.Ok(this);
    }

    public Result<Expense> Reject(string reviewerId, string? reason, DateTime now)
    {
        if (CheckReview(reviewerId, "rejected") is { } problem)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Result<Expense>.Invalid("reason", "Say why the expense is rejected.");
        }
        Status = ExpenseStatus.Rejected;
        RejectedByUserId = reviewerId;
        RejectionReason = reason.Trim();
        ReviewedAt = now;
        return Result<Expense>.Ok(this);
    }

    public Result<Expense> MarkPaid(string userId, DateTime now)
    {
        if (Status != ExpenseStatus.Approved)
        {
            return Result<Expense>.Conflict($"Only an approved expense can be paid; this one is {Status}.");
        }
        Status = ExpenseStatus.Paid;
        PaidByUserId = userId;
        PaidAt = now;
        return Result<Expense>.Ok(this);
    }

    private Result<Expense>? CheckReview(string reviewerId, string verb)
    {
        if (Status != ExpenseStatus.Submitted)
        {
            return Result<Expense>.Conflict($"Only a submitted expense can be {verb}; this one is {Status}.");
        }
        return reviewerId == SubmittedByUserId
            ? Result<Expense>.Forbidden($"Another reviewer must review an expense you submitted.")
            : null;
    }
}
