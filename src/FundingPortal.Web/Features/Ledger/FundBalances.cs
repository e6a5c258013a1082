namespace FundingPortal.Web.Features.Ledger;

public sealed record FundBalance(int FundId, string Name, FundKind Kind, int? TaskId, Money Balance);

/// <summary>Each fund's balance: the sum of its ledger entries, added up in the database from the monthly roll-up (<see cref="LedgerMonth"/>).</summary>
public static class FundBalances
{
    public static async Task<IReadOnlyList<FundBalance>> AllAsync(AppDbContext db, string baseCurrency, CancellationToken cancellationToken = default)
    {
        var sums = db.LedgerMonths.GroupBy(m => m.FundId).Select(g => new { FundId = g.Key, Sum = g.Sum(m => m.InMinor - m.OutMinor) });
        var rows = await (from fund in db.Funds
                          join sum in sums on fund.Id equals sum.FundId into joined
                          from sum in joined.DefaultIfEmpty()
                          orderby fund.Kind, fund.Name
                          select new { fund.Id, fund.Name, fund.Kind, fund.TaskId, Sum = (long?)sum.Sum ?? 0 })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new FundBalance(r.Id, r.Name, r.Kind, r.TaskId, new Money(r.Sum, baseCurrency))).ToList();
    }

    public static async Task<Money> OfAsync(AppDbContext db, int fundId, string baseCurrency, CancellationToken cancellationToken = default) =>
        new(await db.LedgerMonths.Where(m => m.FundId == fundId).SumAsync(m => m.InMinor - m.OutMinor, cancellationToken), baseCurrency);

    /// <summary>What all funds hold together.</summary>
    public static async Task<long> TotalMinorAsync(AppDbContext db, CancellationToken cancellationToken = default) =>
        await db.LedgerMonths.SumAsync(m => m.InMinor - m.OutMinor, cancellationToken);
}
