namespace FundingPortal.Web.Features.Payments;

/// <summary>What a reviewer types when a bank transfer or an invoice payment arrives.</summary>
public sealed class PaymentInput
{
    public const int ReferenceMaxLength = 200;

    /// <summary>The installment it counts against; empty means the earliest one still open.</summary>
    public int? InstallmentId { get; set; }

    public DateTime? ReceivedOn { get; set; }

    public string? Amount { get; set; }

    public string? Currency { get; set; }

    /// <summary>Base currency units per one unit of <see cref="Currency"/>; ignored (1) when it is the base currency.</summary>
    public string? Rate { get; set; }

    public string? Reference { get; set; }

    public PaymentChannel Channel { get; set; } = PaymentChannel.BankTransfer;

    /// <summary>The reviewer knowingly books more than the installment still asks.</summary>
    public bool Overpayment { get; set; }

    public string? OverpaymentReason { get; set; }
}
