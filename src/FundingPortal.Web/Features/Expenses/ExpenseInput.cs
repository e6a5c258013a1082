namespace FundingPortal.Web.Features.Expenses;

/// <summary>The expense form as typed.</summary>
public sealed class ExpenseInput
{
    public const int VendorMaxLength = 200;

    public const int DescriptionMaxLength = 2000;

    public string Vendor { get; set; } = "";

    public string Description { get; set; } = "";

    public Core.Domain.ExpenseCategory Category { get; set; } = Core.Domain.ExpenseCategory.CiCredits;

    public string Amount { get; set; } = "";

    public string Currency { get; set; } = "USD";

    public DateTime? IncurredOn { get; set; }

    public int? FundId { get; set; }

    public int? CiProviderId { get; set; }

    public DateTime? BillingMonth { get; set; }
}

/// <summary>A receipt as it arrives from the browser (or a test): the name it had, the size it claims, and its bytes.</summary>
public sealed record ReceiptUpload(string FileName, long Size, Stream Content);
