namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// One CI usage export format: its names, the kind of provider its files come from, how its files are recognised, and its parser.
/// Each format is one file in this folder and one entry in <see cref="CiImportFormats.All"/>; nothing else names formats.
/// </summary>
public interface ICiImportFormat
{
    /// <summary>The name an import batch records (<c>GitHubActionsCsv</c>, …). Stored, so it never changes once a batch carries it.</summary>
    string Id { get; }

    /// <summary>The name on the API and in the import page's list (<c>github-actions-csv</c>, …).</summary>
    string Name { get; }

    /// <summary>What a person reads: "GitHub Actions usage report (CSV)".</summary>
    string Description { get; }

    /// <summary>The kind of provider the whole file belongs to; null when each row names its provider (the generic CSV).</summary>
    CiProviderKind? ProviderKind { get; }

    /// <summary>A JSON format (recognised by its first character) rather than a CSV one (recognised by its header).</summary>
    bool IsJson { get; }

    /// <summary>Whether a file that starts like this is one of this format's.</summary>
    bool Recognises(CiFileStart start);

    /// <summary>Parses the whole file row by row; throws <see cref="ImportFileException"/> when the file as a whole cannot be read.</summary>
    IEnumerable<ImportRow> Parse(Stream stream, ImportContext context);
}

/// <summary>What detection sees of a file: JSON (its first character is <c>[</c> or <c>{</c>), or CSV with its header's column names.</summary>
public sealed record CiFileStart(bool IsJson, IReadOnlySet<string> Header);
