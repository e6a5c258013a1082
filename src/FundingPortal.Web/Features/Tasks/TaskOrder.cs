namespace FundingPortal.Web.Features.Tasks;

/// <summary>
/// The order every task list reads in: what can be worked on first (open, in progress), then what is proposed, then what is
/// finished (done, cancelled); by title within a status. Done in SQL (the status is stored as its name, so sorting the column
/// alone would put "Cancelled" first).
/// </summary>
public static class TaskOrder
{
    public static IOrderedQueryable<DevopsTask> InReadingOrder(this IQueryable<DevopsTask> tasks) =>
        tasks.OrderBy(t => t.Status == DevopsTaskStatus.Open ? 0
                : t.Status == DevopsTaskStatus.InProgress ? 1
                : t.Status == DevopsTaskStatus.Proposed ? 2
                : t.Status == DevopsTaskStatus.Done ? 3
                : 4)
            .ThenBy(t => t.Title);
}
