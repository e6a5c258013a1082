using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiCosts;

using static FundingPortal.IntegrationTests.Infrastructure.Given;

namespace FundingPortal.IntegrationTests.CiCosts;

[Collection(PortalTests.Name)]
public class CiCostReportTests(PortalFactory portal)
{
    private static readonly DateOnly Jan = new(2026, 1, 1);
    private static readonly DateOnly Feb = new(2026, 2, 1);
    private static readonly DateOnly Mar = new(2026, 3, 1);

    [Fact]
    public async Task Spend_per_month_and_provider_keeps_list_price_and_paid_apart_in_utc_months()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        await using var db = portal.NewDbContext();

        var rows = await CiCostQueries.SpendAsync(db, new CiPeriod(Jan, Mar, p), CiSpendGrouping.MonthAndProvider);

        Assert.Equal(
            [(Jan, 6L, 94m, 188m, "0.75 USD", "0.74 USD"), (Feb, 2L, 21m, 42m, "0.17 USD", "0.17 USD")],
            rows.Select(r => (r.Month!.Value, r.Figures.Runs, r.Figures.RawMinutes, r.Figures.QuotaMinutes, r.List.ToString(), r.Paid.ToString())));
        Assert.Equal([752_005L, 168_000L], rows.Select(r => r.Figures.ListMicros));
        Assert.All(rows, r => Assert.Equal(p, r.ProviderId));
    }

    [Fact]
    public async Task Spend_per_project_and_per_job_ranks_by_amount_paid()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        await using var db = portal.NewDbContext();
        var period = new CiPeriod(Jan, Feb, p);

        var projects = await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Project);
        var jobs = await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Job);
        var top = await CiCostQueries.MostExpensiveJobsAsync(db, period, top: 2);
        var providers = await CiCostQueries.SpendAsync(db, period, CiSpendGrouping.Provider);

        Assert.Equal([("app", 904_000L, 904_000L), ("docs", 16_005L, 0L)], projects.Select(r => (r.Project!, r.Figures.ListMicros, r.Figures.PaidMicros)));
        Assert.Equal([("test", "0.50 USD", 2L), ("build", "0.41 USD", 5L), ("site", "0.00 USD", 1L)], jobs.Select(r => (r.Job!, r.Paid.ToString(), r.Figures.Runs)));
        Assert.Equal(["test", "build"], top.Select(r => r.Job!));
        Assert.Equal([(8L, 115m, 920_005L, 904_000L)], providers.Select(r => (r.Figures.Runs, r.Figures.RawMinutes, r.Figures.ListMicros, r.Figures.PaidMicros)));
    }

    [Fact]
    public async Task Waste_splits_cancelled_timed_out_and_retried_runs_counting_each_run_once()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        await using var db = portal.NewDbContext();

        var waste = await CiCostQueries.WasteAsync(db, new CiPeriod(Jan, Feb, p));

        Assert.Equal(2, waste.Count);
        var jan = waste[0];
        Assert.Equal((1L, 2m, 16_000L), (jan.CancelledRuns, jan.CancelledMinutes, jan.CancelledMicros));
        Assert.Equal((1L, 60m, 480_000L), (jan.TimedOutRuns, jan.TimedOutMinutes, jan.TimedOutMicros));
        Assert.Equal((1L, 5m, 40_000L), (jan.RetriedRuns, jan.RetriedMinutes, jan.RetriedMicros));
        Assert.Equal((67m, 536_000L, 94m, 736_000L), (jan.WastedMinutes, jan.WastedMicros, jan.AllMinutes, jan.AllMicros));
        var feb = waste[1];
        // February's cancelled run was also a retry: it is counted as cancelled, not twice.
        Assert.Equal((1L, 1m, 8_000L, 0L, 0L), (feb.CancelledRuns, feb.CancelledMinutes, feb.CancelledMicros, feb.RetriedRuns, feb.TimedOutRuns));
    }

    [Fact]
    public async Task Duration_spread_gives_median_p95_and_max_per_month_of_runs_that_ended()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        // More January runs of app/build so the 95th percentile interpolates: 100, 200, …, 1000 seconds plus 300, 600, 900 from the standard usage.
        await portal.Given().CiImportAsync(p, Enumerable.Range(1, 10).Select(i => CiRun(p, "app", "build", January.AddDays(10).AddMinutes(i), i * 100, i, 0, 0)).ToArray());
        await using var db = portal.NewDbContext();

        var spread = await CiCostQueries.DurationSpreadAsync(db, p, "app", "build", new CiPeriod(Jan, Mar, p));

        // 13 runs sorted: 100 200 300 300 400 500 600 600 700 800 900 900 1000. Median = 7th = 600; p95 at position 11.4: 900 + 0.4 × 100 = 940.
        Assert.Equal([new CiDurationSpread(Jan, 13, 600m, 940m, 1000), new CiDurationSpread(Feb, 1, 1200m, 1200m, 1200)], spread);
    }

    [Fact]
    public async Task Near_timeout_lists_jobs_at_the_threshold_of_their_configured_or_observed_limit()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        await using (var db = portal.NewDbContext())
        {
            db.CiJobTimeouts.Add(CiJobTimeout.Create(p, "app", "build", 25).Value!);
            await db.SaveChangesAsync();
        }
        await using var read = portal.NewDbContext();

        var near = await CiCostQueries.NearTimeoutAsync(read, new CiPeriod(Jan, Feb, p), closePercent: 80);
        var stricter = await CiCostQueries.NearTimeoutAsync(read, new CiPeriod(Jan, Feb, p), closePercent: 81);

        // app/build's longest run (1200 s) is exactly 80% of its 25-minute limit; app/test timed out, its limit is the timed-out run.
        Assert.Equal(
            [("build", 1200L, 1500L, CiLimitSource.Configured, 80.0m, 0L), ("test", 0L, 3600L, CiLimitSource.LongestTimedOutRun, 0m, 1L)],
            near.Select(r => (r.Job, r.LongestCompletedSeconds, r.LimitSeconds, r.LimitSource, r.PercentOfLimit, r.TimedOutRuns)));
        Assert.Equal(["test"], stricter.Select(r => r.Job));
    }

    [Fact]
    public async Task Budget_vs_actual_warns_at_the_threshold_and_flags_overspend()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        await using (var db = portal.NewDbContext())
        {
            db.Budgets.AddRange(
                Budget.Plan(p, Jan, new Money(1_00, "USD"), 70).Value!,
                Budget.Plan(p, Feb, new Money(10, "USD"), 80).Value!,
                Budget.Plan(p, Mar, new Money(5_00, "USD"), 80).Value!);
            await db.SaveChangesAsync();
        }
        await using var read = portal.NewDbContext();

        var budgets = await CiCostQueries.BudgetsAsync(read, new CiPeriod(Jan, Mar, p));

        Assert.Equal(
            [(Jan, "1.00 USD", "0.74 USD", 73.6m, CiBudgetState.Warning), (Feb, "0.10 USD", "0.17 USD", 168.0m, CiBudgetState.Over),
                (Mar, "5.00 USD", "0.00 USD", 0m, CiBudgetState.Under)],
            budgets.Select(b => (b.Month, b.Budget.ToString(), b.Actual.ToString(), b.PercentUsed, b.State)));
    }

    [Fact]
    public async Task Bills_linked_to_a_provider_month_show_next_to_the_usage_estimate()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        var submitter = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        await using (var db = portal.NewDbContext())
        {
            var fundId = db.Funds.OrderBy(f => f.Id).Select(f => f.Id).First();
            var invoice = Expense.Submit(fundId, "GitHub", "January invoice", ExpenseCategory.CiInvoice, new Money(80, "USD"), Jan.AddDays(31), submitter.Id, DateTime.UtcNow);
            invoice.LinkCiBill(p, Jan.AddDays(20));
            var refused = Expense.Submit(fundId, "GitHub", "Duplicate", ExpenseCategory.CiInvoice, new Money(80, "USD"), Jan.AddDays(31), submitter.Id, DateTime.UtcNow);
            refused.LinkCiBill(p, Jan);
            Assert.True(refused.Reject(reviewer.Id, "Sent twice", DateTime.UtcNow).Succeeded);
            var march = Expense.Submit(fundId, "GitHub", "March invoice", ExpenseCategory.CiInvoice, new Money(12, "USD"), Mar, submitter.Id, DateTime.UtcNow);
            march.LinkCiBill(p, Mar);
            db.Expenses.AddRange(invoice, refused, march);
            await db.SaveChangesAsync();
        }
        await using var read = portal.NewDbContext();

        var bills = await CiCostQueries.BillsAsync(read, new CiPeriod(Jan, Mar, p));

        Assert.Equal(
            [(Jan, "0.74 USD", "0.80 USD", "0.06 USD", 1), (Feb, "0.17 USD", "0.00 USD", "-0.17 USD", 0), (Mar, "0.00 USD", "0.12 USD", "0.12 USD", 1)],
            bills.Select(b => (b.Month, b.Estimated.ToString(), b.Billed.ToString(), b.Difference.ToString(), b.Bills)));
    }
}
