using System.Text.Json;
using System.Text.Json.Serialization;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// GitLab's Jobs API output: one array, several pages' arrays concatenated, or one job per line (NDJSON), read as a stream
/// (<see cref="GitLabJobReader"/>). Jobs of one pipeline arrive together, so retries are found within the pipeline's group:
/// every run of a job name after the first (lowest id) is a retry.
/// </summary>
public sealed class GitLabJobsJson : ICiImportFormat
{
    public static readonly GitLabJobsJson Instance = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private GitLabJobsJson()
    {
    }

    public string Id => "GitLabJobsJson";

    public string Name => "gitlab-jobs-json";

    public string Description => "GitLab CI jobs (JSON)";

    public CiProviderKind? ProviderKind => CiProviderKind.GitLabCi;

    public bool IsJson => true;

    public bool Recognises(CiFileStart start) => start.IsJson;

    public IEnumerable<ImportRow> Parse(Stream stream, ImportContext context)
    {
        var pipelineId = (long?)null;
        var group = new List<(int Line, GitLabJob Job)>();
        foreach (var (line, element) in GitLabJobReader.Objects(stream))
        {
            GitLabJob? job;
            string? problem = null;
            try
            {
                job = element.Deserialize<GitLabJob>(Json);
            }
            catch (JsonException exception)
            {
                job = null;
                problem = $"the job is not in GitLab's shape ({exception.Message.Split('.')[0]}).";
            }
            if (job is null)
            {
                yield return new RejectedRow(line, problem ?? "the value is not a job object.");
                continue;
            }
            var pipeline = job.Pipeline?.Id;
            if (pipeline != pipelineId && group.Count > 0)
            {
                foreach (var row in Flush(group, context))
                {
                    yield return row;
                }
            }
            pipelineId = pipeline;
            group.Add((line, job));
            // A pipeline has at most a few thousand jobs; a file without pipelines must not grow this without bound.
            if (group.Count >= 10_000)
            {
                foreach (var row in Flush(group, context))
                {
                    yield return row;
                }
            }
        }
        foreach (var row in Flush(group, context))
        {
            yield return row;
        }
    }

    private static List<ImportRow> Flush(List<(int Line, GitLabJob Job)> group, ImportContext context)
    {
        var firstAttempt = group.Where(g => g.Job.Id is not null && g.Job.Name is not null)
            .GroupBy(g => g.Job.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(j => j.Job.Id!.Value), StringComparer.Ordinal);
        var rows = group.Select(g =>
        {
            try
            {
                var retry = g.Job is { Name: { } name, Id: { } id, Pipeline: not null } && firstAttempt.TryGetValue(name, out var first) && id > first;
                return (ImportRow)ToRow(g.Line, g.Job, retry, context);
            }
            catch (RowException problem)
            {
                return new RejectedRow(g.Line, problem.Message);
            }
        }).ToList();
        group.Clear();
        return rows;
    }

    private static RunRow ToRow(int line, GitLabJob job, bool retry, ImportContext context)
    {
        var book = context.Provider ?? throw new RowException("no GitLab CI provider is set up.");
        if (job.Id is not { } id)
        {
            throw new RowException("field 'id' is missing.");
        }
        if (string.IsNullOrWhiteSpace(job.Name))
        {
            throw new RowException($"job {id}: field 'name' is missing.");
        }
        var providerStatus = job.Status ?? "";
        CiJobStatus status;
        switch (providerStatus)
        {
            case "success":
                status = CiJobStatus.Success;
                break;
            case "failed" when job.FailureReason is "stuck_or_timeout_failure" or "job_execution_timeout":
                status = CiJobStatus.TimedOut;
                break;
            case "failed":
                status = CiJobStatus.Failed;
                break;
            case "canceled" or "canceling":
                status = CiJobStatus.Cancelled;
                break;
            case "skipped" or "manual" or "created" or "pending" or "scheduled" or "waiting_for_resource" or "preparing":
                status = CiJobStatus.Skipped;
                break;
            case "running":
                throw new RowException($"job {id} is still running; import it once it has finished.");
            default:
                throw new RowException($"job {id}: field 'status': '{CiImportFormats.Shorten(providerStatus)}' is not a GitLab job status.");
        }
        var started = Utc(job.StartedAt, "started_at", id) ?? Utc(job.CreatedAt, "created_at", id)
            ?? throw new RowException($"job {id}: neither 'started_at' nor 'created_at' is set.");
        var finished = Utc(job.FinishedAt, "finished_at", id);
        var seconds = job.Duration is { } duration
            ? (long)Math.Round(duration, MidpointRounding.AwayFromZero)
            : finished is { } end && job.StartedAt is not null ? (long)(end - started).TotalSeconds : 0;
        if (seconds < 0)
        {
            throw new RowException($"job {id}: field 'duration': the duration is negative.");
        }
        if (seconds > CiImportFormats.MaxRunSeconds)
        {
            throw new RowException($"job {id}: field 'duration': {seconds / 3600m:0.#} hours is longer than the 7 days any CI service allows.");
        }
        var runnerType = RunnerType(job, book);
        var os = CiImportFormats.OsFrom(runnerType) is var fromRunner and not RunnerOs.Other ? fromRunner : RunnerOs.Linux;
        var day = DateOnly.FromDateTime(started);
        var priced = book.PriceRun(seconds, runnerType, os, day);
        // Self-managed runners use no compute quota; their cost is their hosting bill, booked under a self-hosted provider.
        var selfManaged = job.Runner is { IsShared: false } || job.Runner?.RunnerType is "project_type" or "group_type";
        var quota = selfManaged ? 0m : priced.QuotaMinutes;
        var amount = selfManaged ? 0 : priced.ListAmountMicros;
        var run = new CiJobRun(book.Provider.Id, context.BatchId, id.ToString(CultureInfo.InvariantCulture), Project(job), Limit(job.Pipeline?.Ref ?? job.Ref, 200),
            Limit(job.Name, 200)!, Limit(runnerType, 100), os, started, finished, seconds, priced.RawMinutes, quota, amount, amount, book.Provider.Currency, status,
            Limit(job.FailureReason is { Length: > 0 } reason && providerStatus == "failed" ? $"failed: {reason}" : providerStatus, 60), retry);
        return new RunRow(line, run);
    }

