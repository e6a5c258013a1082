namespace FundingPortal.Web.Features.CiUsage;

/// <summary>A row that cannot be imported; its message names the column.</summary>
internal sealed class RowException(string message) : Exception(message);

/// <summary>One CSV format: finds its columns in the header (refusing the file when one is missing) and turns a row into a run.</summary>
internal abstract class CsvRowParser
{
    private readonly Dictionary<string, int> _columns;

    protected CsvRowParser(IReadOnlyList<string> header, IEnumerable<string> required, string formatName, ImportContext context)
    {
        Context = context;
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

    /// <summary>The batch and the price books the rows are priced with.</summary>
    protected ImportContext Context { get; }

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

    /// <summary>A day's minutes in one aggregated row (GitHub's reports), refused when no single row can believably carry them.</summary>
    protected static decimal AggregatedMinutes(List<string> fields, int column, string name)
    {
        var quantity = Number(fields, column, name);
        if (quantity > CiImportFormats.MaxAggregatedMinutes)
        {
            throw new RowException($"column '{name}': {quantity} minutes in one row is not believable.");
        }
        return quantity;
    }

    /// <summary>GitHub names a repository with its owner or without: the project is always owner/repository.</summary>
    protected static string OwnerAndRepository(string owner, string repository) =>
        repository.Contains('/', StringComparison.Ordinal) || owner.Length == 0 ? repository : $"{owner}/{repository}";
}
