using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using FundingPortal.Core.Domain;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>What one row of an export became: a run to store, a rejected row, or a row that is not build minutes (storage).</summary>
public abstract record ImportRow(int Line);

public sealed record RunRow(int Line, CiJobRun Run) : ImportRow(Line);

public sealed record RejectedRow(int Line, string Reason) : ImportRow(Line);

public sealed record NotMinutesRow(int Line) : ImportRow(Line);

/// <summary>What a parser needs besides the file: the batch, the provider(s) and their price books.</summary>
public sealed class ImportContext(int batchId, CiPriceBook? provider, IReadOnlyDictionary<string, CiPriceBook> providersByName)
{
    public int BatchId { get; } = batchId;

    /// <summary>The provider the file belongs to; for the generic CSV only the fallback when a row names none.</summary>
    public CiPriceBook? Provider { get; } = provider;

    public CiPriceBook? ByName(string name) => providersByName.GetValueOrDefault(name);
}

/// <summary>The import formats: their names on the API, their headers, detection from the first bytes, and their parsers.</summary>
public static class CiImportFormats
{
    /// <summary>The longest a single run may take before the row is refused as absurd.</summary>
    public const long MaxRunSeconds = 7 * 24 * 3600;

    /// <summary>The most minutes one aggregated GitHub row (a day × repository × workflow × SKU) may carry.</summary>
    public const decimal MaxAggregatedMinutes = 10_000_000m;

    public static readonly string[] GitHubLegacyHeader =
        ["Date", "Product", "SKU", "Quantity", "Unit Type", "Price Per Unit ($)", "Multiplier", "Owner", "Repository Slug", "Username", "Actions Workflow", "Notes"];

    public static readonly string[] GitHubEnhancedHeader =
        ["date", "product", "sku", "quantity", "unit_type", "applied_cost_per_quantity", "gross_amount", "discount_amount", "net_amount", "organization", "repository", "cost_center_name"];

    public static readonly string[] CircleCiRequired =
        ["PROJECT_NAME", "WORKFLOW_NAME", "JOB_NAME", "JOB_ID", "JOB_RUN_STARTED_AT", "JOB_RUN_STOPPED_AT", "JOB_BUILD_STATUS", "RESOURCE_CLASS", "OPERATING_SYSTEM", "JOB_RUN_SECONDS", "TOTAL_CREDITS"];

    public static readonly string[] GenericHeader =
        ["provider", "project", "pipeline", "job", "runner", "started_at", "finished_at", "duration_seconds", "status", "cost", "currency", "external_id"];

