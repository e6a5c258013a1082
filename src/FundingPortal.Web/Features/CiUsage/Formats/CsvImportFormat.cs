using System.Text;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// What every CSV format shares: UTF-8 text, a header recognised by its column names, and the row loop (a row with another
/// number of fields than the header is rejected, a row its parser refuses is rejected with the reason). A CSV format adds its
/// names, its header test and its row parser.
/// </summary>
/// <param name="recognisedBy">Columns of this format's own: a header with any of them is this format's. Without them, the format
/// overrides <see cref="RecognisesHeader"/>.</param>
public abstract class CsvImportFormat(string id, string name, string description, CiProviderKind? providerKind, string[]? recognisedBy = null)
    : ICiImportFormat
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public string Description { get; } = description;

    public CiProviderKind? ProviderKind { get; } = providerKind;

    public bool IsJson => false;

    public bool Recognises(CiFileStart start) => !start.IsJson && RecognisesHeader(start.Header);

    /// <summary>Whether the header's column names are this format's (some of its own columns are enough).</summary>
    protected virtual bool RecognisesHeader(IReadOnlySet<string> header) => recognisedBy?.Any(header.Contains) ?? false;

    /// <summary>The parser for one file's rows; it refuses the file when a column it needs is missing.</summary>
    internal abstract CsvRowParser Rows(IReadOnlyList<string> header, ImportContext context);

    public IEnumerable<ImportRow> Parse(Stream stream, ImportContext context)
    {
        using var text = OpenText(stream, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        var header = ReadHeader(csv);
        var parser = Rows(header, context);
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

    /// <summary>The header's column names, trimmed; a file of one column split by another separator is refused with what to do.</summary>
    internal static List<string> ReadHeader(CsvRecordReader csv)
    {
        if (!ReadOrNotUtf8(csv))
        {
            throw new ImportFileException("The file is empty.");
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

    internal static StreamReader OpenText(Stream stream, bool leaveOpen) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true,
            bufferSize: 1 << 16, leaveOpen);

    private static bool ReadOrNotUtf8(CsvRecordReader csv)
    {
        try
        {
            return csv.Read();
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException(
                $"Line {csv.RecordLine}: the file is not UTF-8 text (an invalid byte). Export or save it as UTF-8 and import it again.");
        }
    }
}
