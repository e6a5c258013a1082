namespace FundingPortal.Core.Domain;

/// <summary>
/// The ledger summed per fund, UTC month and kind. A database trigger adds every new ledger entry to its row in the same statement
/// that inserts the entry (the ledger is append-only, so inserts are the only change to follow); balances, monthly flows and task
/// funding read these rows instead of the entries (ADR 0009). A reversal is summed where the entry it reverses is: in that entry's
/// month and on its side (a reversed contribution lowers money in), so a correction nets out of every figure (ADR 0010).
/// Nothing in the portal's code writes it.
/// </summary>
public class LedgerMonth
{
    private LedgerMonth()
    {
    }

    public int FundId { get; private set; }

    /// <summary>The first day of the UTC month the entries occurred in.</summary>
    public DateOnly Month { get; private set; }

    public LedgerEntryKind Kind { get; private set; }

    /// <summary>For reversals, the kind of the entry reversed (a reversed contribution still counts against what a task received); otherwise <see cref="Kind"/>.</summary>
    public LedgerEntryKind OfKind { get; private set; }

    /// <summary>Money in: the sum of the positive entries, less the reversals of positive entries.</summary>
    public long InMinor { get; private set; }

    /// <summary>Money out, as a positive number: the sum of the negative entries, less the reversals of negative entries.</summary>
    public long OutMinor { get; private set; }

    public long Entries { get; private set; }
}

/// <summary>
/// What each sponsor gave per UTC month: its contributions less refunds to it, and the reversals of either (in the month of the entry
/// reversed), in the base currency. Lines whose counterparty an admin hid are summed apart, in <see cref="HiddenMinor"/>, so the public
/// never sees them under the sponsor's label. Kept by the same trigger as <see cref="LedgerMonth"/>; concentration and the public sponsor
/// list read it.
/// </summary>
public class SponsorMonth
{
    private SponsorMonth()
    {
    }

    public int OrganisationId { get; private set; }

    public DateOnly Month { get; private set; }

    /// <summary>Given on lines shown with the sponsor's label.</summary>
    public long GivenMinor { get; private set; }

    /// <summary>Given on lines whose counterparty is hidden from the public ("Undisclosed").</summary>
    public long HiddenMinor { get; private set; }

    public long Entries { get; private set; }
}
