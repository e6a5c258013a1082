using FundingPortal.Web.Features.Tasks;

namespace FundingPortal.Web.Features.Transparency;

public sealed record PublicTask(string Slug, string Title, DevopsTaskStatus Status, TaskFunding Funding, DateOnly? DueDate, string? IssueUrl);

public sealed record PublicFunder(string Name, long GivenMinor, long HoursDeliveredMinutes);

public sealed record PublicTaskDetail(PublicTask Task, string Description, IReadOnlyList<PublicFunder> Funders, IReadOnlyList<InKindTotal> InKind,
    IReadOnlyList<PublicStatusChange> History);

public sealed record PublicStatusChange(DevopsTaskStatus From, DevopsTaskStatus To, DateTime At);

/// <summary>Tasks as the public sees them: every task past the proposal stage, with its funding (summed in the database).</summary>
public static class PublicTasks
{
    public static async Task<IReadOnlyList<PublicTask>> AllAsync(AppDbContext db, string baseCurrency, CancellationToken cancellationToken = default) =>
        await ListAsync(db, db.Tasks.Where(t => t.Status != DevopsTaskStatus.Proposed), baseCurrency, cancellationToken);

    public static async Task<PublicTaskDetail?> BySlugAsync(AppDbContext db, string slug, string baseCurrency, CancellationToken cancellationToken = default)
    {
        var task = (await ListAsync(db, db.Tasks.Where(t => t.Slug == slug && t.Status != DevopsTaskStatus.Proposed), baseCurrency, cancellationToken))
            .SingleOrDefault();
        if (task is null)
        {
            return null;
        }
        var row = await db.Tasks.Where(t => t.Slug == slug).Select(t => new { t.Id, t.Description, FundId = t.Fund!.Id }).SingleAsync(cancellationToken);
        // Contributions less refunds, net of their reversals, per public label (hidden lines together as "Undisclosed").
        var given = (await PublicFigures.PublicLedger(db)
                .Where(l => l.TaskSlug == slug && l.Counterparty != null
                    && (l.ReversedKind == LedgerEntryKind.Contribution || l.ReversedKind == LedgerEntryKind.Refund))
                .GroupBy(l => l.Counterparty!)
                .Select(g => new { Label = g.Key, Sum = g.Sum(l => l.AmountMinor) })
                .ToListAsync(cancellationToken))
            .Where(r => r.Sum != 0).ToDictionary(r => r.Label, r => r.Sum);
        var hours = (await db.TimeTotals.Where(t => t.FundId == row.FundId && t.ConfirmedMinutes > 0)
                .Join(db.Organisations, t => t.OrganisationId, o => o.Id, (t, o) => new { o.Id, o.Name, o.Listing, t.ConfirmedMinutes })
                .ToListAsync(cancellationToken))
            .GroupBy(r => SponsorLabels.Of(r.Id, r.Name, r.Listing)).ToDictionary(g => g.Key, g => g.Sum(r => r.ConfirmedMinutes));
        var funders = given.Keys.Concat(hours.Keys).Distinct()
            .Select(label => new PublicFunder(label, given.GetValueOrDefault(label), hours.GetValueOrDefault(label)))
            .OrderByDescending(f => f.GivenMinor).ThenByDescending(f => f.HoursDeliveredMinutes).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        var history = await db.TaskStatusChanges.Where(c => c.TaskId == row.Id).OrderBy(c => c.At)
            .Select(c => new PublicStatusChange(c.From, c.To, c.At)).ToListAsync(cancellationToken);
        return new PublicTaskDetail(task, row.Description, funders, await PublicFigures.InKindAsync(db, row.FundId, cancellationToken), history);
    }

    private static async Task<IReadOnlyList<PublicTask>> ListAsync(AppDbContext db, IQueryable<DevopsTask> tasks, string baseCurrency, CancellationToken cancellationToken)
    {
        var rows = await tasks.InReadingOrder()
            .Select(t => new { t.Slug, t.Title, t.Status, FundId = t.Fund!.Id, t.MoneyGoalMinor, t.Currency, t.HoursGoalMinutes, t.DueDate, t.IssueUrl })
            .ToListAsync(cancellationToken);
        var funding = await TaskFunding.ForFundsAsync(db, rows.Select(r => (r.FundId, new Money(r.MoneyGoalMinor, r.Currency), new Hours(r.HoursGoalMinutes))).ToList(),
            baseCurrency, cancellationToken);
        return rows.Select(r => new PublicTask(r.Slug, r.Title, r.Status, funding[r.FundId], r.DueDate, r.IssueUrl)).ToList();
    }
}