    private static readonly Dictionary<string, ImportFormat> ApiNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["github-actions-csv"] = ImportFormat.GitHubActionsCsv,
        ["github-actions-enhanced-csv"] = ImportFormat.GitHubActionsEnhancedCsv,
        ["gitlab-jobs-json"] = ImportFormat.GitLabJobsJson,
        ["circleci-usage-csv"] = ImportFormat.CircleCiUsageCsv,
        ["generic-csv"] = ImportFormat.GenericCsv,
    };

    public static IEnumerable<string> Names => ApiNames.Keys;

    /// <summary>The API name of a format (<c>github-actions-csv</c>, …); null for "auto".</summary>
    public static bool TryParseName(string? name, out ImportFormat? format)
    {
        format = null;
        if (string.IsNullOrWhiteSpace(name) || name.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (ApiNames.TryGetValue(name.Trim(), out var found))
        {
            format = found;
            return true;
        }
        return false;
    }

    public static string Describe(ImportFormat format) => format switch
    {
        ImportFormat.GitHubActionsCsv => "GitHub Actions usage report (CSV)",
        ImportFormat.GitHubActionsEnhancedCsv => "GitHub Actions enhanced billing report (CSV)",
        ImportFormat.GitLabJobsJson => "GitLab CI jobs (JSON)",
        ImportFormat.CircleCiUsageCsv => "CircleCI usage export (CSV)",
        _ => "Generic CI usage (CSV)",
    };

    public static CiProviderKind? ProviderKind(ImportFormat format) => format switch
    {
        ImportFormat.GitHubActionsCsv or ImportFormat.GitHubActionsEnhancedCsv => CiProviderKind.GitHubActions,
        ImportFormat.GitLabJobsJson => CiProviderKind.GitLabCi,
        ImportFormat.CircleCiUsageCsv => CiProviderKind.CircleCi,
        _ => null,
    };

    /// <summary>Recognises the format from the file's first bytes (JSON) or its header (CSV); the stream is left where it was.</summary>
    public static ImportFormat Detect(Stream stream)
    {
        var start = stream.Position;
        try
        {
            var head = new byte[4096];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var text = head.AsSpan(0, read);
            if (text.StartsWith("\uFEFF"u8))
            {
                text = text[3..];
            }
            var first = text.IndexOfAnyExcept(" \t\r\n"u8);
            if (first < 0)
            {
                throw new ImportFileException("The file is empty.");
            }
            if (text[first] is (byte)'[' or (byte)'{')
            {
                return ImportFormat.GitLabJobsJson;
            }
            stream.Position = start;
            var header = ReadHeader(stream);
            return DetectHeader(header) ?? throw new ImportFileException(
                $"Line 1: the header does not match any known format. Found: {Shorten(string.Join(",", header))}. " +
                $"Expected e.g. the GitHub header '{string.Join(",", GitHubLegacyHeader)}' or the generic header '{string.Join(",", GenericHeader)}'.");
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static ImportFormat? DetectHeader(IReadOnlyList<string> header)
    {
        var set = header.ToHashSet(StringComparer.Ordinal);
        if (set.Contains("Price Per Unit ($)") || (set.Contains("SKU") && set.Contains("Multiplier")))
        {
            return ImportFormat.GitHubActionsCsv;
        }
        if (set.Contains("gross_amount") || set.Contains("net_amount") || set.Contains("applied_cost_per_quantity"))
        {
            return ImportFormat.GitHubActionsEnhancedCsv;
        }
        if (set.Contains("JOB_ID") || set.Contains("TOTAL_CREDITS") || set.Contains("JOB_RUN_SECONDS"))
        {
            return ImportFormat.CircleCiUsageCsv;
        }
        if (set.Contains("external_id") || set.Contains("duration_seconds"))
        {
            return ImportFormat.GenericCsv;
        }
        return null;
    }

    private static List<string> ReadHeader(Stream stream)
    {
        using var text = OpenText(stream, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        try
        {
            if (!csv.Read())
            {
                throw new ImportFileException("The file is empty.");
            }
        }
        catch (DecoderFallbackException)
        {
            throw NotUtf8(1);
        }
        var header = csv.Fields.Select(f => f.Trim()).ToList();
        if (header.Count == 1)
        {
            foreach (var (separator, name) in new[] { (';', "semicolons"), ('\t', "tabs"), ('|', "pipes") })
            {
                if (header[0].Contains(separator, StringComparison.Ordinal))
                {
                    throw new ImportFileException($"Line 1: the columns are separated by {name}; exports are comma-separated. Save the file as CSV with commas.");
                }
            }
        }
        return header;
    }

    public static StreamReader OpenText(Stream stream, bool leaveOpen) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true,
            bufferSize: 1 << 16, leaveOpen);

    public static ImportFileException NotUtf8(int line) =>
        new($"Line {line}: the file is not UTF-8 text (an invalid byte). Export or save it as UTF-8 and import it again.");

    /// <summary>Parses the whole file row by row; throws <see cref="ImportFileException"/> when the file as a whole cannot be read.</summary>
    public static IEnumerable<ImportRow> Parse(ImportFormat format, Stream stream, ImportContext context)
    {
        if (format == ImportFormat.GitLabJobsJson)
        {
            return GitLabJobsParser.Parse(stream, context);
        }
        return ParseCsv(format, stream, context);
    }

    private static IEnumerable<ImportRow> ParseCsv(ImportFormat format, Stream stream, ImportContext context)
    {
        using var text = OpenText(stream, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        if (!ReadOrNotUtf8(csv))
        {
            throw new ImportFileException("The file is empty.");
        }
        var header = csv.Fields.Select(f => f.Trim()).ToList();
        var detected = DetectHeader(header);
        if (detected is { } other && other != format
            && !(other is ImportFormat.GitHubActionsCsv or ImportFormat.GitHubActionsEnhancedCsv && format is ImportFormat.GitHubActionsCsv or ImportFormat.GitHubActionsEnhancedCsv))
        {
            throw new ImportFileException($"Line 1: this file looks like a {Describe(other)}, not a {Describe(format)}. Pick that format or let the portal detect it.");
        }
        if (detected is { } github && format is ImportFormat.GitHubActionsCsv or ImportFormat.GitHubActionsEnhancedCsv)
        {
            format = github;
        }
        CsvRowParser parser = format switch
        {
            ImportFormat.GitHubActionsCsv => new GitHubLegacyRows(header, context),
            ImportFormat.GitHubActionsEnhancedCsv => new GitHubEnhancedRows(header, context),
            ImportFormat.CircleCiUsageCsv => new CircleCiRows(header, context),
            _ => new GenericRows(header, context),
        };
        while (ReadOrNotUtf8(csv))
        {
            if (csv.Fields.Count != header.Count)
            {
                yield return new RejectedRow(csv.RecordLine, $"the row has {csv.Fields.Count} fields, the header has {header.Count} (a stray comma or an unquoted field?).");
                continue;
            }
            ImportRow row;
            try
            {
                row = parser.Parse(csv.RecordLine, csv.Fields);
            }
            catch (RowException problem)
            {
                row = new RejectedRow(csv.RecordLine, problem.Message);
            }
            yield return row;
        }
    }

    private static bool ReadOrNotUtf8(CsvRecordReader csv)
    {
        try
        {
            return csv.Read();
        }
        catch (DecoderFallbackException)
        {
            throw NotUtf8(csv.RecordLine);
        }
    }

    internal static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    /// <summary>A stable id for an aggregated row (GitHub's day × repository × workflow × SKU rows have none of their own).</summary>
    internal static string StableId(string prefix, params string?[] parts)
    {
        var key = string.Join('\u001f', parts.Select(p => p ?? ""));
        return prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];
    }

    internal static RunnerOs OsFrom(string? text)
    {
        var value = text ?? "";
        if (value.Contains("windows", StringComparison.OrdinalIgnoreCase))
        {
            return RunnerOs.Windows;
        }
        if (value.Contains("mac", StringComparison.OrdinalIgnoreCase) || value.Contains("darwin", StringComparison.OrdinalIgnoreCase))
        {
            return RunnerOs.MacOs;
        }
        if (value.Contains("linux", StringComparison.OrdinalIgnoreCase) || value.Contains("ubuntu", StringComparison.OrdinalIgnoreCase)
            || value.Contains("docker", StringComparison.OrdinalIgnoreCase) || value.Contains("saas-", StringComparison.OrdinalIgnoreCase))
        {
            return RunnerOs.Linux;
        }
        return RunnerOs.Other;
    }
}

/// <summary>A row that cannot be imported; its message names the column.</summary>
internal sealed class RowException(string message) : Exception(message);

/// <summary>One CSV format: finds its columns in the header (refusing the file when one is missing) and turns a row into a run.</summary>
internal abstract class CsvRowParser
{
    private readonly Dictionary<string, int> _columns;

    protected CsvRowParser(IReadOnlyList<string> header, IEnumerable<string> required, string formatName)
    {
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i], i);
        }
        var missing = required.Where(c => !_columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var nearly = missing.Select(m => header.FirstOrDefault(h => h.Equals(m, StringComparison.OrdinalIgnoreCase)) is { } h ? $" ('{h}' is spelled differently)" : "");
            throw new ImportFileException(
                $"Line 1: the {formatName} header lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Zip(nearly, (m, n) => $"'{m}'{n}"))}. " +
                $"Found: {CiImportFormats.Shorten(string.Join(",", header))}.");
        }
    }

    public abstract ImportRow Parse(int line, List<string> fields);

    protected int Column(string name) => _columns[name];

    protected int? OptionalColumn(string name) => _columns.TryGetValue(name, out var i) ? i : null;

    protected static string Text(List<string> fields, int column) => fields[column].Trim();

    protected static string? Optional(List<string> fields, int? column) =>
        column is { } c && fields[c].Trim() is { Length: > 0 } value ? value : null;

    protected static decimal Number(List<string> fields, int column, string name, bool allowNegative = false)
    {
        var text = fields[column].Trim();
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            throw new RowException(text.Length == 0 ? $"column '{name}' is empty." : $"column '{name}': '{CiImportFormats.Shorten(text)}' is not a number.");
        }
        if (value < 0 && !allowNegative)
        {
            throw new RowException($"column '{name}': {text} is negative.");
        }
        return value;
    }

    protected static DateTime Timestamp(List<string> fields, int column, string name) =>
        ParseTimestamp(fields[column].Trim()) ?? throw new RowException(
            fields[column].Trim().Length == 0 ? $"column '{name}' is empty." : $"column '{name}': '{CiImportFormats.Shorten(fields[column].Trim())}' is not a date.");

    /// <summary>Dates with an offset become UTC; dates without one are UTC already (every provider exports UTC).</summary>
    internal static DateTime? ParseTimestamp(string text)
    {
        if (text.EndsWith(" UTC", StringComparison.Ordinal))
        {
            text = text[..^4];
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value)
            ? value.UtcDateTime
            : null;
    }

    protected static long Seconds(decimal minutes) => (long)decimal.Round(minutes * 60m, 0, MidpointRounding.AwayFromZero);

    protected static void CheckDuration(long seconds, string name)
    {
        if (seconds < 0)
        {
            throw new RowException($"column '{name}': the duration is negative.");
        }
        if (seconds > CiImportFormats.MaxRunSeconds)
        {
            throw new RowException($"column '{name}': a run of {seconds / 3600m:0.#} hours is longer than the 7 days any CI service allows.");
        }
    }

    protected static string Limit(string text, int length) => text.Length > length ? text[..length] : text;

    /// <summary>Only build minutes are usage records; storage (GB, gigabyte-hours) and other products are counted apart.</summary>
    protected static bool IsMinutes(string product, string unitType, string sku) =>
        product.Equals("actions", StringComparison.OrdinalIgnoreCase)
        && unitType.StartsWith("minute", StringComparison.OrdinalIgnoreCase)
        && !sku.Contains("storage", StringComparison.OrdinalIgnoreCase);
}

