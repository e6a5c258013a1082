namespace FundingPortal.Core.Domain;

/// <summary>
/// What each money event books on the ledger. Every posting is in the base currency and keeps the original amount and rate;
/// money in is positive, money out negative; a transfer's two legs cancel out.
/// </summary>
public static class Ledger
{
    public static LedgerPosting Contribution(Payment payment, string description, DateTime recordedAt, string? userId) =>
        new(payment.FundId, LedgerEntryKind.Contribution, payment.BaseAmount, payment.Amount, payment.ExchangeRate, description,
            payment.ReceivedAt, recordedAt, userId, payment.OrganisationId, payment.Id);

    /// <summary>The processor's fee on a payment, already in the base currency.</summary>
    public static LedgerPosting Fee(Payment payment, Money feeInBase, string description, DateTime recordedAt, string? userId) =>
        new(payment.FundId, LedgerEntryKind.Fee, -feeInBase, -feeInBase, 1m, description, payment.ReceivedAt, recordedAt, userId,
            payment.OrganisationId, payment.Id);

    public static LedgerPosting Refund(Payment payment, Refund refund, Money refundInBase, string description, DateTime recordedAt, string? userId) =>
        new(payment.FundId, LedgerEntryKind.Refund, -refundInBase, -refund.Amount, payment.ExchangeRate, description, refund.RefundedAt, recordedAt,
            userId, payment.OrganisationId, payment.Id, refund.Id);

    public static LedgerPosting ExpensePaid(Expense expense, Money paidInBase, decimal rate, DateTime recordedAt, string? userId) =>
        new(expense.FundId, LedgerEntryKind.Expense, -paidInBase, -expense.Amount, rate, $"{expense.Vendor}: {expense.Description}",
            expense.PaidAt ?? recordedAt, recordedAt, userId, ExpenseId: expense.Id);

    /// <summary>Both legs of moving base-currency money from one fund to another, sharing one transfer id.</summary>
    public static (LedgerPosting Out, LedgerPosting In) Transfer(int fromFundId, int toFundId, Money amount, string reason, DateTime now, string userId)
    {
        if (fromFundId == toFundId)
        {
            throw new ArgumentException("A transfer moves money between two different funds.", nameof(toFundId));
        }
        if (amount.MinorUnits <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "A transfer moves a positive amount.");
        }
        var id = Guid.NewGuid();
        return (
            new LedgerPosting(fromFundId, LedgerEntryKind.Transfer, -amount, -amount, 1m, reason, now, now, userId, TransferId: id),
            new LedgerPosting(toFundId, LedgerEntryKind.Transfer, amount, amount, 1m, reason, now, now, userId, TransferId: id));
    }
}
