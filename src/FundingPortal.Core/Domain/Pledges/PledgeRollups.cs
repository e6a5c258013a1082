namespace FundingPortal.Core.Domain;

/// <summary>
/// Installments summed per fund, pledge kind, pledge status, installment status and currency: what is committed but not yet received
/// and the hours pledged. Database triggers on installments and pledges keep it (ADR 0009); task funding and the public page read it.
/// </summary>
public class InstallmentTotal
{
    private InstallmentTotal()
    {
    }

    public int FundId { get; private set; }

    public PledgeKind PledgeKind { get; private set; }

    public PledgeStatus PledgeStatus { get; private set; }

    public InstallmentStatus Status { get; private set; }

    public string Currency { get; private set; } = "";

    public long Installments { get; private set; }

    /// <summary>The sum of what is still owed on each installment (due less received, never below zero), in <see cref="Currency"/>.</summary>
    public long OutstandingMinor { get; private set; }

    public long HoursDueMinutes { get; private set; }
}

/// <summary>
/// Per organisation and month of the due date, the installments that count towards the honoured rate (neither cancelled nor paused,
/// something due) and the sum of their honoured shares, each capped at one. Kept by the installment triggers (ADR 0009); the rate
/// "due by today" adds the current month's installments, read directly, to the full months before it.
/// </summary>
public class HonouredMonth
{
    private HonouredMonth()
    {
    }

    public int OrganisationId { get; private set; }

    /// <summary>The first day of the month the installments fall due in.</summary>
    public DateOnly Month { get; private set; }

    public long Installments { get; private set; }

    /// <summary>
    /// The sum of the installments' honoured shares (each min(1, delivered ÷ due)), for the mean honoured share; stored as
    /// <c>RateSum</c>. A ratio sum, not money: a double is exact enough for a percentage.
    /// </summary>
    public double ShareSum { get; private set; }
}

/// <summary>Confirmed engineer time per fund and organisation, kept by triggers on time entries and pledges (ADR 0009).</summary>
public class TimeTotal
{
    private TimeTotal()
    {
    }

    public int FundId { get; private set; }

    public int OrganisationId { get; private set; }

    public long ConfirmedMinutes { get; private set; }

    public long Entries { get; private set; }
}