    /// <summary>The runner type to price: a tag the price book knows (GitLab's SaaS runners are chosen by tag), else the runner's own description.</summary>
    private static string? RunnerType(GitLabJob job, CiPriceBook book)
    {
        foreach (var tag in job.TagList ?? [])
        {
            if (book.Provider.Prices.Any(p => p.RunnerType.Equals(tag, StringComparison.OrdinalIgnoreCase)))
            {
                return tag;
            }
        }
        if (job.Runner is { IsShared: true } or null && job.TagList?.FirstOrDefault(t => t.StartsWith("saas-", StringComparison.OrdinalIgnoreCase)) is { } saas)
        {
            return saas;
        }
        return job.Runner?.Description is { Length: > 0 } description ? description : job.Runner is { IsShared: true } ? "saas-linux-small-amd64" : null;
    }

    private static string Project(GitLabJob job)
    {
        // https://gitlab.com/group/project/-/jobs/123 → group/project
        if (Uri.TryCreate(job.WebUrl, UriKind.Absolute, out var url))
        {
            var path = url.AbsolutePath.Trim('/');
            var cut = path.IndexOf("/-/", StringComparison.Ordinal);
            if (cut > 0)
            {
                return Limit(path[..cut], 200)!;
            }
        }
        return job.Pipeline?.ProjectId is { } projectId ? $"project {projectId}" : "(unknown project)";
    }

    private static DateTime? Utc(string? text, string field, long id) => string.IsNullOrWhiteSpace(text)
        ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.UtcDateTime
            : throw new RowException($"job {id}: field '{field}': '{CiImportFormats.Shorten(text)}' is not a date.");

    private static string? Limit(string? text, int length) => text is not null && text.Length > length ? text[..length] : text;
}

/// <summary>The fields of a GitLab job the portal reads; everything else in the object is ignored.</summary>
internal sealed class GitLabJob
{
    public long? Id { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    [JsonPropertyName("failure_reason")]
    public string? FailureReason { get; set; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; set; }

    [JsonPropertyName("started_at")]
    public string? StartedAt { get; set; }

    [JsonPropertyName("finished_at")]
    public string? FinishedAt { get; set; }

    public double? Duration { get; set; }

    [JsonPropertyName("tag_list")]
    public List<string>? TagList { get; set; }

    public string? Ref { get; set; }

    [JsonPropertyName("web_url")]
    public string? WebUrl { get; set; }

    public GitLabPipeline? Pipeline { get; set; }

    public GitLabRunner? Runner { get; set; }
}

internal sealed class GitLabPipeline
{
    public long? Id { get; set; }

    [JsonPropertyName("project_id")]
    public long? ProjectId { get; set; }

    public string? Ref { get; set; }
}

internal sealed class GitLabRunner
{
    public string? Description { get; set; }

    [JsonPropertyName("is_shared")]
    public bool? IsShared { get; set; }

    [JsonPropertyName("runner_type")]
    public string? RunnerType { get; set; }
}
