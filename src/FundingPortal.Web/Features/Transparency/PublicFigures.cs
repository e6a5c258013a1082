using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Transparency;

public sealed record MonthFlow(DateOnly Month, long InMinor, long OutMinor);

public sealed record RunwayPoint(DateOnly Month, long BalanceMinor, long MonthlySpendMinor, decimal? Months);

public sealed record PublicFundBalance(string Name, FundKind Kind, string? TaskSlug, long BalanceMinor);

public sealed record RecurringMoney(string Currency, long PerMonthMinor, int Pledges);

public sealed record SponsorShare(string Name, long LastYearMinor, decimal Share, decimal? RunwayAfterMonths);

public sealed record Concentration(long LastYearMinor, decimal TopShare, decimal TopThreeShare, int SponsorsFor80Percent, decimal? RunwayWithEveryoneMonths,
    IReadOnlyList<SponsorShare> IfSponsorLeft);

public sealed record PublicSponsor(string Name, bool Listed, int Count, long GivenMinor, long HoursDeliveredMinutes, decimal? HonouredRate, string? Website);

public sealed record PublicLedgerLine(DateTime OccurredAt, LedgerEntryKind Kind, string Fund, string? Counterparty, long AmountMinor);

public sealed record CiMonthProvider(DateOnly Month, string Provider, string Currency, long ListMinor, long PaidMinor, long WasteMinor, long Minutes, long WasteMinutes);

/// <summary>Everything the public page shows, in the base currency's minor units unless a currency is named.</summary>
public sealed record PublicSummary(
    string Currency,
    DateTime AsOf,
    long BalanceMinor,
    IReadOnlyList<PublicFundBalance> Funds,
    IReadOnlyList<MonthFlow> MoneyPerMonth,
    long MonthlySpendMinor,
    decimal? RunwayMonths,
    IReadOnlyList<RunwayPoint> RunwayLine,
    IReadOnlyList<RecurringMoney> RecurringPerMonth,
    Concentration Concentration,
    long HoursPledgedMinutes,
    long HoursDeliveredMinutes,
    decimal? HonouredRate,
    IReadOnlyList<CiMonthProvider> CiSpend,
    IReadOnlyList<PublicLedgerLine> LatestLedger);

/// <summary>
/// The public figures, each summed or grouped in the database; only the grouped rows (one per month, fund, sponsor or provider)
/// come into memory, never ledger entries, payments or CI records one by one.
/// </summary>
public static class PublicFigures
{
    /// <summary>Runway is measured against the average spend of this many full calendar months before the current one.</summary>
    public const int SpendWindowMonths = 3;

    public const int MonthsShown = 12;

    public const string AnonymousName = "Anonymous sponsor";

    /// <param name="rates">The honoured rates per organisation (<see cref="HonouredRates.PerOrganisationAsync"/>), read once for the summary and the sponsor list.</param>
    public static async Task<PublicSummary> SummaryAsync(AppDbContext db, string currency, DateTime now, IReadOnlyDictionary<int, (double Rate, int Installments)> rates,
        CancellationToken cancellationToken = default)
    {
        var funds = await FundsAsync(db, currency, cancellationToken);
        var balance = funds.Sum(f => f.BalanceMinor);
        var flows = await MonthlyFlowsAsync(db, cancellationToken);
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var spend = AverageSpend(flows, thisMonth);
        var runwayLine = RunwayLine(flows, balance, thisMonth);
        // Every one of the last twelve months, those without any entry as zero, so the chart's bars line up with the calendar.
        var shown = Enumerable.Range(0, MonthsShown).Select(i => thisMonth.AddMonths(i - MonthsShown + 1))
            .Select(month => flows.FirstOrDefault(f => f.Month == month) ?? new MonthFlow(month, 0, 0)).ToList();
        var concentration = await ConcentrationAsync(db, balance, spend, flows, thisMonth, cancellationToken);
        var hours = await HoursAsync(db, cancellationToken);
        var honoured = HonouredRates.Overall(rates);
        return new PublicSummary(currency, now, balance, funds, shown, spend, Runway(balance, spend), runwayLine,
            await RecurringAsync(db, cancellationToken), concentration, hours.Pledged, hours.Delivered,
            honoured is null ? null : Math.Round((decimal)honoured.Value, 4),
            await CiSpendAsync(db, thisMonth.AddMonths(-MonthsShown + 1), thisMonth, cancellationToken),
            await LatestLedgerAsync(db, 20, cancellationToken));
    }

