namespace FundingPortal.Web.Features.CiUsage;

/// <summary>The portal's own CSV for any other CI service: one row per run, each naming its provider.</summary>
public sealed class GenericCsv : CsvImportFormat
{
    public static readonly GenericCsv Instance = new();

    public static readonly string[] Header =
        ["provider", "project", "pipeline", "job", "runner", "started_at", "finished_at", "duration_seconds", "status", "cost", "currency", "external_id"];

    private GenericCsv()
        : base(id: "GenericCsv", name: "generic-csv", description: "Generic CI usage (CSV)", providerKind: null,
            recognisedBy: ["external_id", "duration_seconds"])
    {
    }

    internal override CsvRowParser Rows(IReadOnlyList<string> header, ImportContext context) => new GenericCsvRows(header, context);
}

/// <summary>The portal's own CSV for any other service: one row per run, a cost when the service bills one, else the price book's.</summary>
internal sealed class GenericCsvRows : CsvRowParser
{
    private readonly int _provider, _project, _pipeline, _job, _runner, _started, _finished, _duration, _status, _cost, _currency, _externalId;

    public GenericCsvRows(IReadOnlyList<string> header, ImportContext context) : base(header, GenericCsv.Header, "generic CI usage", context)
    {
        (_provider, _project, _pipeline, _job, _runner, _started) = (Column("provider"), Column("project"), Column("pipeline"), Column("job"), Column("runner"), Column("started_at"));
        (_finished, _duration, _status, _cost, _currency, _externalId) =
            (Column("finished_at"), Column("duration_seconds"), Column("status"), Column("cost"), Column("currency"), Column("external_id"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var providerName = Text(fields, _provider);
        var book = providerName.Length == 0
            ? Context.Provider ?? throw new RowException("column 'provider' is empty and no provider was chosen for the file.")
            : Context.ByName(providerName) ?? throw new RowException($"column 'provider': no CI provider is called '{CiImportFormats.Shorten(providerName)}' (an admin adds providers).");
        var externalId = Text(fields, _externalId);
        if (externalId.Length == 0)
        {
            throw new RowException("column 'external_id' is empty (each run needs the service's own id, so a re-export is stored once).");
        }
        if (externalId.Length > 200)
        {
            throw new RowException("column 'external_id' is longer than 200 characters.");
        }
        var job = Text(fields, _job);
        if (job.Length == 0)
        {
            throw new RowException("column 'job' is empty.");
        }
        var started = Timestamp(fields, _started, "started_at");
        DateTime? finished = Text(fields, _finished).Length == 0 ? null : Timestamp(fields, _finished, "finished_at");
        long seconds;
        if (Text(fields, _duration).Length > 0)
        {
            seconds = (long)decimal.Round(Number(fields, _duration, "duration_seconds", allowNegative: true), 0, MidpointRounding.AwayFromZero);
        }
        else if (finished is { } end)
        {
            seconds = (long)(end - started).TotalSeconds;
        }
        else
        {
            throw new RowException("columns 'duration_seconds' and 'finished_at' are both empty.");
        }
        CheckDuration(seconds, Text(fields, _duration).Length > 0 ? "duration_seconds" : "finished_at");
        var providerStatus = Text(fields, _status);
        var status = providerStatus.ToLowerInvariant() switch
        {
            "success" or "succeeded" or "passed" or "ok" => CiJobStatus.Success,
            "failed" or "failure" or "error" or "errored" => CiJobStatus.Failed,
            "cancelled" or "canceled" or "aborted" => CiJobStatus.Cancelled,
            "timed_out" or "timedout" or "timeout" => CiJobStatus.TimedOut,
            "skipped" or "not_run" => CiJobStatus.Skipped,
            _ => throw new RowException($"column 'status': '{CiImportFormats.Shorten(providerStatus)}' is not one of success, failed, cancelled, timed_out, skipped."),
        };
        var currency = Text(fields, _currency).ToUpperInvariant();
        if (currency.Length == 0)
        {
            currency = book.Provider.Currency;
        }
        else if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new RowException($"column 'currency': '{CiImportFormats.Shorten(currency)}' is not a three-letter currency code.");
        }
        var runner = Text(fields, _runner);
        var os = CiImportFormats.OsFrom(runner);
        var priced = book.PriceRun(seconds, runner.Length == 0 ? null : runner, os, DateOnly.FromDateTime(started));
        var amount = Text(fields, _cost).Length == 0 ? priced.ListAmountMicros : CiPriceBook.ToMicros(Number(fields, _cost, "cost"));
        if (amount > 1_000_000 * CiPriceBook.ToMicros(1))
        {
            throw new RowException("column 'cost': more than 1,000,000 for one run is not believable.");
        }
        var pipeline = Text(fields, _pipeline);
        var run = new CiJobRun(book.Provider.Id, Context.BatchId, externalId, Limit(Text(fields, _project), 200), pipeline.Length == 0 ? null : Limit(pipeline, 200),
            Limit(job, 200), runner.Length == 0 ? null : Limit(runner, 100), os, started, finished, seconds, priced.RawMinutes, priced.QuotaMinutes, amount, amount,
            currency, status, Limit(providerStatus, 60), IsRetry: false);
        return new RunRow(line, run);
    }
}
