namespace FundingPortal.Core.Domain;

public enum DevopsTaskStatus
{
    Proposed,
    Open,
    InProgress,
    Done,
    Cancelled,
}

/// <summary>A concrete piece of devops work sponsors can fund ("get the Windows build under the 90-minute limit").</summary>
public class DevopsTask
{
    public const int TitleMaxLength = 160;

    private readonly List<TaskStatusChange> _history = [];

    private DevopsTask()
    {
    }

    public int Id { get; private set; }

    public string Title { get; private set; } = "";

    public string Slug { get; private set; } = "";

    /// <summary>Markdown as written; rendered through a sanitiser, never as raw HTML.</summary>
    public string Description { get; private set; } = "";

    public DevopsTaskStatus Status { get; private set; }

    public long MoneyGoalMinor { get; private set; }

    public string Currency { get; private set; } = "USD";

    public long HoursGoalMinutes { get; private set; }

    public DateOnly? DueDate { get; private set; }

    public string? IssueUrl { get; private set; }

    public string? OwnerUserId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public Fund? Fund { get; private set; }

    public IReadOnlyList<TaskStatusChange> History => _history;

    public Money MoneyGoal => new(MoneyGoalMinor, Currency);

    public Hours HoursGoal => new(HoursGoalMinutes);

    public bool AcceptsPledges => Status is not (DevopsTaskStatus.Done or DevopsTaskStatus.Cancelled);

    /// <summary>Creates a proposed task together with its earmarked fund.</summary>
    public static DevopsTask Propose(string title, string slug, string description, Money moneyGoal, Hours hoursGoal, string? ownerUserId, DateTime now)
    {
        var task = new DevopsTask
        {
            Title = title,
            Slug = slug,
            Description = description,
            MoneyGoalMinor = moneyGoal.MinorUnits,
            Currency = moneyGoal.Currency,
            HoursGoalMinutes = hoursGoal.Minutes,
            OwnerUserId = ownerUserId,
            CreatedAt = now,
            Status = DevopsTaskStatus.Proposed,
        };
        task.Fund = Fund.ForTask(task, now);
        return task;
    }

    public void Describe(string title, string description, DateOnly? dueDate, string? issueUrl)
    {
        Title = title;
        Description = description;
        DueDate = dueDate;
        IssueUrl = issueUrl;
    }

    /// <summary>
    /// Changes what the task is and what it aims for; its earmarked fund takes the new title. A task that is done or cancelled is a
    /// closed record and is not edited any more.
    /// </summary>
    public Result<DevopsTask> Edit(string title, string slug, string description, Money moneyGoal, Hours hoursGoal, DateOnly? dueDate, string? issueUrl,
        string? ownerUserId)
    {
        if (Status is DevopsTaskStatus.Done or DevopsTaskStatus.Cancelled)
        {
            return Result<DevopsTask>.Conflict($"A task that is {Status} can no longer be edited.");
        }
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > TitleMaxLength)
        {
            return Result<DevopsTask>.Invalid("title", $"Enter a title of at most {TitleMaxLength} characters.");
        }
        if (moneyGoal.MinorUnits < 0)
        {
            return Result<DevopsTask>.Invalid("moneyGoal", "The money goal cannot be negative.");
        }
        if (hoursGoal.Minutes < 0)
        {
            return Result<DevopsTask>.Invalid("hoursGoal", "The hours goal cannot be negative.");
        }
        Slug = slug;
        MoneyGoalMinor = moneyGoal.MinorUnits;
        Currency = moneyGoal.Currency;
        HoursGoalMinutes = hoursGoal.Minutes;
        OwnerUserId = ownerUserId;
        Describe(title.Trim(), description, dueDate, issueUrl);
        Fund?.Rename(Title);
        return Result<DevopsTask>.Ok(this);
    }

    public static bool CanMove(DevopsTaskStatus from, DevopsTaskStatus to) => (from, to) switch
    {
        (DevopsTaskStatus.Proposed, DevopsTaskStatus.Open) => true,
        (DevopsTaskStatus.Open, DevopsTaskStatus.InProgress) => true,
        (DevopsTaskStatus.InProgress, DevopsTaskStatus.Done) => true,
        (DevopsTaskStatus.InProgress, DevopsTaskStatus.Open) => true,
        (DevopsTaskStatus.Proposed or DevopsTaskStatus.Open or DevopsTaskStatus.InProgress, DevopsTaskStatus.Cancelled) => true,
        _ => false,
    };

    public Result<TaskStatusChange> MoveTo(DevopsTaskStatus to, string? byUserId, DateTime now)
    {
        if (!CanMove(Status, to))
        {
            return Result<TaskStatusChange>.Conflict($"A task that is {Status} cannot move to {to}.");
        }
        var change = new TaskStatusChange(Status, to, byUserId, now);
        Status = to;
        _history.Add(change);
        return Result<TaskStatusChange>.Ok(change);
    }
}

public class TaskStatusChange
{
    internal TaskStatusChange(DevopsTaskStatus from, DevopsTaskStatus to, string? byUserId, DateTime at)
    {
        From = from;
        To = to;
        ByUserId = byUserId;
        At = at;
    }

    public long Id { get; private set; }

    public int TaskId { get; private set; }

    public DevopsTaskStatus From { get; private set; }

    public DevopsTaskStatus To { get; private set; }

    public string? ByUserId { get; private set; }

    public DateTime At { get; private set; }
}
