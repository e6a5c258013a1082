using System.Text;

namespace FundingPortal.Web.Features.Transparency;

public enum CiCostGrouping
{
    Month,
    Provider,
    Job,
}

public sealed record CiCostRow(string Group, string Currency, long Runs, decimal Minutes, long ListMinor, long PaidMinor, long WasteMinor, decimal WasteMinutes);

/// <summary>CI costs grouped by month, provider or job over a range of months, and the CSV files (streamed, safe to open in a spreadsheet).</summary>
public static class PublicExports
{
    public static async Task<IReadOnlyList<CiCostRow>> CiCostsAsync(AppDbContext db, DateOnly fromMonth, DateOnly toMonth, CiCostGrouping groupBy,
        CancellationToken cancellationToken = default)
    {
        var months = from month in db.CiUsageMonths
                     join provider in db.CiProviders on month.ProviderId equals provider.Id
                     where month.Month >= fromMonth && month.Month <= toMonth
                     select new
                     {
                         Key = groupBy == CiCostGrouping.Provider ? provider.Name : groupBy == CiCostGrouping.Job ? month.Project + " / " + month.JobName : "",
                         month.Month,
                         month.Currency,
                         month.Runs,
                         month.RawMinutes,
                         month.ListAmountMicros,
                         month.PaidAmountMicros,
                         Wasted = month.Status == CiJobStatus.Cancelled || month.Status == CiJobStatus.TimedOut || month.IsRetry,
                     };
        var rows = await months
            .GroupBy(m => new { m.Key, Month = groupBy == CiCostGrouping.Month ? m.Month : DateOnly.MinValue, m.Currency })
            .Select(g => new
            {
                g.Key.Key,
                g.Key.Month,
                g.Key.Currency,
                Runs = g.Sum(m => m.Runs),
                Minutes = g.Sum(m => m.RawMinutes),
                List = g.Sum(m => m.ListAmountMicros),
                Paid = g.Sum(m => m.PaidAmountMicros),
                Waste = g.Sum(m => m.Wasted ? m.PaidAmountMicros : 0),
                WasteMinutes = g.Sum(m => m.Wasted ? m.RawMinutes : 0m),
            })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new CiCostRow(groupBy == CiCostGrouping.Month ? r.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture) : r.Key, r.Currency, r.Runs,
                Math.Round(r.Minutes, CiUsageMonth.MinuteDecimals), PublicFigures.MicrosToMinor(r.List, r.Currency), PublicFigures.MicrosToMinor(r.Paid, r.Currency),
                PublicFigures.MicrosToMinor(r.Waste, r.Currency), Math.Round(r.WasteMinutes, CiUsageMonth.MinuteDecimals)))
            .OrderBy(r => groupBy == CiCostGrouping.Month ? r.Group : "").ThenByDescending(r => r.PaidMinor).ThenBy(r => r.Group, StringComparer.Ordinal)
            .ToList();
    }

    public static async Task WriteCiCostsCsvAsync(IReadOnlyList<CiCostRow> rows, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false));
        await writer.WriteLineAsync("group,currency,runs,minutes,list_price,paid,waste,waste_minutes");
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var exponent = Core.Domain.Currency.Exponent(row.Currency);
            await writer.WriteLineAsync(Row(row.Group, row.Currency, Invariant(row.Runs), Invariant(row.Minutes), Major(row.ListMinor, exponent),
                Major(row.PaidMinor, exponent), Major(row.WasteMinor, exponent), Invariant(row.WasteMinutes)));
        }
    }

    /// <summary>
    /// One CSV line. Text that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) gets a leading
    /// apostrophe; numbers are written by us and never need it.
    /// </summary>
    public static string Row(params string[] cells) => string.Join(',', cells.Select(Cell));

    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static bool IsNumber(string value) => decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A decimal without trailing zeros ("25", "12.5"), whatever scale the database gave it.</summary>
    internal static string Invariant(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    internal static string Major(long minor, int exponent) =>
        (minor / (decimal)Math.Pow(10, exponent)).ToString(exponent == 0 ? "0" : "0." + new string('0', exponent), CultureInfo.InvariantCulture);
}
