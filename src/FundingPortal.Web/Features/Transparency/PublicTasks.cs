using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Tasks;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Transparency;

public sealed record PublicTask(string Slug, string Title, DevopsTaskStatus Status, TaskFunding Funding, DateOnly? DueDate, string? IssueUrl);

public sealed record PublicFunder(string Name, long GivenMinor, long HoursDeliveredMinutes);

public sealed record PublicTaskDetail(PublicTask Task, string Description, IReadOnlyList<PublicFunder> Funders, int AnonymousFunders,
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
        var given = await db.LedgerEntries
            .Where(e => e.FundId == row.FundId && e.CounterpartyOrganisationId != null && !e.CounterpartyHidden
                && (e.Kind == LedgerEntryKind.Contribution || e.Kind == LedgerEntryKind.Refund))
            .GroupBy(e => e.CounterpartyOrganisationId!.Value)
            .Select(g => new { OrganisationId = g.Key, Sum = g.Sum(e => e.AmountMinor) })
            .ToDictionaryAsync(r => r.OrganisationId, r => r.Sum, cancellationToken);
        var hours = await db.TimeTotals.Where(t => t.FundId == row.FundId && t.ConfirmedMinutes > 0)
            .ToDictionaryAsync(t => t.OrganisationId, t => t.ConfirmedMinutes, cancellationToken);
        var ids = given.Keys.Concat(hours.Keys).Distinct().ToList();
        var organisations = await db.Organisations.Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name, o.Listing }).ToListAsync(cancellationToken);
        var funders = organisations.Where(o => o.Listing == PublicListing.ByName)
            .Select(o => new PublicFunder(o.Name, given.GetValueOrDefault(o.Id), hours.GetValueOrDefault(o.Id)))
            .OrderByDescending(f => f.GivenMinor).ThenByDescending(f => f.HoursDeliveredMinutes).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        var history = await db.TaskStatusChanges.Where(c => c.TaskId == row.Id).OrderBy(c => c.At)
            .Select(c => new PublicStatusChange(c.From, c.To, c.At)).ToListAsync(cancellationToken);
        return new PublicTaskDetail(task, row.Description, funders, organisations.Count - funders.Count, history);
    }

    private static async Task<IReadOnlyList<PublicTask>> ListAsync(AppDbContext db, IQueryable<DevopsTask> tasks, string baseCurrency, CancellationToken cancellationToken)
    {
        var rows = await tasks.OrderBy(t => t.Status).ThenBy(t => t.Title)
            .Select(t => new { t.Slug, t.Title, t.Status, FundId = t.Fund!.Id, t.MoneyGoalMinor, t.Currency, t.HoursGoalMinutes, t.DueDate, t.IssueUrl })
            .ToListAsync(cancellationToken);
        var funding = await TaskFunding.ForFundsAsync(db, rows.Select(r => (r.FundId, new Money(r.MoneyGoalMinor, r.Currency), new Hours(r.HoursGoalMinutes))).ToList(),
            baseCurrency, cancellationToken);
        return rows.Select(r => new PublicTask(r.Slug, r.Title, r.Status, funding[r.FundId], r.DueDate, r.IssueUrl)).ToList();
    }
}
