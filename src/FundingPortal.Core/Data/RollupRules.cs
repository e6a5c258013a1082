namespace FundingPortal.Core.Data;

/// <summary>
/// How the roll-ups classify enum members, in one definition (ADR 0009, ADR 0012): the migrations write the trigger SQL's lists
/// from these, the handlers read the roll-ups with them, and a test fails when a new member of one of these enums is on neither
/// side. The triggers hold the lists as they were when their migration ran, so changing a classification needs a migration that
/// recreates the triggers (a test compares the triggers in the database with these lists).
/// </summary>
public static class RollupRules
{
    /// <summary>Ledger kinds that are a sponsor's own money, given or given back: summed per sponsor in <c>SponsorMonths</c>.</summary>
    public static readonly IReadOnlyList<LedgerEntryKind> SponsorMoney = [LedgerEntryKind.Contribution, LedgerEntryKind.Refund];

    public static readonly IReadOnlyList<LedgerEntryKind> NotSponsorMoney =
        [LedgerEntryKind.Fee, LedgerEntryKind.Expense, LedgerEntryKind.Transfer, LedgerEntryKind.Reversal];

    /// <summary>Installment statuses left out of the honoured rate: nothing is (or was) owed.</summary>
    public static readonly IReadOnlyList<InstallmentStatus> OutsideHonouredRate = [InstallmentStatus.Cancelled, InstallmentStatus.Paused];

    public static readonly IReadOnlyList<InstallmentStatus> InHonouredRate =
        [InstallmentStatus.Scheduled, InstallmentStatus.PartiallyFulfilled, InstallmentStatus.Fulfilled, InstallmentStatus.Failed, InstallmentStatus.Forgiven];

    /// <summary>Time entry statuses whose minutes count as delivered in <c>TimeTotals</c>.</summary>
    public static readonly IReadOnlyList<ConfirmationStatus> DeliveredTime = [ConfirmationStatus.Confirmed];

    public static readonly IReadOnlyList<ConfirmationStatus> NotDeliveredTime = [ConfirmationStatus.Submitted, ConfirmationStatus.Rejected];

    /// <summary>Pledge statuses whose installments count as pledged when <c>InstallmentTotals</c> is read.</summary>
    public static IReadOnlyList<PledgeStatus> AcceptedPledge => Pledge.AcceptedStatuses;

    public static readonly IReadOnlyList<PledgeStatus> NotAcceptedPledge =
        [PledgeStatus.Submitted, PledgeStatus.ChangesRequested, PledgeStatus.Declined, PledgeStatus.Cancelled];

    /// <summary>A member as an SQL literal, spelled as the database stores enums (by name).</summary>
    public static string Sql<T>(T member) where T : struct, Enum => $"'{member}'";

    /// <summary>Members as an SQL list for <c>IN</c>: <c>('Contribution', 'Refund')</c>.</summary>
    public static string Sql<T>(IEnumerable<T> members) where T : struct, Enum => $"({string.Join(", ", members.Select(Sql))})";
}
