using System.Globalization;

namespace FundingPortal.Web.Features.Fulfilment;

/// <summary>How the fulfilment pages read date fields and show rates; kept in one place so every page says it the same way.</summary>
public static class Display
{
    /// <summary>A date field (<c>input type=date</c> sends yyyy-MM-dd); null when empty or unreadable, which the handler reports on the field.</summary>
    public static DateTime? Date(string? text) =>
        DateTime.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static string Today(TimeProvider clock) => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Percent(decimal? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "nothing due yet";

    public static string Percent(double? rate) => Percent(rate is { } r ? (decimal?)Math.Round((decimal)r, 4) : null);
}
