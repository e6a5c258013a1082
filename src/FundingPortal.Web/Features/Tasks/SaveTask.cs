using FundingPortal.Web.Features.Payments;

namespace FundingPortal.Web.Features.Tasks;

/// <summary>Reviewers propose tasks, edit them and move them through their states; every change is audited in the same transaction.</summary>
public sealed class SaveTask(Handlers handlers, RequestPayments payments)
{
    private static readonly HandlerRules Reviewers = new(Caller.Reviewer, "Only reviewers can propose or edit tasks.");

    public Task<Result<int>> ProposeAsync(TaskInput input, string userId, CancellationToken cancellationToken = default) =>
        WithCheckedTermsAsync(input, null, userId, async (scope, terms) =>
        {
            var (db, _, now) = scope;
            var task = DevopsTask.Propose(terms.Title, terms.Slug, terms.Description, terms.MoneyGoal, terms.HoursGoal, terms.OwnerUserId, now);
            task.Describe(terms.Title, terms.Description, terms.DueDate, terms.IssueUrl);
            db.Tasks.Add(task);
            return await SaveAsync(db, task, "task.proposed", null, terms, userId, now, cancellationToken);
        }, cancellationToken);

    public Task<Result<int>> UpdateAsync(int taskId, TaskInput input, string userId, CancellationToken cancellationToken = default) =>
        WithCheckedTermsAsync(input, taskId, userId, async (scope, terms) =>
        {
            var db = scope.Db;
            var task = await db.Tasks.Include(t => t.Fund).SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
            if (task is null)
            {
                return Result<int>.NotFound("The task");
            }
            var before = Terms(task);
            var edited = task.Edit(terms.Title, terms.Slug, terms.Description, terms.MoneyGoal, terms.HoursGoal, terms.DueDate, terms.IssueUrl, terms.OwnerUserId);
            if (!edited.Succeeded)
            {
                return edited.Problem!;
            }
            return await SaveAsync(db, task, "task.updated", before, terms, userId, scope.Now, cancellationToken);
        }, cancellationToken);

    public Task<Result<DevopsTaskStatus>> MoveAsync(int taskId, DevopsTaskStatus to, string userId, Uri? portalBase = null, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Reviewer, "Only reviewers can move tasks."), async scope =>
        {
            var db = scope.Db;
            var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
            if (task is null)
            {
                return Result<DevopsTaskStatus>.NotFound("The task");
            }
            var now = scope.Now;
            var from = task.Status;
            var moved = task.MoveTo(to, userId, now);
            if (!moved.Succeeded)
            {
                return moved.Problem!;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Audit("task.moved", nameof(DevopsTask), Id(task), userId, now, before: new { Status = from.ToString() }, after: new { Status = to.ToString() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (task.Status == DevopsTaskStatus.Done)
            {
                await payments.ForCompletedTaskAsync(task.Id, userId, portalBase, cancellationToken);
            }
            return Result<DevopsTaskStatus>.Ok(task.Status);
        }, cancellationToken);

    /// <summary>Proposing and editing both start from the reviewer's terms, checked (<see cref="CheckAsync"/>) before anything changes.</summary>
    private Task<Result<int>> WithCheckedTermsAsync(TaskInput input, int? taskId, string userId, Func<HandlerScope, TaskTerms, Task<Result<int>>> save,
        CancellationToken cancellationToken) =>
        handlers.RunAsync(userId, Reviewers, async scope =>
        {
            var terms = await CheckAsync(scope.Db, input, taskId, cancellationToken);
            if (!terms.Succeeded)
            {
                return terms.Problem!;
            }
            return await save(scope, terms.Value!);
        }, cancellationToken);

    private static async Task<Result<TaskTerms>> CheckAsync(AppDbContext db, TaskInput input, int? taskId, CancellationToken cancellationToken)
    {
        var terms = input.Validate();
        if (!terms.Succeeded)
        {
            return terms;
        }
        if (await db.Tasks.AnyAsync(t => t.Slug == terms.Value!.Slug && t.Id != taskId, cancellationToken))
        {
            return SlugTaken();
        }
        if (!await db.IsReviewerAsync(terms.Value!.OwnerUserId, cancellationToken))
        {
            return Result<TaskTerms>.Invalid(nameof(TaskInput.OwnerUserId), "The owner must be a reviewer.");
        }
        return terms;
    }

    private static async Task<Result<int>> SaveAsync(AppDbContext db, DevopsTask task, string action, TaskTerms? before, TaskTerms after, string userId,
        DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.Audit(action, nameof(DevopsTask), Id(task), userId, now, before: Audited(before), after: Audited(after));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(task.Id);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return SlugTaken().Problem!;
        }
    }

    private static object? Audited(TaskTerms? terms) => terms is null ? null : new
    {
        terms.Title,
        terms.Slug,
        terms.Description,
        MoneyGoal = terms.MoneyGoal.ToString(),
        HoursGoal = terms.HoursGoal.ToString(),
        terms.DueDate,
        terms.IssueUrl,
        terms.OwnerUserId,
    };

    private static TaskTerms Terms(DevopsTask task) =>
        new(task.Title, task.Slug, task.Description, task.MoneyGoal, task.HoursGoal, task.DueDate, task.IssueUrl, task.OwnerUserId ?? "");

    private static string Id(DevopsTask task) => task.Id.ToString(CultureInfo.InvariantCulture);

    private static Result<TaskTerms> SlugTaken() =>
        Result<TaskTerms>.Invalid(nameof(TaskInput.Slug), "Another task already uses that slug. Choose another.");
}
