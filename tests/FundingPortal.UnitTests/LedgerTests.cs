using FsCheck;
using FsCheck.Xunit;

using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

public class LedgerTests
{
    private static readonly DateTime Now = new(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly int[] Funds = [1, 2, 3];

    /// <summary>
    /// Whatever happens — contributions in other currencies, fees, refunds, expenses, transfers — the funds together hold exactly what
    /// came in minus what went out, transfers move nothing in total, and reversing every entry brings every fund back to zero.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool The_ledger_always_balances((byte Kind, PositiveInt Amount, byte From, byte To)[] operations)
    {
        var entries = new List<LedgerPosting>();
        long cameIn = 0, wentOut = 0;
        foreach (var (kind, amount, from, to) in operations)
        {
            var fund = Funds[from % 3];
            var other = Funds[to % 3];
            var value = new Money(amount.Get, "USD");
            switch (kind % 5)
            {
                case 0:
                    var payment = PaymentOf(new Money(amount.Get, "EUR"), fund, 1.0875m);
                    entries.Add(Ledger.Contribution(payment, "Contribution", Now, "reviewer"));
                    cameIn += payment.BaseAmountMinor;
                    break;
                case 1:
                    var paid = PaymentOf(value, fund, 1m);
                    var fee = new Money(Math.Max(1, amount.Get / 30), "USD");
                    entries.Add(Ledger.Contribution(paid, "Card", Now, null));
                    entries.Add(Ledger.Fee(paid, fee, "Processing fee", Now, null));
                    cameIn += paid.BaseAmountMinor;
                    wentOut += fee.MinorUnits;
                    break;
                case 2:
                    var refunded = PaymentOf(value, fund, 1m);
                    var refund = Refund.Create(refunded.Id, new Money(Math.Max(1, amount.Get / 2), "USD"), null, "Duplicate", Now);
                    entries.Add(Ledger.Contribution(refunded, "Card", Now, null));
                    entries.Add(Ledger.Refund(refunded, refund, refund.Amount, "Refund", Now, "reviewer"));
                    cameIn += refunded.BaseAmountMinor;
                    wentOut += refund.AmountMinor;
                    break;
                case 3:
                    var expense = Expense.Submit(fund, "CircleCI", "Credits", ExpenseCategory.CiCredits, value, new DateOnly(2026, 4, 1), "alice", Now);
                    expense.Approve("bob", Now);
                    expense.MarkPaid("bob", Now);
                    entries.Add(Ledger.ExpensePaid(expense, value, 1m, Now, "bob"));
                    wentOut += value.MinorUnits;
                    break;
                default:
                    if (fund != other)
                    {
                        var (legOut, legIn) = Ledger.Transfer(fund, other, value, "Rebalance", Now, "admin");
                        entries.Add(legOut);
                        entries.Add(legIn);
                    }
                    break;
            }
        }
        var booked = entries.Select(LedgerEntry.Book).ToList();
        var reversed = booked.Select(e => e.Reverse("Correction", "admin", Now)).ToList();

        var transfersNetZero = booked.Where(e => e.Kind == LedgerEntryKind.Transfer).Sum(e => e.AmountMinor) == 0;
        var totalIsInMinusOut = booked.Sum(e => e.AmountMinor) == cameIn - wentOut;
        var everyFundBackToZero = Funds.All(f => booked.Concat(reversed).Where(e => e.FundId == f).Sum(e => e.AmountMinor) == 0);
        var allInBaseCurrency = booked.All(e => e.Currency == "USD");
        return transfersNetZero && totalIsInMinusOut && everyFundBackToZero && allInBaseCurrency;
    }

    [Fact]
    public void A_contribution_keeps_the_original_amount_currency_and_rate()
    {
        var payment = PaymentOf(new Money(100_000, "EUR"), 1, 1.0875m);

        var entry = LedgerEntry.Book(Ledger.Contribution(payment, "Contribution from Acme", Now, "reviewer"));

        Assert.Equal((108_750L, "USD", 100_000L, "EUR", 1.0875m), (entry.AmountMinor, entry.Currency, entry.OriginalAmountMinor, entry.OriginalCurrency, entry.ExchangeRate));
        Assert.Equal(payment.OrganisationId, entry.CounterpartyOrganisationId);
    }

    [Fact]
    public void A_transfer_needs_two_different_funds_and_a_positive_amount()
    {
        Assert.Throws<ArgumentException>(() => Ledger.Transfer(1, 1, new Money(5, "USD"), "x", Now, "admin"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ledger.Transfer(1, 2, new Money(0, "USD"), "x", Now, "admin"));
    }

    [Theory]
    [InlineData(100_000, "EUR", "1.0875", "USD", 108_750)]
    [InlineData(1_000, "JPY", "0.0067", "USD", 670)]
    [InlineData(1_005, "USD", "151.333", "JPY", 1_521)]
    [InlineData(5, "USD", "0.5", "EUR", 3)]
    [InlineData(1_000, "KWD", "3.25", "USD", 325)]
    public void Converting_rounds_half_away_from_zero_to_the_target_minor_unit(long minor, string from, string rate, string to, long expected)
    {
        var converted = new Money(minor, from).ConvertTo(to, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new Money(expected, to), converted.Value);
    }

    [Theory]
    [InlineData("USD", "USD", "1.1")]
    [InlineData("EUR", "USD", "0")]
    [InlineData("EUR", "USD", "-1")]
    [InlineData("EUR", "USD", "2000000")]
    public void A_rate_that_cannot_be_right_is_refused(string from, string to, string rate)
    {
        var converted = new Money(100, from).ConvertTo(to, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("rate", converted.Problem!.Field);
    }

    private static Payment PaymentOf(Money amount, int fundId, decimal rate) =>
        Payment.Record(new PaymentReceipt(7, null, null, fundId, PaymentChannel.BankTransfer, amount, amount.ConvertTo("USD", rate).Value,
            rate, Now, "REF-1", null, "reviewer"));
}
