using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;

namespace FundingPortal.UnitTests;

/// <summary>
/// The roll-up triggers' SQL is written from <see cref="RollupRules"/>; a member added to one of these enums and put on neither side
/// would be silently left out of (or counted in) the public figures, so it fails here first.
/// </summary>
public class RollupRulesTests
{
    [Fact]
    public void Every_ledger_kind_is_either_a_sponsors_money_or_not() =>
        AssertSplits(RollupRules.SponsorMoney, RollupRules.NotSponsorMoney);

    [Fact]
    public void Every_installment_status_is_either_in_the_honoured_rate_or_out() =>
        AssertSplits(RollupRules.InHonouredRate, RollupRules.OutsideHonouredRate);

    [Fact]
    public void Every_time_entry_status_either_counts_as_delivered_or_not() =>
        AssertSplits(RollupRules.DeliveredTime, RollupRules.NotDeliveredTime);

    [Fact]
    public void Every_pledge_status_is_either_accepted_or_not() =>
        AssertSplits(RollupRules.AcceptedPledge, RollupRules.NotAcceptedPledge);

    [Fact]
    public void Members_are_written_as_the_database_stores_them()
    {
        Assert.Equal("('Contribution', 'Refund')", RollupRules.Sql(RollupRules.SponsorMoney));
        Assert.Equal("'Reversal'", RollupRules.Sql(LedgerEntryKind.Reversal));
    }

    private static void AssertSplits<T>(IReadOnlyList<T> one, IReadOnlyList<T> other) where T : struct, Enum
    {
        var unclassified = Enum.GetValues<T>().Except(one).Except(other).ToList();
        Assert.True(unclassified.Count == 0,
            $"{typeof(T).Name}.{string.Join(", ", unclassified)} is on neither side in RollupRules: classify it, and recreate the roll-up triggers in a migration.");
        Assert.Empty(one.Intersect(other));
    }
}
