using System.Security.Claims;
using System.Text;

using Microsoft.AspNetCore.Http.HttpResults;

namespace FundingPortal.Web.Features.CiCosts;

/// <summary>A CI cost report as a CSV download (<c>/devops/ci/export/{report}.csv</c>), for reviewers.</summary>
internal static class ExportCiCostReport
{
    /// <summary>The reports the CSV endpoint serves, by the name in its URL.</summary>
    public static readonly IReadOnlyList<string> Reports =
        ["monthly", "providers", "projects", "jobs", "waste", "budgets", "bills", "near-timeout", "credit-pools", "duration-spread"];

    /// <summary>
    /// One report as CSV for the period in the query string (<c>from</c>, <c>to</c> as yyyy-MM, optional <c>provider</c>; the
    /// duration spread also wants <c>project</c> and <c>job</c>). Amounts are in major units, rounded to the currency's minor unit.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult, NotFound>> ExportAsync(string report, string? from, string? to,
        int? provider, string? project, string? job, ClaimsPrincipal user, GetCiCosts costs, CancellationToken cancellationToken)
    {
        if (!Reports.Contains(report))
        {
            return TypedResults.NotFound();
        }
        var period = CiPeriod.Parse(from, to, provider, costs.Today);
        if (!period.Succeeded)
        {
            return period.Problem!.ToHttpResult();
        }
        if (report == "duration-spread" && (provider is null || string.IsNullOrWhiteSpace(project) || string.IsNullOrWhiteSpace(job)))
        {
            return new Problem(ProblemKind.Invalid, provider is null ? "provider" : string.IsNullOrWhiteSpace(project) ? "project" : "job",
                "The duration spread needs provider, project and job.").ToHttpResult();
        }
        var csv = await costs.AsReviewerAsync(user.RequiredUserId(), db => CsvAsync(db, report, period.Value!, project ?? "", job ?? "", costs.Today, cancellationToken),
            cancellationToken);
        if (!csv.Succeeded)
        {
            return csv.Problem!.ToHttpResult();
        }
        var name = $"ci-{report}-{period.Value!.First:yyyy-MM}-{period.Value.Last:yyyy-MM}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.Value!), "text/csv; charset=utf-8", name);
    }

    private static Money Major(long micros, string currency) => CiAmounts.ToMoney(micros, currency);

    internal static async Task<string> CsvAsync(AppDbContext db, string report, CiPeriod period, string project, string job, DateOnly today,
        CancellationToken cancellationToken)
    {
        string[] figures = ["runs", "duration_seconds", "raw_minutes", "quota_minutes", "credits", "list_price", "paid", "currency"];
        static IEnumerable<object?> Figures(CiSpendRow r) =>
            [r.Figures.Runs, r.Figures.DurationSeconds, r.Figures.RawMinutes, r.Figures.QuotaMinutes, r.Figures.Credits, r.List, r.Paid, r.Currency];
        switch (report)
        {
            case "monthly":
                return CsvExport.Write(["month", "provider", .. figures],
                    (await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.MonthAndProvider, cancellationToken: cancellationToken))
                    .Select(r => (IEnumerable<object?>)[r.Month, r.Provider, .. Figures(r)]));
            case "providers":
                return CsvExport.Write(["provider", .. figures],
                    (await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Provider, cancellationToken: cancellationToken))
                    .Select(r => (IEnumerable<object?>)[r.Provider, .. Figures(r)]));
            case "projects":
                return CsvExport.Write(["provider", "project", .. figures],
                    (await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Project, cancellationToken: cancellationToken))
                    .Select(r => (IEnumerable<object?>)[r.Provider, r.Project, .. Figures(r)]));
            case "jobs":
                return CsvExport.Write(["provider", "project", "job", .. figures],
                    (await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Job, cancellationToken: cancellationToken))
                    .Select(r => (IEnumerable<object?>)[r.Provider, r.Project, r.Job, .. Figures(r)]));
            case "waste":
                return CsvExport.Write(["month", "provider", "cancelled_runs", "cancelled_minutes", "cancelled_paid", "timed_out_runs", "timed_out_minutes",
                        "timed_out_paid", "retried_runs", "retried_minutes", "retried_paid", "wasted_minutes", "wasted_paid", "all_minutes", "all_paid", "currency"],
                    (await CiCostQueries.WasteAsync(db, period, cancellationToken)).Select(r => (IEnumerable<object?>)
                    [
                        r.Month, r.Provider, r.CancelledRuns, r.CancelledMinutes, Major(r.CancelledMicros, r.Currency), r.TimedOutRuns, r.TimedOutMinutes,
                        Major(r.TimedOutMicros, r.Currency), r.RetriedRuns, r.RetriedMinutes, Major(r.RetriedMicros, r.Currency), r.WastedMinutes,
                        Major(r.WastedMicros, r.Currency), r.AllMinutes, Major(r.AllMicros, r.Currency), r.Currency,
                    ]));
            case "budgets":
                return CsvExport.Write(["month", "provider", "budget", "actual", "percent_used", "alert_threshold_percent", "state", "currency"],
                    (await CiCostQueries.BudgetsAsync(db, period, cancellationToken)).Select(r => (IEnumerable<object?>)
                        [r.Month, r.Provider, r.Budget, r.Actual, r.PercentUsed, r.AlertThresholdPercent, r.State.ToString(), r.Budget.Currency]));
            case "bills":
                return CsvExport.Write(["month", "provider", "estimated_from_usage", "billed", "difference", "bills", "currency"],
                    (await CiCostQueries.BillsAsync(db, period, cancellationToken)).Select(r => (IEnumerable<object?>)
                        [r.Month, r.Provider, r.Estimated, r.Billed, r.Difference, r.Bills, r.Currency]));
            case "near-timeout":
                return CsvExport.Write(["provider", "project", "job", "runs", "longest_completed_seconds", "timed_out_runs", "limit_seconds", "limit_source", "percent_of_limit"],
                    (await CiCostQueries.NearTimeoutAsync(db, period, cancellationToken: cancellationToken)).Select(r => (IEnumerable<object?>)
                        [r.Provider, r.Project, r.Job, r.Runs, r.LongestCompletedSeconds, r.TimedOutRuns, r.LimitSeconds, r.LimitSource.ToString(), r.PercentOfLimit]));
            case "credit-pools":
                return CsvExport.Write(["pool", "provider", "unit", "credits", "used", "remaining", "burn_per_day", "starts_on", "expires_on", "runs_out_on"],
                    (await CreditPoolForecast.AllAsync(db, today, period.ProviderId, cancellationToken)).Select(r => (IEnumerable<object?>)
                        [r.Name, r.Provider, r.Unit.ToString(), r.Credits, r.Used, r.Remaining, r.BurnPerDay, r.StartsOn, r.ExpiresOn, r.RunsOutOn]));
            default:
                return CsvExport.Write(["month", "runs", "median_seconds", "p95_seconds", "max_seconds"],
                    (await CiCostQueries.DurationSpreadAsync(db, period.ProviderId!.Value, project, job, period, cancellationToken)).Select(r => (IEnumerable<object?>)
                        [r.Month, r.Runs, r.MedianSeconds, r.P95Seconds, r.MaxSeconds]));
        }
    }
}
