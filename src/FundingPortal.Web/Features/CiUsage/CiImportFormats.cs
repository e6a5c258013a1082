using System.Security.Cryptography;
using System.Text;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// The import formats (one file each under Formats/): the list, lookup by name, and detection from the file's first bytes
/// (JSON) or its header (CSV). An import detects once and hands the chosen <see cref="ICiImportFormat"/> down to its parser.
/// </summary>
public static class CiImportFormats
{
    /// <summary>The longest a single run may take before the row is refused as absurd.</summary>
    public const long MaxRunSeconds = 7 * 24 * 3600;

    /// <summary>The most minutes one aggregated GitHub row (a day × repository × workflow × SKU) may carry.</summary>
    public const decimal MaxAggregatedMinutes = 10_000_000m;

    /// <summary>Every format, in the order detection tries them (the first that recognises a file wins) and the page lists them.</summary>
    public static readonly IReadOnlyList<ICiImportFormat> All =
        [GitHubActionsCsv.Instance, GitHubActionsEnhancedCsv.Instance, GitLabJobsJson.Instance, CircleCiUsageCsv.Instance, GenericCsv.Instance];

    /// <summary>What a failed batch records when the file's own format could not be told.</summary>
    public static ICiImportFormat Fallback => GenericCsv.Instance;

    public static IEnumerable<string> Names => All.Select(f => f.Name);

    /// <summary>The format of an API name (<c>github-actions-csv</c>, …); null for "auto".</summary>
    public static bool TryParseName(string? name, out ICiImportFormat? format)
    {
        format = null;
        if (string.IsNullOrWhiteSpace(name) || name.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        format = All.FirstOrDefault(f => f.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
        return format is not null;
    }

    /// <summary>What a person reads for the format a batch recorded.</summary>
    public static string Describe(string id) => All.FirstOrDefault(f => f.Id == id)?.Description ?? id;

    /// <summary>Recognises the format from the file's first bytes (JSON) or its header (CSV); the stream is left where it was.</summary>
    public static ICiImportFormat Detect(Stream stream)
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
                return All.FirstOrDefault(f => f.Recognises(new CiFileStart(IsJson: true, new HashSet<string>())))
                    ?? throw new ImportFileException("Line 1: this JSON file does not match any known format.");
            }
            stream.Position = start;
            List<string> header;
            using (var reader = CsvImportFormat.OpenText(stream, leaveOpen: true))
            {
                header = CsvImportFormat.ReadHeader(new CsvRecordReader(reader));
            }
            var columns = new CiFileStart(IsJson: false, header.ToHashSet(StringComparer.Ordinal));
            return All.FirstOrDefault(f => f.Recognises(columns)) ?? throw new ImportFileException(
                $"Line 1: the header does not match any known format. Found: {Shorten(string.Join(",", header))}. " +
                $"Expected e.g. the GitHub header '{string.Join(",", GitHubActionsCsv.Header)}' or the generic header '{string.Join(",", GenericCsv.Header)}'.");
        }
        finally
        {
            stream.Position = start;
        }
    }

    /// <summary>
    /// The format to read a file in: the detected one when none was chosen, else the chosen one — refused when the file is plainly
    /// another format. Two formats of one provider kind (GitHub's two reports) stand for each other: the file says which it is.
    /// </summary>
    public static ICiImportFormat Choose(ICiImportFormat? chosen, ICiImportFormat detected)
    {
        if (chosen is null || chosen == detected)
        {
            return detected;
        }
        if (chosen.IsJson != detected.IsJson)
        {
            throw new ImportFileException(chosen.IsJson
                ? $"Line 1: this is not JSON; it looks like a {detected.Description}."
                : $"Line 1: this is a JSON file (a {detected.Description}), not a {chosen.Description}.");
        }
        if (chosen.ProviderKind is { } kind && detected.ProviderKind == kind)
        {
            return detected;
        }
        throw new ImportFileException($"Line 1: this file looks like a {detected.Description}, not a {chosen.Description}. Pick that format or let the portal detect it.");
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
