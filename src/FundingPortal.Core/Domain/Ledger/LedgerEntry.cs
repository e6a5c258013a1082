namespace FundingPortal.Core.Domain;

public enum LedgerEntryKind
{
    Contribution,
    Refund,
    Fee,
    Expense,
    Transfer,
    Reversal,
}

/// <summary>
/// One movement of money on a fund, in the base currency, keeping the original amount, currency and rate.
/// Append-only: the context refuses to update or delete one. A correction is a new entry that reverses an old one.
/// </summary>
public class LedgerEntry
{
    private LedgerEntry()
    {
    }

    public long Id { get; private set; }

    public int FundId { get; private set; }

    public LedgerEntryKind Kind { get; private set; }

    /// <summary>Signed: money in is positive, money out negative.</summary>
    public long AmountMinor { get; private set; }

    public string Currency { get; private set; } = "";

    public long OriginalAmountMinor { get; private set; }

    public string OriginalCurrency { get; private set; } = "";

    public decimal ExchangeRate { get; private set; }

    public string Description { get; private set; } = "";

    public int? CounterpartyOrganisationId { get; private set; }

    public int? PaymentId { get; private set; }

    public int? RefundId { get; private set; }

    public int? ExpenseId { get; private set; }

    /// <summary>Both legs of a transfer between funds share this id.</summary>
    public Guid? TransferId { get; private set; }

    public long? ReversesEntryId { get; private set; }

    public DateTime OccurredAt { get; private set; }

    public DateTime RecordedAt { get; private set; }

    public string? RecordedByUserId { get; private set; }

    /// <summary>The public sees this line's amount but not who it came from or went to (an admin's choice, for privacy).</summary>
    public bool CounterpartyHidden { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    public void HideCounterparty(bool hidden) => CounterpartyHidden = hidden;

    public static LedgerEntry Book(LedgerPosting posting) => new()
    {
        FundId = posting.FundId,
        Kind = posting.Kind,
        AmountMinor = posting.Amount.MinorUnits,
        Currency = posting.Amount.Currency,
        OriginalAmountMinor = posting.Original.MinorUnits,
        OriginalCurrency = posting.Original.Currency,
        ExchangeRate = posting.ExchangeRate,
        Description = posting.Description,
        CounterpartyOrganisationId = posting.CounterpartyOrganisationId,
        PaymentId = posting.PaymentId,
        RefundId = posting.RefundId,
        ExpenseId = posting.ExpenseId,
        TransferId = posting.TransferId,
        OccurredAt = posting.OccurredAt,
        RecordedAt = posting.RecordedAt,
        RecordedByUserId = posting.RecordedByUserId,
    };

    /// <summary>The entry that cancels this one out; nothing about this entry changes.</summary>
    public LedgerEntry Reverse(string reason, string? userId, DateTime now) => new()
    {
        FundId = FundId,
        Kind = LedgerEntryKind.Reversal,
        AmountMinor = checked(-AmountMinor),
        Currency = Currency,
        OriginalAmountMinor = checked(-OriginalAmountMinor),
        OriginalCurrency = OriginalCurrency,
        ExchangeRate = ExchangeRate,
        Description = reason,
        CounterpartyOrganisationId = CounterpartyOrganisationId,
        PaymentId = PaymentId,
        RefundId = RefundId,
        ExpenseId = ExpenseId,
        ReversesEntryId = Id,
        OccurredAt = now,
        RecordedAt = now,
        RecordedByUserId = userId,
    };
}

/// <summary>What to book on the ledger; <see cref="Amount"/> is in the base currency and signed.</summary>
public sealed record LedgerPosting(
    int FundId,
    LedgerEntryKind Kind,
    Money Amount,
    Money Original,
    decimal ExchangeRate,
    string Description,
    DateTime OccurredAt,
    DateTime RecordedAt,
    string? RecordedByUserId,
    int? CounterpartyOrganisationId = null,
    int? PaymentId = null,
    int? RefundId = null,
    int? ExpenseId = null,
    Guid? TransferId = null);
