namespace FundingPortal.Web.Features.Ledger;

/// <summary>What an admin types to move money from one fund to another.</summary>
public sealed class TransferInput
{
    public const int ReasonMaxLength = 1000;

    public int? FromFundId { get; set; }

    public int? ToFundId { get; set; }

    public string Amount { get; set; } = "";

    public string Reason { get; set; } = "";
}
