using System.Globalization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Organisations;
using FundingPortal.Web.Features.Payments;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Web.Features.Tasks;

/// <summary>Reviewers propose tasks, edit them and move them through their states; every change is audited in the same transaction.</summary>
public sealed class SaveTask(IDbContextFactory<AppDbContext> contexts, TimeProvider clock, RequestPayments payments)
{
    public async Task<Result<int>> ProposeAsync(TaskInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var checkedTerms = await CheckAsync(db, input, null, userId, cancellationToken);
        if (!checkedTerms.Succeeded)
        {
            return Result<int>.From(checkedTerms.Problem!);
        }
        var terms = checkedTerms.Value!;
        var now = clock.GetUtcNow().UtcDateTime;
        var task = DevopsTask.Propose(terms.Title, terms.Slug, terms.Description, terms.MoneyGoal, terms.HoursGoal, terms.OwnerUserId, now);
        task.Describe(terms.Title, terms.Description, terms.DueDate, terms.IssueUrl);
        db.Tasks.Add(task);
        return await SaveAsync(db, task, "task.proposed", null, terms, userId, now, cancellationToken);
    }

    public async Task<Result<int>> UpdateAsync(int taskId, TaskInput input, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var checkedTerms = await CheckAsync(db, input, taskId, userId, cancellationToken);
        if (!checkedTerms.Succeeded)
        {
            return Result<int>.From(checkedTerms.Problem!);
        }
        var terms = checkedTerms.Value!;
        var task = await db.Tasks.Include(t => t.Fund).SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null)
        {
            return Result<int>.NotFound("The task");
        }
        var before = Terms(task);
        var edited = task.Edit(terms.Title, terms.Slug, terms.Description, terms.MoneyGoal, terms.HoursGoal, terms.DueDate, terms.IssueUrl, terms.OwnerUserId);
        if (!edited.Succeeded)
        {
            return Result<int>.From(edited.Problem!);
        }
        return await SaveAsync(db, task, "task.updated", before, terms, userId, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    public async Task<Result<DevopsTaskStatus>> MoveAsync(int taskId, DevopsTaskStatus to, string userId, Uri? portalBase = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<DevopsTaskStatus>.Forbidden("Only reviewers can move tasks.");
        }
        var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null)
        {
            return Result<DevopsTaskStatus>.NotFound("The task");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var from = task.Status;
        var moved = task.MoveTo(to, userId, now);
        if (!moved.Succeeded)
        {
            return Result<DevopsTaskStatus>.From(moved.Problem!);
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
    }

    private static async Task<Result<TaskTerms>> CheckAsync(AppDbContext db, TaskInput input, int? taskId, string userId, CancellationToken cancellationToken)
    {
        if (!await db.IsReviewerAsync(userId, cancellationToken))
        {
            return Result<TaskTerms>.Forbidden("Only reviewers can propose or edit tasks.");
        }
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
            return Result<int>.From(SlugTaken().Problem!);
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
