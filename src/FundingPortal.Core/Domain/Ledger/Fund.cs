namespace FundingPortal.Core.Domain;

public enum FundKind
{
    /// <summary>The one unrestricted fund.</summary>
    Central,

    /// <summary>Restricted to one devops task.</summary>
    Task,
}

/// <summary>Where money is booked. Its balance is the sum of its ledger entries, never a stored number.</summary>
public class Fund
{
    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public FundKind Kind { get; private set; }

    public int? TaskId { get; private set; }

    public DevopsTask? Task { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static Fund Central(DateTime now) => new() { Name = "Central fund", Kind = FundKind.Central, CreatedAt = now };

    internal static Fund ForTask(DevopsTask task, DateTime now) => new() { Name = task.Title, Kind = FundKind.Task, Task = task, CreatedAt = now };

    /// <summary>A task's fund is named after its task and follows it when the task is renamed.</summary>
    internal void Rename(string name) => Name = name;
}
