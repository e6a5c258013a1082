using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>
/// The public figures, each summed or grouped in the database. Runway has one meaning everywhere (<see cref="Runway"/>): the months the
/// balance lasts at the net spend — the average money out less the average money in — of the last <see cref="SpendWindowMonths"/> full
/// months; "not shrinking" (null) when income covers spend. only the grouped rows (one per month, fund, sponsor or provider)
/// come into memory, never ledger entries, payments or CI records one by one.
/// </summary>
public static class PublicFigures
{
    /// <summary>Runway is measured against the average spend and income of this many full calendar months before the current one.</summary>
    public const int SpendWindowMonths = 3;

    public const int MonthsShown = 12;

    private static readonly PledgeStatus[] Accepted = Pledge.AcceptedStatuses;

    /// <param name="rates">The mean honoured shares per organisation (<see cref="HonouredRates.MeanHonouredSharePerOrganisationAsync"/>), read once for the summary and the sponsor list.</param>
    public static async Task<PublicSummary> SummaryAsync(AppDbContext db, string currency, DateTime now, IReadOnlyDictionary<int, (double MeanShare, int Installments)> rates,
        CancellationToken cancellationToken = default)
    {
        var funds = await FundsAsync(db, currency, cancellationToken);
        var balance = await FundBalances.TotalMinorAsync(db, cancellationToken);
        var flows = await MonthlyFlowsAsync(db, cancellationToken);
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var spend = AverageSpend(flows, thisMonth);
        var income = AverageIncome(flows, thisMonth);
        var runwayLine = RunwayLine(flows, balance, thisMonth);
        // Every one of the last twelve months, those without any entry as zero, so the chart's bars line up with the calendar.
        var shown = Enumerable.Range(0, MonthsShown).Select(i => thisMonth.AddMonths(i - MonthsShown + 1))
            .Select(month => flows.FirstOrDefault(f => f.Month == month) ?? new MonthFlow(month, 0, 0)).ToList();
        var concentration = await ConcentrationAsync(db, balance, spend, income, thisMonth, cancellationToken);
        var hours = await HoursAsync(db, cancellationToken);
        return new PublicSummary(currency, now, balance, funds, shown, spend, income, Runway(balance, spend - income), runwayLine,
            await RecurringAsync(db, cancellationToken), concentration, hours.Pledged, hours.Delivered,
            Ratio(HonouredRates.MeanHonouredShareOverall(rates)), await HonouredRates.GraceDaysAsync(db, cancellationToken),
            await CiSpendAsync(db, thisMonth.AddMonths(-MonthsShown + 1), thisMonth, cancellationToken),
            await InKindAsync(db, null, cancellationToken),
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
    /// Money in (positive entries) and out (negative entries) per UTC month, leaving out transfers between funds and their reversals,
    /// which move money without bringing any in or spending it. A refund counts as money out in the month it happened; a reversal nets
    /// out of the month and side of the entry it reverses (the roll-up keeps it there).
    /// </summary>
    public static async Task<IReadOnlyList<MonthFlow>> MonthlyFlowsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.LedgerMonths
            .Where(m => m.OfKind != LedgerEntryKind.Transfer)
            .GroupBy(m => m.Month)
            .Select(g => new { Month = g.Key, In = g.Sum(m => m.InMinor), Out = g.Sum(m => m.OutMinor) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new MonthFlow(r.Month, r.In, r.Out)).OrderBy(r => r.Month).ToList();
    }

    /// <summary>The average money out per month over the <see cref="SpendWindowMonths"/> full months before <paramref name="month"/>.</summary>
    public static long AverageSpend(IReadOnlyList<MonthFlow> flows, DateOnly month) =>
        Divide(flows.Where(f => f.Month < month && f.Month >= month.AddMonths(-SpendWindowMonths)).Sum(f => f.OutMinor), SpendWindowMonths);

    /// <summary>The average money in per month over the <see cref="SpendWindowMonths"/> full months before <paramref name="month"/>.</summary>
    public static long AverageIncome(IReadOnlyList<MonthFlow> flows, DateOnly month) =>
        Divide(flows.Where(f => f.Month < month && f.Month >= month.AddMonths(-SpendWindowMonths)).Sum(f => f.InMinor), SpendWindowMonths);

    /// <summary>
    /// The one runway rule: months the balance lasts at a monthly net spend (money out less money in); null — "not shrinking" — when
    /// income covers spend, so the balance does not run down at all.
    /// </summary>
    public static decimal? Runway(long balanceMinor, long monthlyNetSpendMinor) =>
        monthlyNetSpendMinor <= 0 ? null : Math.Round(Math.Max(0, balanceMinor) / (decimal)monthlyNetSpendMinor, 1, MidpointRounding.AwayFromZero);

    /// <summary>The runway now: the balance over this month's net spend (the last full months' spend less their income).</summary>
    public static decimal? RunwayNow(IReadOnlyList<MonthFlow> flows, long balanceMinor, DateOnly thisMonth) =>
        Runway(balanceMinor, AverageSpend(flows, thisMonth) - AverageIncome(flows, thisMonth));

    /// <summary>The one rounding rule of every published figure: half away from zero, here to a whole minor unit.</summary>
    public static long Divide(long amount, long by) => (long)Math.Round(amount / (decimal)by, MidpointRounding.AwayFromZero);

    /// <summary>A share or rate as published: four decimals, half away from zero.</summary>
    public static decimal? Ratio(double? value) => value is { } v ? Math.Round((decimal)v, 4, MidpointRounding.AwayFromZero) : null;

    private static decimal Share(long part, long whole) => whole == 0 ? 0 : Math.Round(part / (decimal)whole, 4, MidpointRounding.AwayFromZero);

    /// <summary>The runway at the end of each of the last months: the balance then, over the net spend of the months up to it.</summary>
    private static List<RunwayPoint> RunwayLine(IReadOnlyList<MonthFlow> flows, long balanceNow, DateOnly thisMonth)
    {
        var points = new List<RunwayPoint>();
        for (var month = thisMonth.AddMonths(-MonthsShown + 1); month <= thisMonth; month = month.AddMonths(1))
        {
            var next = month.AddMonths(1);
            var balance = balanceNow - flows.Where(f => f.Month >= next).Sum(f => f.InMinor - f.OutMinor);
            var window = next == thisMonth.AddMonths(1) ? thisMonth : next;
            var spend = AverageSpend(flows, window);
            var income = AverageIncome(flows, window);
            points.Add(new RunwayPoint(month, balance, spend, income, Runway(balance, spend - income)));
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
        return rows.OrderBy(r => r.Currency, StringComparer.Ordinal).Select(r => new RecurringMoney(r.Currency, Divide(r.PerYear, 12), r.Count)).ToList();
    }

    /// <summary>
    /// Funding per sponsor over the last twelve UTC months, this one included (contributions less refunds, net of reversals, as booked in
    /// the ledger), its concentration, and what the runway would be if each sponsor left while everyone else kept giving: the same
    /// <see cref="Runway"/> with the sponsor's average monthly giving taken out of the income. Lines whose counterparty is hidden count
    /// as one more sponsor, "Undisclosed".
    /// </summary>
    private static async Task<Concentration> ConcentrationAsync(AppDbContext db, long balance, long spend, long income, DateOnly thisMonth,
        CancellationToken cancellationToken)
    {
        var since = thisMonth.AddMonths(-MonthsShown + 1);
        var given = await GivenAsync(db, db.SponsorMonths.Where(m => m.Month >= since), cancellationToken);
        var ordered = given.Where(s => s.Value > 0).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var total = ordered.Sum(s => s.Value);
        decimal? RunwayWithIncome(long monthlyIncome) => Runway(balance, spend - monthlyIncome);

        var running = 0L;
        var for80 = 0;
        foreach (var sponsor in ordered)
        {
            if (total == 0 || running * 10 >= total * 8)
            {
                break;
            }
            running += sponsor.Value;
            for80++;
        }
        return new Concentration(
            total,
            Share(ordered.Take(1).Sum(s => s.Value), total),
            Share(ordered.Take(3).Sum(s => s.Value), total),
            for80,
            RunwayWithIncome(income),
            ordered.Select(s => new SponsorShare(s.Key, s.Value, Share(s.Value, total), RunwayWithIncome(Math.Max(0, income - Divide(s.Value, 12))))).ToList());
    }

    /// <summary>What each sponsor label gave over the given roll-up rows; hidden lines under <see cref="SponsorLabels.Undisclosed"/>.</summary>
    private static async Task<Dictionary<string, long>> GivenAsync(AppDbContext db, IQueryable<SponsorMonth> months, CancellationToken cancellationToken)
    {
        var rows = await (from month in months
                          join organisation in db.Organisations on month.OrganisationId equals organisation.Id
                          group month by new { organisation.Id, organisation.Name, organisation.Listing } into g
                          select new { g.Key.Id, g.Key.Name, g.Key.Listing, Given = g.Sum(m => m.GivenMinor), Hidden = g.Sum(m => m.HiddenMinor) })
            .ToListAsync(cancellationToken);
        // Two organisations of the same name are one label to the public, and are summed as one.
        var given = rows.GroupBy(r => SponsorLabels.Of(r.Id, r.Name, r.Listing)).Select(g => (Label: g.Key, Sum: g.Sum(r => r.Given)))
            .Where(r => r.Sum != 0).ToDictionary(r => r.Label, r => r.Sum);
        var hidden = rows.Sum(r => r.Hidden);
        if (hidden != 0)
        {
            given[SponsorLabels.Undisclosed] = hidden;
        }
        return given;
    }

    private static async Task<(long Pledged, long Delivered)> HoursAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var pledged = await db.InstallmentTotals
            .Where(t => t.PledgeKind == PledgeKind.EngineerTime && Accepted.Contains(t.PledgeStatus)
                && t.Status != InstallmentStatus.Cancelled && t.Status != InstallmentStatus.Paused)
            .SumAsync(t => t.HoursDueMinutes, cancellationToken);
        var delivered = await db.TimeTotals.SumAsync(t => t.ConfirmedMinutes, cancellationToken);
        return (pledged, delivered);
    }

    /// <summary>
    /// Infrastructure in kind per currency: the stated value of the periods of accepted pledges (held-back and cancelled periods left out)
    /// and of the deliveries reviewers confirmed; optionally for one fund.
    /// </summary>
    public static async Task<IReadOnlyList<InKindTotal>> InKindAsync(AppDbContext db, int? fundId, CancellationToken cancellationToken)
    {
        var pledges = db.Pledges.Where(p => p.Kind == PledgeKind.Infrastructure && Accepted.Contains(p.Status) && (fundId == null || p.FundId == fundId));
        var pledged = await pledges
            .SelectMany(p => p.Installments.Where(i => i.Status != InstallmentStatus.Cancelled && i.Status != InstallmentStatus.Paused))
            .GroupBy(i => i.Currency)
            .Select(g => new { Currency = g.Key, Sum = g.Sum(i => i.AmountDueMinor) })
            .ToDictionaryAsync(r => r.Currency, r => r.Sum, cancellationToken);
        var counts = await pledges.GroupBy(p => p.Currency).Select(g => new { Currency = g.Key, Count = g.Count() })
            .ToDictionaryAsync(r => r.Currency, r => r.Count, cancellationToken);
        var delivered = await (from delivery in db.InKindDeliveries
                               join pledge in db.Pledges on delivery.PledgeId equals pledge.Id
                               where delivery.Status == ConfirmationStatus.Confirmed && (fundId == null || pledge.FundId == fundId)
                               group delivery by delivery.Currency into g
                               select new { Currency = g.Key, Sum = g.Sum(d => d.ValueMinor) })
            .ToDictionaryAsync(r => r.Currency, r => r.Sum, cancellationToken);
        return pledged.Keys.Concat(delivered.Keys).Concat(counts.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(c => new InKindTotal(c, pledged.GetValueOrDefault(c), delivered.GetValueOrDefault(c), counts.GetValueOrDefault(c)))
            .ToList();
    }

    /// <summary>
    /// Sponsors who gave money or time, each under its public label (its name, or its stable "Anonymous sponsor N"), and hidden lines
    /// together as "Undisclosed". Given money is what reached the ledger (contributions less refunds, net of reversals) in the base
    /// currency; the honoured rate counts an undisclosed pledge under "Undisclosed", not under its sponsor.
    /// </summary>
    public static async Task<IReadOnlyList<PublicSponsor>> SponsorsAsync(AppDbContext db, IReadOnlyDictionary<int, (double MeanShare, int Installments)> rates,
        DateOnly today, CancellationToken cancellationToken = default)
    {
        var given = await GivenAsync(db, db.SponsorMonths, cancellationToken);
        var hours = await (from total in db.TimeTotals
                           join organisation in db.Organisations on total.OrganisationId equals organisation.Id
                           group total by new { organisation.Id, organisation.Name, organisation.Listing } into g
                           select new { g.Key.Id, g.Key.Name, g.Key.Listing, Sum = g.Sum(t => t.ConfirmedMinutes) })
            .Where(r => r.Sum > 0)
            .ToListAsync(cancellationToken);
        var organisations = await db.Organisations.Select(o => new { o.Id, o.Name, o.Listing, o.Website }).ToListAsync(cancellationToken);
        var labels = organisations.ToDictionary(o => o.Id, o => SponsorLabels.Of(o.Id, o.Name, o.Listing));
        var hoursByLabel = hours.GroupBy(h => labels[h.Id]).ToDictionary(g => g.Key, g => g.Sum(h => h.Sum));

        // The honoured shares of undisclosed pledges move from their sponsor to "Undisclosed".
        var sums = rates.GroupBy(r => labels[r.Key])
            .ToDictionary(g => g.Key, g => (Sum: g.Sum(r => r.Value.MeanShare * r.Value.Installments), Count: g.Sum(r => (long)r.Value.Installments)));
        var undisclosed = await HonouredRates.SharesByOrganisationAsync(db, db.Installments.Where(i => SponsorLabels.UndisclosedPledges(db).Contains(i.PledgeId)),
            today, cancellationToken);
        foreach (var (organisationId, share) in undisclosed)
        {
            var label = labels[organisationId];
            var own = sums[label];
            sums[label] = (own.Sum - share.ShareSum, own.Count - share.Count);
            var other = sums.GetValueOrDefault(SponsorLabels.Undisclosed);
            sums[SponsorLabels.Undisclosed] = (other.Sum + share.ShareSum, other.Count + share.Count);
        }
        // The mean honoured share per label, published as honouredRate.
        decimal? Rate(string label) => sums.TryGetValue(label, out var s) && s.Count > 0 ? Ratio(s.Sum / s.Count) : null;

        var listed = organisations.Where(o => o.Listing == PublicListing.ByName).GroupBy(o => labels[o.Id]).ToDictionary(g => g.Key, g => g.First().Website);
        return given.Keys.Concat(hoursByLabel.Keys).Distinct()
            .Select(label => new PublicSponsor(label, listed.ContainsKey(label), given.GetValueOrDefault(label), hoursByLabel.GetValueOrDefault(label), Rate(label),
                listed.GetValueOrDefault(label)))
            .OrderByDescending(s => s.Listed).ThenByDescending(s => s.GivenMinor).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The latest ledger lines as the public sees them: no free-text description (it can name people or carry notes), the counterparty
    /// under its public label, or "Undisclosed" when an admin hid it.
    /// </summary>
    public static async Task<IReadOnlyList<PublicLedgerLine>> LatestLedgerAsync(AppDbContext db, int count, CancellationToken cancellationToken = default) =>
        await PublicLedger(db, newestFirst: true).Select(l => new PublicLedgerLine(l.Id, l.OccurredAt, l.Kind, l.ReversesId, l.Fund, l.Counterparty, l.AmountMinor))
            .Take(count).ToListAsync(cancellationToken);

    /// <summary>Every ledger line as the public sees it, with what recomputing the figures needs, oldest first (for streaming) or newest first.</summary>
    public static IQueryable<PublicLedgerRow> PublicLedger(AppDbContext db, bool newestFirst = false)
    {
        var lines = from entry in db.LedgerEntries
                    join fund in db.Funds on entry.FundId equals fund.Id
                    join task in db.Tasks on fund.TaskId equals task.Id into tasks
                    from task in tasks.DefaultIfEmpty()
                    join organisation in db.Organisations on entry.CounterpartyOrganisationId equals organisation.Id into counterparties
                    from organisation in counterparties.DefaultIfEmpty()
                    join reversed in db.LedgerEntries on entry.ReversesEntryId equals reversed.Id into reversedEntries
                    from reversed in reversedEntries.DefaultIfEmpty()
                    select new PublicLedgerRow
                    {
                        Id = entry.Id,
                        OccurredAt = entry.OccurredAt,
                        CountsAt = reversed == null ? entry.OccurredAt : reversed.OccurredAt,
                        Kind = entry.Kind,
                        ReversesId = entry.ReversesEntryId,
                        ReversedKind = reversed == null ? entry.Kind : reversed.Kind,
                        PaymentId = entry.PaymentId,
                        Fund = fund.Name,
                        FundKind = fund.Kind,
                        TaskSlug = task == null ? null : task.Slug,
                        Counterparty = organisation == null ? null
                            : entry.CounterpartyHidden ? SponsorLabels.Undisclosed
                            : organisation.Listing == PublicListing.ByName ? organisation.Name
#pragma warning disable CA1305 // Translated to SQL, where an integer has no culture.
                            : SponsorLabels.AnonymousPrefix + organisation.Id.ToString(),
#pragma warning restore CA1305
                        AmountMinor = entry.AmountMinor,
                    };
        return newestFirst ? lines.OrderByDescending(l => l.OccurredAt).ThenByDescending(l => l.Id) : lines.OrderBy(l => l.OccurredAt).ThenBy(l => l.Id);
    }

    /// <summary>
    /// CI spend per month and provider from the monthly roll-up, in the billable minutes the reviewers' report shows. Waste is what cancelled and timed-out runs cost, plus retries: each retry
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
                              Minutes = g.Sum(m => m.RawMinutes),
                              WasteMinutes = g.Sum(m => m.Status == CiJobStatus.Cancelled || m.Status == CiJobStatus.TimedOut || m.IsRetry ? m.RawMinutes : 0m),
                          })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CiMonthProvider(r.Month, r.Name, r.Currency, MicrosToMinor(r.List, r.Currency), MicrosToMinor(r.Paid, r.Currency),
                MicrosToMinor(r.Waste, r.Currency), Math.Round(r.Minutes, CiUsageMonth.MinuteDecimals), Math.Round(r.WasteMinutes, CiUsageMonth.MinuteDecimals)))
            .OrderBy(r => r.Month).ThenBy(r => r.Provider, StringComparer.Ordinal).ToList();
    }

    /// <summary>Millionths of a major unit to minor units, rounded half away from zero.</summary>
    public static long MicrosToMinor(long micros, string currency)
    {
        var divisor = (long)Math.Pow(10, 6 - Core.Domain.Currency.Exponent(currency));
        return (long)Math.Round(micros / (decimal)divisor, MidpointRounding.AwayFromZero);
    }
}

/// <summary>One public ledger line with what recomputing the figures needs; <see cref="CountsAt"/> is when the line counts (a reversal's is the reversed line's).</summary>
public sealed class PublicLedgerRow
{
    public long Id { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime CountsAt { get; init; }

    public LedgerEntryKind Kind { get; init; }

    public long? ReversesId { get; init; }

    public LedgerEntryKind ReversedKind { get; init; }

    public int? PaymentId { get; init; }

    public string Fund { get; init; } = "";

    public FundKind FundKind { get; init; }

    public string? TaskSlug { get; init; }

    public string? Counterparty { get; init; }

    public long AmountMinor { get; init; }
}