/// <summary>GitHub's legacy metered usage report: cost = Quantity × Price Per Unit; the multiplier only gives quota minutes.</summary>
internal sealed class GitHubLegacyRows : CsvRowParser
{
    private readonly ImportContext _context;
    private readonly int _date, _product, _sku, _quantity, _unit, _price, _multiplier, _owner, _repository, _username, _workflow;

    public GitHubLegacyRows(IReadOnlyList<string> header, ImportContext context) : base(header, CiImportFormats.GitHubLegacyHeader[..11], "GitHub Actions usage report")
    {
        _context = context;
        (_date, _product, _sku, _quantity, _unit, _price) = (Column("Date"), Column("Product"), Column("SKU"), Column("Quantity"), Column("Unit Type"), Column("Price Per Unit ($)"));
        (_multiplier, _owner, _repository, _username, _workflow) = (Column("Multiplier"), Column("Owner"), Column("Repository Slug"), Column("Username"), Column("Actions Workflow"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var sku = Text(fields, _sku);
        if (!IsMinutes(Text(fields, _product), Text(fields, _unit), sku))
        {
            return new NotMinutesRow(line);
        }
        var provider = _context.Provider ?? throw new RowException("no GitHub Actions provider is set up.");
        var day = Timestamp(fields, _date, "Date");
        var quantity = Number(fields, _quantity, "Quantity");
        if (quantity > CiImportFormats.MaxAggregatedMinutes)
        {
            throw new RowException($"column 'Quantity': {quantity} minutes in one row is not believable.");
        }
        var price = Number(fields, _price, "Price Per Unit ($)");
        var multiplier = Number(fields, _multiplier, "Multiplier");
        var owner = Text(fields, _owner);
        var repository = Text(fields, _repository);
        var workflow = Text(fields, _workflow);
        var username = Text(fields, _username);
        var project = repository.Contains('/', StringComparison.Ordinal) || owner.Length == 0 ? repository : $"{owner}/{repository}";
        // Cost is quantity × the OS price already in the row. Never × the multiplier too: that only says how fast included minutes go.
        var amount = CiPriceBook.ToMicros(quantity * price);
        var run = new CiJobRun(provider.Provider.Id, _context.BatchId,
            CiImportFormats.StableId("gha-usage:", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), owner, repository, workflow, sku, username),
            Limit(project, 200), workflow.Length == 0 ? null : Limit(workflow, 200), Limit(workflow.Length == 0 ? sku : workflow, 200), Limit(sku, 100),
            CiImportFormats.OsFrom(sku), day, null, Seconds(quantity), quantity, quantity * multiplier, amount, amount, provider.Provider.Currency,
            CiJobStatus.Success, null, IsRetry: false);
        return new RunRow(line, run);
    }
}

/// <summary>GitHub's enhanced billing report: gross is the list-price value, net what was actually paid; both taken as given.</summary>
internal sealed class GitHubEnhancedRows : CsvRowParser
{
    private readonly ImportContext _context;
    private readonly int _date, _product, _sku, _quantity, _unit, _gross, _discount, _net, _organization, _repository;
    private readonly int? _username, _workflow, _costCenter;

