namespace FundingPortal.Core.Domain;

/// <summary>
/// The time limit a job runs under (GitLab's job timeout, GitHub's <c>timeout-minutes</c>), so the reports can show jobs that
/// come close to it. Without one the reports take the longest timed-out run of the job as its limit.
/// </summary>
public class CiJobTimeout
{
    public const int MaxMinutes = 7 * 24 * 60;

    private CiJobTimeout()
    {
    }

    public int Id { get; private set; }

    public int ProviderId { get; private set; }

    public string Project { get; private set; } = "";

    public string JobName { get; private set; } = "";

    public int TimeoutMinutes { get; private set; }

    public static Result<CiJobTimeout> Create(int providerId, string? project, string? jobName, int timeoutMinutes)
    {
        var projectName = project?.Trim() ?? "";
        var job = jobName?.Trim() ?? "";
        if (projectName.Length is 0 or > 200)
        {
            return Result<CiJobTimeout>.Invalid("project", "Enter the project as the usage shows it (at most 200 characters).");
        }
        if (job.Length is 0 or > 200)
        {
            return Result<CiJobTimeout>.Invalid("jobName", "Enter the job name as the usage shows it (at most 200 characters).");
        }
        var timeout = new CiJobTimeout { ProviderId = providerId, Project = projectName, JobName = job };
        var changed = timeout.Change(timeoutMinutes);
        return changed.Succeeded ? Result<CiJobTimeout>.Ok(timeout) : changed;
    }

    public Result<CiJobTimeout> Change(int timeoutMinutes)
    {
        if (timeoutMinutes is < 1 or > MaxMinutes)
        {
            return Result<CiJobTimeout>.Invalid("timeoutMinutes", $"The timeout must be between 1 and {MaxMinutes:#,0} minutes.");
        }
        TimeoutMinutes = timeoutMinutes;
        return Result<CiJobTimeout>.Ok(this);
    }
}
