using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Tasks;

public sealed record TaskRow(int Id, string Title, string Slug, DevopsTaskStatus Status, string? Owner, DateOnly? DueDate, TaskFunding Funding);

public sealed record TaskDetails(int Id, int FundId, string Title, string Slug, string DescriptionHtml, DevopsTaskStatus Status, string? OwnerUserId, string? Owner,
    DateOnly? DueDate, string? IssueUrl, DateTime CreatedAt, TaskFunding Funding, IReadOnlyList<DevopsTaskStatus> NextStates,
    IReadOnlyList<TaskHistoryRow> History, TaskInput Input);

public sealed record TaskHistoryRow(DateTime At, DevopsTaskStatus From, DevopsTaskStatus To, string? Who);

/// <summary>Where a sponsor can pledge: the central fund (no task) or a task that still accepts pledges.</summary>
public sealed record PledgeTarget(int FundId, int? TaskId, string Title, string? Slug, DevopsTaskStatus? Status);

public sealed record ReviewerOption(string UserId, string Name);

/// <summary>Reads of tasks: the reviewers' list and task page, and the sponsor-facing list of what can be pledged to.</summary>
public sealed class GetTasks(IDbContextFactory<AppDbContext> contexts, Handlers handlers, IOptions<PortalOptions> options)
{
    private static readonly DevopsTaskStatus[] AllStates = Enum.GetValues<DevopsTaskStatus>();

    private string BaseCurrency => options.Value.BaseCurrency;

    public Task<Result<IReadOnlyList<TaskRow>>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Reviewer, "Only reviewers can see the task list."), async scope =>
        {
            var db = scope.Db;
            var tasks = await db.Tasks.AsNoTracking()
                .InReadingOrder()
                .Select(t => new
                {
                    t.Id,
                    t.Title,
                    t.Slug,
                    t.Status,
                    t.DueDate,
                    t.MoneyGoalMinor,
                    t.Currency,
                    t.HoursGoalMinutes,
                    FundId = t.Fund!.Id,
                    Owner = db.Users.Where(u => u.Id == t.OwnerUserId).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var funding = await TaskFunding.ForFundsAsync(db,
                tasks.Select(t => (t.FundId, new Money(t.MoneyGoalMinor, t.Currency), new Hours(t.HoursGoalMinutes))).ToList(), BaseCurrency, cancellationToken);
            return Result<IReadOnlyList<TaskRow>>.Ok(tasks.Select(t => new TaskRow(t.Id, t.Title, t.Slug, t.Status, t.Owner, t.DueDate, funding[t.FundId])).ToList());
        }, cancellationToken);

    public Task<Result<TaskDetails>> DetailsAsync(int taskId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Reviewer, "Only reviewers can manage tasks."), async scope =>
        {
            var db = scope.Db;
            var task = await db.Tasks.AsNoTracking().Include(t => t.Fund).Include(t => t.History).SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
            if (task is null)
            {
                return Result<TaskDetails>.NotFound("The task");
            }
            var userIds = task.History.Select(h => h.ByUserId).Append(task.OwnerUserId).OfType<string>().Distinct().ToList();
            var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName != "" ? u.DisplayName : u.Email ?? u.Id, cancellationToken);
            var funding = await TaskFunding.ForFundsAsync(db, [(task.Fund!.Id, task.MoneyGoal, task.HoursGoal)], BaseCurrency, cancellationToken);
            return Result<TaskDetails>.Ok(new TaskDetails(task.Id, task.Fund.Id, task.Title, task.Slug, SafeMarkdown.ToHtml(task.Description), task.Status,
                task.OwnerUserId, task.OwnerUserId is null ? null : names.GetValueOrDefault(task.OwnerUserId), task.DueDate, task.IssueUrl, task.CreatedAt,
                funding[task.Fund.Id], AllStates.Where(s => DevopsTask.CanMove(task.Status, s)).ToList(),
                task.History.OrderByDescending(h => h.At).Select(h => new TaskHistoryRow(h.At, h.From, h.To, h.ByUserId is null ? null : names.GetValueOrDefault(h.ByUserId)))
                    .ToList(),
                TaskInput.From(task)));
        }, cancellationToken);

    /// <summary>The people who can own a task.</summary>
    public async Task<IReadOnlyList<ReviewerOption>> ReviewersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string[] roles = [Roles.Reviewer, Roles.Admin];
        return await (from userRole in db.UserRoles
                      join role in db.Roles on userRole.RoleId equals role.Id
                      join user in db.Users on userRole.UserId equals user.Id
                      where roles.Contains(role.Name!)
                      select new { user.Id, Name = user.DisplayName != "" ? user.DisplayName : user.Email ?? user.Id })
            .Distinct()
            .OrderBy(u => u.Name)
            .Select(u => new ReviewerOption(u.Id, u.Name))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// For the pledge form: the central fund first, then every task that still accepts pledges (see <see cref="DevopsTask.AcceptsPledges"/>).
    /// Task titles and slugs are public (the transparency page lists them), so any signed-in sponsor may read this.
    /// </summary>
    public async Task<IReadOnlyList<PledgeTarget>> OpenForPledgesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var central = await db.Funds.AsNoTracking().Where(f => f.Kind == FundKind.Central).OrderBy(f => f.Id)
            .Select(f => new PledgeTarget(f.Id, null, f.Name, null, null)).Take(1).ToListAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => t.Status != DevopsTaskStatus.Done && t.Status != DevopsTaskStatus.Cancelled)
            .OrderBy(t => t.Title)
            .Select(t => new PledgeTarget(t.Fund!.Id, t.Id, t.Title, t.Slug, t.Status))
            .ToListAsync(cancellationToken);
        return [.. central, .. tasks];
    }
}