    public static async Task<IReadOnlyList<PublicFundBalance>> FundsAsync(AppDbContext db, string currency, CancellationToken cancellationToken)
    {
        var balances = await FundBalances.AllAsync(db, currency, cancellationToken);
        var slugs = await db.Tasks.Where(t => t.Status != DevopsTaskStatus.Proposed).Select(t => new { t.Id, t.Slug }).ToDictionaryAsync(t => t.Id, t => t.Slug, cancellationToken);
        return balances
            .Where(b => b.Kind == FundKind.Central || (b.TaskId is { } id && slugs.ContainsKey(id)))
            .Select(b => new PublicFundBalance(b.Name, b.Kind, b.TaskId is { } id ? slugs[id] : null, b.Balance.MinorUnits))
            .ToList();
    }

    /// <summary>
    /// Money in (positive entries) and out (negative entries) per UTC month, leaving out transfers between funds, which move money
    /// without bringing any in or spending it. A refund or a reversal counts as money out in the month it happened.
    /// </summary>
    public static async Task<IReadOnlyList<MonthFlow>> MonthlyFlowsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.LedgerMonths
            .Where(m => m.Kind != LedgerEntryKind.Transfer)
            .GroupBy(m => m.Month)
            .Select(g => new { Month = g.Key, In = g.Sum(m => m.InMinor), Out = g.Sum(m => m.OutMinor) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new MonthFlow(r.Month, r.In, r.Out)).OrderBy(r => r.Month).ToList();
    }

    /// <summary>The average money out per month over the <see cref="SpendWindowMonths"/> full months before <paramref name="month"/>.</summary>
    public static long AverageSpend(IReadOnlyList<MonthFlow> flows, DateOnly month) =>
        flows.Where(f => f.Month < month && f.Month >= month.AddMonths(-SpendWindowMonths)).Sum(f => f.OutMinor) / SpendWindowMonths;

    private static long AverageIncome(IReadOnlyList<MonthFlow> flows, DateOnly month) =>
        flows.Where(f => f.Month < month && f.Month >= month.AddMonths(-SpendWindowMonths)).Sum(f => f.InMinor) / SpendWindowMonths;

    /// <summary>Months the balance lasts at a monthly spend; null when nothing is spent (it lasts indefinitely) or nothing is left.</summary>
    public static decimal? Runway(long balanceMinor, long monthlySpendMinor) =>
        monthlySpendMinor <= 0 ? null : Math.Round(Math.Max(0, balanceMinor) / (decimal)monthlySpendMinor, 1);

    /// <summary>The runway at the end of each of the last months: the balance then, over the average spend of the months before.</summary>
    private static List<RunwayPoint> RunwayLine(IReadOnlyList<MonthFlow> flows, long balanceNow, DateOnly thisMonth)
    {
        var points = new List<RunwayPoint>();
        for (var month = thisMonth.AddMonths(-MonthsShown + 1); month <= thisMonth; month = month.AddMonths(1))
        {
            var next = month.AddMonths(1);
            var balance = balanceNow - flows.Where(f => f.Month >= next).Sum(f => f.InMinor - f.OutMinor);
            var spend = AverageSpend(flows, next == thisMonth.AddMonths(1) ? thisMonth : next);
            points.Add(new RunwayPoint(month, balance, spend, Runway(balance, spend)));
        }
        return points;
    }

