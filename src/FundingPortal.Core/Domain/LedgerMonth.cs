namespace FundingPortal.Core.Domain;

/// <summary>
/// The ledger summed per fund, UTC month and kind. A database trigger adds every new ledger entry to its row in the same statement
/// that inserts the entry (the ledger is append-only, so inserts are the only change to follow); balances, monthly flows and task
/// funding read these rows instead of the entries (ADR 0009). Nothing in the portal's code writes it.
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

    /// <summary>The sum of the positive entries.</summary>
    public long InMinor { get; private set; }

    /// <summary>The sum of the negative entries, as a positive number.</summary>
    public long OutMinor { get; private set; }

    public long Entries { get; private set; }
}

/// <summary>
/// What each sponsor gave per UTC month: its contributions less refunds to it, in the base currency. Kept by the same trigger as
/// <see cref="LedgerMonth"/>; concentration and the public sponsor list read it.
/// </summary>
public class SponsorMonth
{
    private SponsorMonth()
    {
    }

    public int OrganisationId { get; private set; }

    public DateOnly Month { get; private set; }

    public long GivenMinor { get; private set; }

    public long Entries { get; private set; }
}