    public GitHubEnhancedRows(IReadOnlyList<string> header, ImportContext context)
        : base(header, CiImportFormats.GitHubEnhancedHeader.Where(c => c != "cost_center_name" && c != "applied_cost_per_quantity"), "GitHub Actions enhanced billing report")
    {
        _context = context;
        (_date, _product, _sku, _quantity, _unit) = (Column("date"), Column("product"), Column("sku"), Column("quantity"), Column("unit_type"));
        (_gross, _discount, _net, _organization, _repository) = (Column("gross_amount"), Column("discount_amount"), Column("net_amount"), Column("organization"), Column("repository"));
        (_username, _workflow, _costCenter) = (OptionalColumn("username"), OptionalColumn("workflow_path"), OptionalColumn("cost_center_name"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var sku = Text(fields, _sku);
        if (!IsMinutes(Text(fields, _product), Text(fields, _unit), sku))
        {
            return new NotMinutesRow(line);
        }
        var book = _context.Provider ?? throw new RowException("no GitHub Actions provider is set up.");
        var day = Timestamp(fields, _date, "date");
        var quantity = Number(fields, _quantity, "quantity");
        if (quantity > CiImportFormats.MaxAggregatedMinutes)
        {
            throw new RowException($"column 'quantity': {quantity} minutes in one row is not believable.");
        }
        var gross = Number(fields, _gross, "gross_amount");
        var discount = Number(fields, _discount, "discount_amount");
        var net = Number(fields, _net, "net_amount");
        if (gross - discount != net)
        {
            throw new RowException($"column 'net_amount': gross {gross} − discount {discount} is {gross - discount}, not {net}.");
        }
        var organization = Text(fields, _organization);
        var repository = Text(fields, _repository);
        var workflow = Optional(fields, _workflow);
        var project = repository.Contains('/', StringComparison.Ordinal) || organization.Length == 0 ? repository : $"{organization}/{repository}";
        var os = CiImportFormats.OsFrom(sku);
        var multiplier = book.PriceFor(sku, os, DateOnly.FromDateTime(day))?.Multiplier ?? 1m;
        var run = new CiJobRun(book.Provider.Id, _context.BatchId,
            CiImportFormats.StableId("gha:", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), organization, repository, sku, Optional(fields, _username), workflow, Optional(fields, _costCenter)),
            Limit(project, 200), workflow is null ? null : Limit(workflow, 200), Limit(workflow ?? sku, 200), Limit(sku, 100), os, day, null, Seconds(quantity),
            quantity, quantity * multiplier, CiPriceBook.ToMicros(gross), CiPriceBook.ToMicros(net), book.Provider.Currency, CiJobStatus.Success, null, IsRetry: false);
        return new RunRow(line, run);
    }
}

/// <summary>CircleCI's usage export: one row per job run; credits become money at the credit price valid on the run's day.</summary>
internal sealed class CircleCiRows : CsvRowParser
{
    private readonly ImportContext _context;
    private readonly int _project, _workflow, _job, _jobId, _started, _stopped, _status, _resource, _os, _seconds, _credits;

