namespace FundingPortal.Web.Features.CiUsage;

/// <summary>CircleCI's usage export: one row per job run, with the credits it used.</summary>
public sealed class CircleCiUsageCsv : CsvImportFormat
{
    public static readonly CircleCiUsageCsv Instance = new();

    /// <summary>The columns the portal reads; the export has more.</summary>
    public static readonly string[] Required =
        ["PROJECT_NAME", "WORKFLOW_NAME", "JOB_NAME", "JOB_ID", "JOB_RUN_STARTED_AT", "JOB_RUN_STOPPED_AT", "JOB_BUILD_STATUS", "RESOURCE_CLASS", "OPERATING_SYSTEM", "JOB_RUN_SECONDS", "TOTAL_CREDITS"];

    private CircleCiUsageCsv()
        : base(id: "CircleCiUsageCsv", name: "circleci-usage-csv", description: "CircleCI usage export (CSV)", providerKind: CiProviderKind.CircleCi,
            recognisedBy: ["JOB_ID", "TOTAL_CREDITS", "JOB_RUN_SECONDS"])
    {
    }

    internal override CsvRowParser Rows(IReadOnlyList<string> header, ImportContext context) => new CircleCiUsageCsvRows(header, context);
}

/// <summary>CircleCI's usage export: one row per job run; credits become money at the credit price valid on the run's day.</summary>
internal sealed class CircleCiUsageCsvRows : CsvRowParser
{
    private readonly int _project, _workflow, _job, _jobId, _started, _stopped, _status, _resource, _os, _seconds, _credits;

    public CircleCiUsageCsvRows(IReadOnlyList<string> header, ImportContext context) : base(header, CircleCiUsageCsv.Required, "CircleCI usage export", context)
    {
        (_project, _workflow, _job, _jobId, _started, _stopped) =
            (Column("PROJECT_NAME"), Column("WORKFLOW_NAME"), Column("JOB_NAME"), Column("JOB_ID"), Column("JOB_RUN_STARTED_AT"), Column("JOB_RUN_STOPPED_AT"));
        (_status, _resource, _os, _seconds, _credits) =
            (Column("JOB_BUILD_STATUS"), Column("RESOURCE_CLASS"), Column("OPERATING_SYSTEM"), Column("JOB_RUN_SECONDS"), Column("TOTAL_CREDITS"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var book = Context.Provider ?? throw new RowException("no CircleCI provider is set up.");
        var jobId = Text(fields, _jobId);
        if (jobId.Length == 0)
        {
            throw new RowException("column 'JOB_ID' is empty.");
        }
        var started = Timestamp(fields, _started, "JOB_RUN_STARTED_AT");
        DateTime? stopped = Text(fields, _stopped).Length == 0 ? null : Timestamp(fields, _stopped, "JOB_RUN_STOPPED_AT");
        var seconds = (long)decimal.Round(Number(fields, _seconds, "JOB_RUN_SECONDS", allowNegative: true), 0, MidpointRounding.AwayFromZero);
        CheckDuration(seconds, "JOB_RUN_SECONDS");
        var credits = Number(fields, _credits, "TOTAL_CREDITS");
        var providerStatus = Text(fields, _status);
        var status = providerStatus.ToLowerInvariant() switch
        {
            "success" or "fixed" => CiJobStatus.Success,
            "failed" or "infrastructure_fail" or "failing" or "error" => CiJobStatus.Failed,
            "canceled" or "cancelled" => CiJobStatus.Cancelled,
            "timedout" or "timed_out" => CiJobStatus.TimedOut,
            "not_run" or "skipped" or "blocked" or "unauthorized" or "not_running" => CiJobStatus.Skipped,
            _ => throw new RowException($"column 'JOB_BUILD_STATUS': '{CiImportFormats.Shorten(providerStatus)}' is not a CircleCI job status."),
        };
        var resource = Text(fields, _resource);
        var os = CiImportFormats.OsFrom(Text(fields, _os)) is var fromColumn and not RunnerOs.Other ? fromColumn : CiImportFormats.OsFrom(resource);
        var day = DateOnly.FromDateTime(started);
        var minutes = CiPriceBook.BilledMinutes(seconds, book.Provider.Rounding);
        var amount = book.PriceCredits(credits, resource, os, day);
        var run = new CiJobRun(book.Provider.Id, Context.BatchId, Limit(jobId, 200), Limit(Text(fields, _project), 200), Limit(Text(fields, _workflow), 200),
            Limit(Text(fields, _job), 200), resource.Length == 0 ? null : Limit(resource, 100), os, started, stopped, seconds, minutes, minutes, amount, amount,
            book.Provider.Currency, status, Limit(providerStatus, 60), IsRetry: false, Credits: credits);
        return new RunRow(line, run);
    }
}
