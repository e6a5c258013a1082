using FundingPortal.Web.Features.FollowUp;
using FundingPortal.Web.Features.Ledger;

using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Fulfilment;

public sealed record QueueItem(int Id, string Title, string Detail, string Href);

public sealed record ReviewerDashboardView(
    int PledgesToReview, IReadOnlyList<QueueItem> PledgesToReviewTop,
    int OverdueInstallments, IReadOnlyList<string> OverdueOutstanding, IReadOnlyList<QueueItem> OverdueTop,
    int TimeEntriesToConfirm, IReadOnlyList<QueueItem> TimeEntriesTop,
    int DeliveriesToConfirm, IReadOnlyList<QueueItem> DeliveriesTop,
    int ExpensesToApprove, IReadOnlyList<QueueItem> ExpensesTop,
    IReadOnlyList<FundBalance> FundBalances, double? MeanHonouredShare);

/// <summary>The devops group's start page: what waits for a reviewer in each queue, fund balances and the overall honoured rate, counted in SQL.</summary>
public sealed class ReviewerDashboard(Handlers handlers, IOptions<PortalOptions> portal)
{
    private const int Top = 5;

    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers see the devops dashboard.");

    public Task<Result<ReviewerDashboardView>> GetAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, Reviewers, scope => ReadAsync(scope.Db, scope.Today, cancellationToken), cancellationToken);

    private async Task<Result<ReviewerDashboardView>> ReadAsync(AppDbContext db, DateOnly today, CancellationToken cancellationToken)
    {

        var submitted = db.Pledges.Where(p => p.Status == PledgeStatus.Submitted);
        var pledgesCount = await submitted.CountAsync(cancellationToken);
        var pledgesTop = await submitted.OrderBy(p => p.SubmittedAt).Take(Top)
            .Select(p => new { p.Id, Organisation = p.Organisation!.Name, Fund = p.Fund!.Name, p.Kind })
            .ToListAsync(cancellationToken);

        var overdue = OverdueInstallments.Overdue(db, today);
        var overdueCount = await overdue.CountAsync(cancellationToken);
        var money = await overdue.Where(i => i.HoursDueMinutes == 0).GroupBy(i => i.Currency)
            .Select(g => new { Currency = g.Key, Sum = g.Sum(i => i.AmountDueMinor - i.AmountReceivedMinor) })
            .ToListAsync(cancellationToken);
        var minutes = await overdue.Where(i => i.HoursDueMinutes > 0).SumAsync(i => (long?)(i.HoursDueMinutes - i.HoursDeliveredMinutes), cancellationToken) ?? 0;
        var outstanding = money.OrderBy(m => m.Currency, StringComparer.Ordinal).Select(m => Display.Money(m.Sum, m.Currency)).ToList();
        if (minutes > 0)
        {
            outstanding.Add(Display.Hours(minutes));
        }
        var overdueTop = await overdue.OrderBy(i => i.DueDate).ThenBy(i => i.Id).Take(Top)
            .Select(i => new { i.Id, Organisation = i.Pledge!.Organisation!.Name, i.DueDate })
            .ToListAsync(cancellationToken);

        var entries = db.TimeEntries.Where(t => t.Status == ConfirmationStatus.Submitted);
        var entriesCount = await entries.CountAsync(cancellationToken);
        var entriesTop = await entries.OrderBy(t => t.RecordedAt).Take(Top)
            .Join(db.Pledges, t => t.PledgeId, p => p.Id, (t, p) => new { t.Id, t.Minutes, t.Date, Organisation = p.Organisation!.Name })
            .ToListAsync(cancellationToken);

        var deliveries = db.InKindDeliveries.Where(d => d.Status == ConfirmationStatus.Submitted);
        var deliveriesCount = await deliveries.CountAsync(cancellationToken);
        var deliveriesTop = await deliveries.OrderBy(d => d.DeliveredOn).Take(Top)
            .Join(db.Pledges, d => d.PledgeId, p => p.Id, (d, p) => new { d.Id, d.ValueMinor, d.Currency, Organisation = p.Organisation!.Name })
            .ToListAsync(cancellationToken);

        var expenses = db.Expenses.Where(e => e.Status == ExpenseStatus.Submitted);
        var expensesCount = await expenses.CountAsync(cancellationToken);
        var expensesTop = await expenses.OrderBy(e => e.IncurredOn).Take(Top)
            .Select(e => new { e.Id, e.Vendor, e.AmountMinor, e.Currency })
            .ToListAsync(cancellationToken);

        var balances = await FundBalances.AllAsync(db, portal.Value.BaseCurrency, cancellationToken);
        var rate = await HonouredRates.MeanHonouredShareOverallAsync(db, today, cancellationToken);

        return Result<ReviewerDashboardView>.Ok(new ReviewerDashboardView(
            pledgesCount, pledgesTop.Select(p => new QueueItem(p.Id, p.Organisation, $"{Display.Words(p.Kind)} → {p.Fund}", $"devops/pledges/{p.Id}")).ToList(),
            overdueCount, outstanding, overdueTop.Select(i => new QueueItem(i.Id, i.Organisation,
                $"due {i.DueDate:yyyy-MM-dd}, {today.DayNumber - i.DueDate.DayNumber} days overdue", "devops/follow-up")).ToList(),
            entriesCount, entriesTop.Select(t => new QueueItem(t.Id, t.Organisation, $"{new Hours(t.Minutes)} on {t.Date:yyyy-MM-dd}", "devops/time-entries")).ToList(),
            deliveriesCount, deliveriesTop.Select(d => new QueueItem(d.Id, d.Organisation, new Money(d.ValueMinor, d.Currency).ToString(), "devops/deliveries")).ToList(),
            expensesCount, expensesTop.Select(e => new QueueItem(e.Id, e.Vendor, new Money(e.AmountMinor, e.Currency).ToString(), $"devops/expenses/{e.Id}")).ToList(),
            balances, rate));
    }
}
