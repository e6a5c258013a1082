using System.Text;

namespace FundingPortal.Web.Features.CiCosts;

/// <summary>
/// Writes report rows as RFC 4180 CSV (invariant culture, quoted where needed; amounts in major units without the currency, which has its own column). Text that a spreadsheet would run as a formula
/// (starting with = + - @) is prefixed with an apostrophe: project and job names come from imported files.
/// </summary>
public static class CsvExport
{
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', header.Select(Field)).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', row.Select(Field)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => s.Length > 0 && "=+-@\t\r".Contains(s[0], StringComparison.Ordinal) ? "'" + s : s,
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            // The same figure reads the same whichever database added it up (their decimal scales differ).
            decimal d => d.ToString("0.######", CultureInfo.InvariantCulture),
            Money m => m.ToMajor().ToString("F" + Currency.Exponent(m.Currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