    public CircleCiRows(IReadOnlyList<string> header, ImportContext context) : base(header, CiImportFormats.CircleCiRequired, "CircleCI usage export")
    {
        _context = context;
        (_project, _workflow, _job, _jobId, _started, _stopped) =
            (Column("PROJECT_NAME"), Column("WORKFLOW_NAME"), Column("JOB_NAME"), Column("JOB_ID"), Column("JOB_RUN_STARTED_AT"), Column("JOB_RUN_STOPPED_AT"));
        (_status, _resource, _os, _seconds, _credits) =
            (Column("JOB_BUILD_STATUS"), Column("RESOURCE_CLASS"), Column("OPERATING_SYSTEM"), Column("JOB_RUN_SECONDS"), Column("TOTAL_CREDITS"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var book = _context.Provider ?? throw new RowException("no CircleCI provider is set up.");
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
        var run = new CiJobRun(book.Provider.Id, _context.BatchId, Limit(jobId, 200), Limit(Text(fields, _project), 200), Limit(Text(fields, _workflow), 200),
            Limit(Text(fields, _job), 200), resource.Length == 0 ? null : Limit(resource, 100), os, started, stopped, seconds, minutes, minutes, amount, amount,
            book.Provider.Currency, status, Limit(providerStatus, 60), IsRetry: false, Credits: credits);
        return new RunRow(line, run);
    }
}

/// <summary>The portal's own CSV for any other service: one row per run, a cost when the service bills one, else the price book's.</summary>
internal sealed class GenericRows : CsvRowParser
{
    private readonly ImportContext _context;
    private readonly int _provider, _project, _pipeline, _job, _runner, _started, _finished, _duration, _status, _cost, _currency, _externalId;

    public GenericRows(IReadOnlyList<string> header, ImportContext context) : base(header, CiImportFormats.GenericHeader, "generic CI usage")
    {
        _context = context;
        (_provider, _project, _pipeline, _job, _runner, _started) = (Column("provider"), Column("project"), Column("pipeline"), Column("job"), Column("runner"), Column("started_at"));
        (_finished, _duration, _status, _cost, _currency, _externalId) =
            (Column("finished_at"), Column("duration_seconds"), Column("status"), Column("cost"), Column("currency"), Column("external_id"));
    }

    public override ImportRow Parse(int line, List<string> fields)
    {
        var providerName = Text(fields, _provider);
        var book = providerName.Length == 0
            ? _context.Provider ?? throw new RowException("column 'provider' is empty and no provider was chosen for the file.")
            : _context.ByName(providerName) ?? throw new RowException($"column 'provider': no CI provider is called '{CiImportFormats.Shorten(providerName)}' (an admin adds providers).");
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
        var run = new CiJobRun(book.Provider.Id, _context.BatchId, externalId, Limit(Text(fields, _project), 200), pipeline.Length == 0 ? null : Limit(pipeline, 200),
            Limit(job, 200), runner.Length == 0 ? null : Limit(runner, 100), os, started, finished, seconds, priced.RawMinutes, priced.QuotaMinutes, amount, amount,
            currency, status, Limit(providerStatus, 60), IsRetry: false);
        return new RunRow(line, run);
    }
}