    /// <summary>Accepted recurring money pledges as money per month, per currency (a quarterly pledge counts a third, a yearly one a twelfth).</summary>
    public static async Task<IReadOnlyList<RecurringMoney>> RecurringAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Pledges
            .Where(p => p.Kind == PledgeKind.Money && p.Status == PledgeStatus.Active && p.Frequency != PledgeFrequency.OneOff)
            .GroupBy(p => p.Currency)
            .Select(g => new
            {
                Currency = g.Key,
                PerYear = g.Sum(p => p.Frequency == PledgeFrequency.Monthly ? p.AmountMinor * 12 : p.Frequency == PledgeFrequency.Quarterly ? p.AmountMinor * 4 : p.AmountMinor),
                Count = g.Count(),
            })
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r => new RecurringMoney(r.Currency, r.PerYear / 12, r.Count)).ToList();
    }

    /// <summary>
    /// Funding per sponsor over the last twelve UTC months, this one included (contributions less refunds, as booked in the ledger), its
    /// concentration, and what the runway would be if each sponsor left while everyone else kept giving: balance ÷ (average monthly
    /// spend − the others' average monthly income), unlimited when the others cover the spend.
    /// </summary>
    private static async Task<Concentration> ConcentrationAsync(AppDbContext db, long balance, long spend, IReadOnlyList<MonthFlow> flows, DateOnly thisMonth,
        CancellationToken cancellationToken)
    {
        var since = thisMonth.AddMonths(-MonthsShown + 1);
        var perSponsor = await db.SponsorMonths
            .Where(m => m.Month >= since)
            .GroupBy(m => m.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, Sum = g.Sum(m => m.GivenMinor) })
            .Where(r => r.Sum > 0)
            .ToListAsync(cancellationToken);
        var ids = perSponsor.Select(s => s.OrganisationId).ToList();
        var names = await db.Organisations.Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, Name = o.Listing == PublicListing.ByName ? o.Name : AnonymousName })
            .ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var total = perSponsor.Sum(s => s.Sum);
        var ordered = perSponsor.OrderByDescending(s => s.Sum).ThenBy(s => s.OrganisationId).ToList();
        var income = AverageIncome(flows, thisMonth);
        decimal Share(long part) => total == 0 ? 0 : Math.Round(part / (decimal)total, 4);
        decimal? RunwayWithIncome(long monthlyIncome) => spend - monthlyIncome <= 0 ? null : Runway(balance, spend - monthlyIncome);

        var running = 0L;
        var for80 = 0;
        foreach (var sponsor in ordered)
        {
            if (total == 0 || running * 10 >= total * 8)
            {
                break;
            }
            running += sponsor.Sum;
            for80++;
        }
        return new Concentration(
            total,
            Share(ordered.Take(1).Sum(s => s.Sum)),
            Share(ordered.Take(3).Sum(s => s.Sum)),
            for80,
            RunwayWithIncome(income),
            ordered.Select(s => new SponsorShare(names.GetValueOrDefault(s.OrganisationId, AnonymousName), s.Sum, Share(s.Sum),
                RunwayWithIncome(Math.Max(0, income - s.Sum / 12)))).ToList());
    }

    private static async Task<(long Pledged, long Delivered)> HoursAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        PledgeStatus[] accepted = [PledgeStatus.Active, PledgeStatus.Paused, PledgeStatus.Fulfilled, PledgeStatus.PartiallyFulfilled, PledgeStatus.Lapsed];
        var pledged = await db.InstallmentTotals
            .Where(t => t.PledgeKind == PledgeKind.EngineerTime && accepted.Contains(t.PledgeStatus) && t.Status != InstallmentStatus.Cancelled)
            .SumAsync(t => t.HoursDueMinutes, cancellationToken);
        var delivered = await db.TimeTotals.SumAsync(t => t.ConfirmedMinutes, cancellationToken);
        return (pledged, delivered);
    }

    /// <summary>
    /// Sponsors who gave money or time: those listed by name each on their own, anonymous ones together as one line. Given money is what
    /// reached the ledger (contributions less refunds) in the base currency.
    /// </summary>
    public static async Task<IReadOnlyList<PublicSponsor>> SponsorsAsync(AppDbContext db, IReadOnlyDictionary<int, (double Rate, int Installments)> rates,
        CancellationToken cancellationToken = default)
    {
        var given = await db.SponsorMonths
            .GroupBy(m => m.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, Sum = g.Sum(m => m.GivenMinor) })
            .ToDictionaryAsync(r => r.OrganisationId, r => r.Sum, cancellationToken);
        var hours = await db.TimeTotals
            .GroupBy(t => t.OrganisationId)
            .Select(g => new { OrganisationId = g.Key, Sum = g.Sum(t => t.ConfirmedMinutes) })
            .Where(r => r.Sum > 0)
            .ToDictionaryAsync(r => r.OrganisationId, r => r.Sum, cancellationToken);
        var ids = given.Keys.Concat(hours.Keys).Distinct().ToList();
        var organisations = await db.Organisations.Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, o.Name, o.Listing, o.Website }).ToListAsync(cancellationToken);

        decimal? Rate(IEnumerable<int> of)
        {
            var known = of.Where(rates.ContainsKey).Select(id => rates[id]).ToList();
            var count = known.Sum(r => r.Installments);
            return count == 0 ? null : Math.Round((decimal)(known.Sum(r => r.Rate * r.Installments) / count), 4);
        }

        var listed = organisations.Where(o => o.Listing == PublicListing.ByName)
            .Select(o => new PublicSponsor(o.Name, true, 1, given.GetValueOrDefault(o.Id), hours.GetValueOrDefault(o.Id), Rate([o.Id]), o.Website))
            .OrderByDescending(s => s.GivenMinor).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var anonymous = organisations.Where(o => o.Listing != PublicListing.ByName).Select(o => o.Id).ToList();
        if (anonymous.Count > 0)
        {
            listed.Add(new PublicSponsor(AnonymousName, false, anonymous.Count, anonymous.Sum(id => given.GetValueOrDefault(id)),
                anonymous.Sum(id => hours.GetValueOrDefault(id)), Rate(anonymous), null));
        }
        return listed;
    }

    /// <summary>
    /// The latest ledger lines as the public sees them: no free-text description (it can name people or carry notes), the counterparty only
    /// when it is listed by name and the line's counterparty is not hidden.
    /// </summary>
    public static async Task<IReadOnlyList<PublicLedgerLine>> LatestLedgerAsync(AppDbContext db, int count, CancellationToken cancellationToken = default) =>
        await PublicLedger(db, newestFirst: true).Take(count).ToListAsync(cancellationToken);

    /// <summary>Every ledger line as the public sees it, oldest first (for streaming) or newest first.</summary>
    public static IQueryable<PublicLedgerLine> PublicLedger(AppDbContext db, bool newestFirst = false)
    {
        var lines = from entry in db.LedgerEntries
                    join fund in db.Funds on entry.FundId equals fund.Id
                    join organisation in db.Organisations on entry.CounterpartyOrganisationId equals organisation.Id into counterparties
                    from organisation in counterparties.DefaultIfEmpty()
                    select new
                    {
                        entry.Id,
                        entry.OccurredAt,
                        entry.Kind,
                        Fund = fund.Name,
                        Counterparty = organisation == null || entry.CounterpartyHidden ? null
                            : organisation.Listing == PublicListing.ByName ? organisation.Name : AnonymousName,
                        entry.AmountMinor,
                    };
        var ordered = newestFirst ? lines.OrderByDescending(l => l.OccurredAt).ThenByDescending(l => l.Id) : lines.OrderBy(l => l.OccurredAt).ThenBy(l => l.Id);
        return ordered.Select(l => new PublicLedgerLine(l.OccurredAt, l.Kind, l.Fund, l.Counterparty, l.AmountMinor));
    }

    /// <summary>
    /// CI spend per month and provider from the monthly roll-up. Waste is what cancelled and timed-out runs cost, plus retries: each retry
    /// stands for the failed run before it, which the roll-up cannot pair with it, so the retry's own cost is the estimate.
    /// </summary>
    public static async Task<IReadOnlyList<CiMonthProvider>> CiSpendAsync(AppDbContext db, DateOnly fromMonth, DateOnly toMonth, CancellationToken cancellationToken = default)
    {
        var rows = await (from month in db.CiUsageMonths
                          join provider in db.CiProviders on month.ProviderId equals provider.Id
                          where month.Month >= fromMonth && month.Month <= toMonth
                          group month by new { month.Month, provider.Name, month.Currency } into g
                          select new
                          {
                              g.Key.Month,
                              g.Key.Name,
                              g.Key.Currency,
                              List = g.Sum(m => m.ListAmountMicros),
                              Paid = g.Sum(m => m.PaidAmountMicros),
                              Waste = g.Sum(m => m.Status == CiJobStatus.Cancelled || m.Status == CiJobStatus.TimedOut || m.IsRetry ? m.PaidAmountMicros : 0),
                              Seconds = g.Sum(m => m.DurationSeconds),
                              WasteSeconds = g.Sum(m => m.Status == CiJobStatus.Cancelled || m.Status == CiJobStatus.TimedOut || m.IsRetry ? m.DurationSeconds : 0),
                          })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CiMonthProvider(r.Month, r.Name, r.Currency, MicrosToMinor(r.List, r.Currency), MicrosToMinor(r.Paid, r.Currency),
                MicrosToMinor(r.Waste, r.Currency), r.Seconds / 60, r.WasteSeconds / 60))
            .OrderBy(r => r.Month).ThenBy(r => r.Provider, StringComparer.Ordinal).ToList();
    }

    /// <summary>Millionths of a major unit to minor units, rounded half away from zero.</summary>
    public static long MicrosToMinor(long micros, string currency)
    {
        var divisor = (long)Math.Pow(10, 6 - Core.Domain.Currency.Exponent(currency));
        return (long)Math.Round(micros / (decimal)divisor, MidpointRounding.AwayFromZero);
    }
}
