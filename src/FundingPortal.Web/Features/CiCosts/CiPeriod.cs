namespace FundingPortal.Web.Features.CiCosts;

/// <summary>Which usage a report covers: whole UTC months from <see cref="FromMonth"/> to <see cref="ToMonth"/>, optionally one provider.</summary>
public sealed record CiPeriod(DateOnly FromMonth, DateOnly ToMonth, int? ProviderId = null)
{
    public const int MaxMonths = 60;

    public DateOnly First => new(FromMonth.Year, FromMonth.Month, 1);

    public DateOnly Last => new(ToMonth.Year, ToMonth.Month, 1);

    /// <summary>The first instant of the period (UTC).</summary>
    public DateTime Start => First.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first instant after the period (UTC).</summary>
    public DateTime End => Last.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public IEnumerable<DateOnly> Months()
    {
        for (var month = First; month <= Last; month = month.AddMonths(1))
        {
            yield return month;
        }
    }

    /// <summary>The last <paramref name="months"/> UTC months up to and including the month of <paramref name="today"/>.</summary>
    public static CiPeriod Recent(DateOnly today, int months = 12, int? providerId = null)
    {
        var last = new DateOnly(today.Year, today.Month, 1);
        return new CiPeriod(last.AddMonths(1 - months), last, providerId);
    }

    /// <summary>Reads a period from a query string (<c>from=2026-01&amp;to=2026-06&amp;provider=3</c>), refusing what cannot be a period.</summary>
    public static Core.Domain.Result<CiPeriod> Parse(string? from, string? to, int? providerId, DateOnly today)
    {
        var recent = Recent(today, providerId: providerId);
        var checks = new FieldChecks();
        var firstRead = checks.Require(TryMonth(from, recent.First, out var first), "from", "Enter the first month as yyyy-MM, e.g. 2026-01.");
        if (checks.Require(TryMonth(to, recent.Last, out var last), "to", "Enter the last month as yyyy-MM, e.g. 2026-06.") && firstRead
            && checks.Require(last >= first, "to", "The last month cannot come before the first."))
        {
            checks.Require(first.AddMonths(MaxMonths) > last, "to", $"A report covers at most {MaxMonths} months.");
        }
        if (checks.Problem is { } problem)
        {
            return problem;
        }
        return Core.Domain.Result<CiPeriod>.Ok(new CiPeriod(first, last, providerId));
    }

    private static bool TryMonth(string? text, DateOnly fallback, out DateOnly month)
    {
        month = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var parsed) && parsed.Year >= 2000)
        {
            month = parsed;
            return true;
        }
        return false;
    }
}
