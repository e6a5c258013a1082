namespace FundingPortal.Web.Features.Transparency;

public sealed record MonthFlow(DateOnly Month, long InMinor, long OutMinor);

/// <summary>The runway at the end of one month: the balance then, over the net spend (spend − income) of the three months up to it.</summary>
public sealed record RunwayPoint(DateOnly Month, long BalanceMinor, long MonthlySpendMinor, long MonthlyIncomeMinor, decimal? Months);

public sealed record PublicFundBalance(string Name, FundKind Kind, string? TaskSlug, long BalanceMinor);

public sealed record RecurringMoney(string Currency, long PerMonthMinor, int Pledges);

public sealed record SponsorShare(string Name, long LastYearMinor, decimal Share, decimal? RunwayAfterMonths);

public sealed record Concentration(long LastYearMinor, decimal TopShare, decimal TopThreeShare, int SponsorsFor80Percent, decimal? RunwayWithEveryoneMonths,
    IReadOnlyList<SponsorShare> IfSponsorLeft);

/// <param name="HonouredRate">The mean honoured share of the sponsor's installments (HonouredRates); the public name stays honouredRate.</param>
public sealed record PublicSponsor(string Name, bool Listed, long GivenMinor, long HoursDeliveredMinutes, decimal? HonouredRate, string? Website);

public sealed record PublicLedgerLine(long Id, DateTime OccurredAt, LedgerEntryKind Kind, long? ReversesId, string Fund, string? Counterparty, long AmountMinor);

public sealed record CiMonthProvider(DateOnly Month, string Provider, string Currency, long ListMinor, long PaidMinor, long WasteMinor, decimal Minutes, decimal WasteMinutes);

/// <summary>Infrastructure given in kind, per currency of its stated value: accepted pledges and confirmed deliveries. Never money.</summary>
public sealed record InKindTotal(string Currency, long PledgedValueMinor, long DeliveredValueMinor, int Pledges);

/// <summary>Everything the public page shows, in the base currency's minor units unless a currency is named.</summary>
public sealed record PublicSummary(
    string Currency,
    DateTime AsOf,
    long BalanceMinor,
    IReadOnlyList<PublicFundBalance> Funds,
    IReadOnlyList<MonthFlow> MoneyPerMonth,
    long MonthlySpendMinor,
    long MonthlyIncomeMinor,
    decimal? RunwayMonths,
    IReadOnlyList<RunwayPoint> RunwayLine,
    IReadOnlyList<RecurringMoney> RecurringPerMonth,
    Concentration Concentration,
    long HoursPledgedMinutes,
    long HoursDeliveredMinutes,
    // The mean honoured share over every sponsor (HonouredRates); the public name stays honouredRate.
    decimal? HonouredRate,
    // The grace period the honoured rates use: an installment counts once its due date plus these days is before today.
    int HonouredGraceDays,
    IReadOnlyList<CiMonthProvider> CiSpend,
    IReadOnlyList<InKindTotal> InKind,
    IReadOnlyList<PublicLedgerLine> LatestLedger);
