namespace FundingPortal.Core.Domain;

public enum PaymentChannel
{
    Stripe,
    BankTransfer,
    Invoice,
}

public enum PaymentStatus
{
    Received,
    Refunded,
    PartiallyRefunded,

    /// <summary>Amount or currency did not match the pledge; a reviewer must look.</summary>
    Flagged,

    /// <summary>Recorded by mistake and taken back: its ledger lines are reversed and its installment reopened.</summary>
    Voided,
}

/// <summary>
/// Money actually received, in its original currency and converted to the base currency at a recorded rate.
/// External ids (Stripe payment intent, invoice, session; a bank reference) are unique, so nothing is booked twice.
/// </summary>
public class Payment : IVersioned
{
    private Payment()
    {
    }

    public int Id { get; private set; }

    public int OrganisationId { get; private set; }

    public int? PledgeId { get; private set; }

    public int? InstallmentId { get; private set; }

    public int FundId { get; private set; }

    public PaymentChannel Channel { get; private set; }

    public PaymentStatus Status { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public long BaseAmountMinor { get; private set; }

    public string BaseCurrency { get; private set; } = "";

    /// <summary>Base currency units per one unit of <see cref="Currency"/>.</summary>
    public decimal ExchangeRate { get; private set; }

    public long FeeBaseMinor { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public string? Reference { get; private set; }

    public string? ExternalId { get; private set; }

    public string? StripeCheckoutSessionId { get; private set; }

    public string? StripePaymentIntentId { get; private set; }

    public string? StripeInvoiceId { get; private set; }

    public string? RecordedByUserId { get; private set; }

    public int Version { get; set; }

    public Money Amount => new(AmountMinor, Currency);

    public Money BaseAmount => new(BaseAmountMinor, BaseCurrency);

    public static Payment Record(PaymentReceipt receipt) => new()
    {
        OrganisationId = receipt.OrganisationId,
        PledgeId = receipt.PledgeId,
        InstallmentId = receipt.InstallmentId,
        FundId = receipt.FundId,
        Channel = receipt.Channel,
        Status = PaymentStatus.Received,
        AmountMinor = receipt.Amount.MinorUnits,
        Currency = receipt.Amount.Currency,
        BaseAmountMinor = receipt.BaseAmount.MinorUnits,
        BaseCurrency = receipt.BaseAmount.Currency,
        ExchangeRate = receipt.ExchangeRate,
        FeeBaseMinor = receipt.FeeBaseMinor,
        ReceivedAt = receipt.ReceivedAt,
        Reference = receipt.Reference,
        ExternalId = receipt.ExternalId,
        StripeCheckoutSessionId = receipt.StripeCheckoutSessionId,
        StripePaymentIntentId = receipt.StripePaymentIntentId,
        StripeInvoiceId = receipt.StripeInvoiceId,
        RecordedByUserId = receipt.RecordedByUserId,
        OverpaidMinor = receipt.OverpaidMinor,
        OverpaymentReason = receipt.OverpaymentReason,
    };

    public string? FlagReason { get; private set; }

    /// <summary>How much more than the installment still asked this payment brought, accepted by the reviewer with a reason.</summary>
    public long OverpaidMinor { get; private set; }

    public string? OverpaymentReason { get; private set; }

    public string? VoidReason { get; private set; }

    public string? VoidedByUserId { get; private set; }

    public DateTime? VoidedAt { get; private set; }

    /// <summary>Whether the payment was counted against its installment when it was booked (a flagged one was not).</summary>
    public bool CountsTowardsInstallment => InstallmentId is not null && Status is not (PaymentStatus.Flagged or PaymentStatus.Voided);

    public void Flag(string reason)
    {
        Status = PaymentStatus.Flagged;
        FlagReason = reason;
    }

    /// <summary>
    /// Takes back a payment recorded by mistake. Someone other than the reviewer who recorded it must do it, with a reason; a card
    /// payment is real money and is corrected by a refund instead. The external id is released, so the right payment can be recorded
    /// under the same bank reference.
    /// </summary>
    public Result<Payment> Void(string? reason, string userId, DateTime now)
    {
        if (Status == PaymentStatus.Voided)
        {
            return Result<Payment>.Conflict("This payment was already voided.");
        }
        if (Channel == PaymentChannel.Stripe)
        {
            return Result<Payment>.Conflict("A card payment reached the account; give it back with a refund instead of voiding it.");
        }
        if (Status is PaymentStatus.Refunded or PaymentStatus.PartiallyRefunded)
        {
            return Result<Payment>.Conflict("Part of this payment was refunded; it can no longer be voided.");
        }
        if (RecordedByUserId == userId)
        {
            return Result<Payment>.Forbidden("Another reviewer must void a payment you recorded yourself.");
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > VoidReasonMaxLength)
        {
            return Result<Payment>.Invalid("reason", $"Say why the payment is voided (up to {VoidReasonMaxLength} characters).");
        }
        Status = PaymentStatus.Voided;
        VoidReason = reason.Trim();
        VoidedByUserId = userId;
        VoidedAt = now;
        ExternalId = null;
        return Result<Payment>.Ok(this);
    }

    public const int VoidReasonMaxLength = 1000;

    public void RecordRefund(long refundedSoFarMinor) =>
        Status = refundedSoFarMinor >= AmountMinor ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
}

/// <summary>The facts of one received payment, gathered before it is recorded.</summary>
public sealed record PaymentReceipt(
    int OrganisationId,
    int? PledgeId,
    int? InstallmentId,
    int FundId,
    PaymentChannel Channel,
    Money Amount,
    Money BaseAmount,
    decimal ExchangeRate,
    DateTime ReceivedAt,
    string? Reference,
    string? ExternalId,
    string? RecordedByUserId,
    long FeeBaseMinor = 0,
    string? StripeCheckoutSessionId = null,
    string? StripePaymentIntentId = null,
    string? StripeInvoiceId = null,
    long OverpaidMinor = 0,
    string? OverpaymentReason = null);

/// <summary>Money given back on a payment, in part or in full. The refund id is unique so a replayed refund books nothing.</summary>
public class Refund
{
    private Refund()
    {
    }

    public int Id { get; private set; }

    public int PaymentId { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public string? ExternalId { get; private set; }

    public string? Reason { get; private set; }

    public DateTime RefundedAt { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public static Refund Create(int paymentId, Money amount, string? externalId, string? reason, DateTime at) => new()
    {
        PaymentId = paymentId,
        AmountMinor = amount.MinorUnits,
        Currency = amount.Currency,
        ExternalId = externalId,
        Reason = reason,
        RefundedAt = at,
    };
}

/// <summary>A reviewer's request to give money back through Stripe. Its id makes the idempotency key; the refund itself is booked from Stripe's event.</summary>
public class RefundRequest
{
    public const int ReasonMaxLength = 500;

    private RefundRequest()
    {
    }

    public int Id { get; private set; }

    public int PaymentId { get; private set; }

    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public string Reason { get; private set; } = "";

    public string RequestedByUserId { get; private set; } = "";

    public DateTime RequestedAt { get; private set; }

    public string? StripeRefundId { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public string IdempotencyKey => $"refund:{Id}";

    public static RefundRequest Create(int paymentId, Money amount, string reason, string userId, DateTime now) => new()
    {
        PaymentId = paymentId,
        AmountMinor = amount.MinorUnits,
        Currency = amount.Currency,
        Reason = reason,
        RequestedByUserId = userId,
        RequestedAt = now,
    };

    public void Sent(string stripeRefundId) => StripeRefundId = stripeRefundId;
}
