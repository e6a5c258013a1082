using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiUsage;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.CiUsage;

/// <summary>Hand-made exports of every format, with the traps of docs/CI formats, imported through the real handler on the real database.</summary>
[Collection(PortalTests.Name)]
public class CiImportTests(PortalFactory portal)
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "CiUsage", "Fixtures", name);

    private async Task<ImportReport> ImportAsync(string file, ICiImportFormat? format = null, int? providerId = null, string? userId = null)
    {
        userId ??= (await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer")).Id;
        var result = await portal.WithScopeAsync<ImportCiUsage, Result<ImportReport>>(i => i.ImportAsync(new ImportRequest(file, Path.GetFileName(file), format, providerId), userId));
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    /// <summary>Writes content to a temporary file, so bad-input tests make their own (unique) files.</summary>
    internal static string TempFile(string content) => TempFile(System.Text.Encoding.UTF8.GetBytes(content));

    internal static string TempFile(byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fp-ci-test-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, content);
        return path;
    }

    private async Task<List<(DateOnly Month, CiJobStatus Status, bool IsRetry, long Runs, decimal Raw, decimal Quota, long List, long Paid)>> MonthsAsync(string project)
    {
        await using var db = portal.NewDbContext();
        var months = await db.CiUsageMonths.AsNoTracking().Where(m => m.Project == project).ToListAsync();
        return [.. months.OrderBy(m => m.Month).ThenBy(m => m.Status.ToString()).ThenBy(m => m.IsRetry)
            .Select(m => (m.Month, m.Status, m.IsRetry, m.Runs, m.RawMinutes, m.QuotaMinutes, m.ListAmountMicros, m.PaidAmountMicros))];
    }

    /// <summary>The roll-ups must always equal the records they summarise: reports read only the roll-ups.</summary>
    private async Task AssertRollupMatchesRecordsAsync(string project)
    {
        await using var db = portal.NewDbContext();
        var records = await db.CiUsageRecords.AsNoTracking().Where(r => r.Project == project).ToListAsync();
        var expected = records.GroupBy(r => (new DateOnly(r.StartedAt.Year, r.StartedAt.Month, 1), r.Status, r.IsRetry))
            .Select(g => (g.Key.Item1, g.Key.Status, g.Key.IsRetry, (long)g.Count(), g.Sum(r => r.RawMinutes), g.Sum(r => r.QuotaMinutes), g.Sum(r => r.ListAmountMicros), g.Sum(r => r.PaidAmountMicros), g.Max(r => r.DurationSeconds)))
            .OrderBy(m => m.Item1).ThenBy(m => m.Status.ToString()).ThenBy(m => m.IsRetry).ToList();
        var months = await db.CiUsageMonths.AsNoTracking().Where(m => m.Project == project).ToListAsync();
        var rolledUp = months.GroupBy(m => (m.Month, m.Status, m.IsRetry))
            .Select(g => (g.Key.Month, g.Key.Status, g.Key.IsRetry, g.Sum(m => m.Runs), g.Sum(m => m.RawMinutes), g.Sum(m => m.QuotaMinutes), g.Sum(m => m.ListAmountMicros), g.Sum(m => m.PaidAmountMicros), g.Max(m => m.LongestDurationSeconds)))
            .OrderBy(m => m.Month).ThenBy(m => m.Status.ToString()).ThenBy(m => m.IsRetry);
        Assert.Equal(expected, rolledUp);

        // The daily roll-up holds every provider's day in full: compare it with all records of the days this project ran on.
        var providers = records.Select(r => r.ProviderId).Distinct().ToList();
        var days = records.Select(r => DateOnly.FromDateTime(r.StartedAt)).Distinct().ToList();
        var completed = db.ImportBatches.Where(b => b.Status == ImportBatchStatus.Completed).Select(b => b.Id);
        var dayRecords = await db.CiUsageRecords.AsNoTracking().Where(r => providers.Contains(r.ProviderId) && completed.Contains(r.BatchId)).ToListAsync();
        var expectedDays = dayRecords.Where(r => days.Contains(DateOnly.FromDateTime(r.StartedAt)))
            .GroupBy(r => (r.ProviderId, DateOnly.FromDateTime(r.StartedAt)))
            .Select(g => (g.Key.ProviderId, g.Key.Item2, (long)g.Count(), g.Sum(r => r.QuotaMinutes), g.Sum(r => r.Credits)))
            .OrderBy(d => d.ProviderId).ThenBy(d => d.Item2).ToList();
        var storedDays = (await db.CiUsageDays.AsNoTracking().Where(d => providers.Contains(d.ProviderId)).ToListAsync())
            .Where(d => days.Contains(d.Day)).Select(d => (d.ProviderId, d.Day, d.Runs, d.QuotaMinutes, d.Credits))
            .OrderBy(d => d.ProviderId).ThenBy(d => d.Day);
        Assert.Equal(expectedDays, storedDays);
    }

    [Fact]
    public async Task GitHub_legacy_report_costs_quantity_times_price_never_the_multiplier_and_keeps_storage_apart()
    {
        var report = await ImportAsync(Fixture("github-legacy.csv"));

        Assert.Equal(("Completed", "GitHub Actions usage report (CSV)", "GitHub Actions"), (report.Status, report.Format, report.Provider));
        Assert.Equal((5, 3, 1, 1, 0), (report.RowsRead, report.RowsImported, report.RowsRejected, report.RowsNotMinutes, report.RowsAlreadyStored));
        var totals = Assert.Single(report.Totals);
        // 120 × 0.008 + 30 × 0.016 + 10 × 0.08: the Windows ×2 and macOS ×10 multipliers only count quota minutes.
        Assert.Equal(("USD", 3L, 160m, 280m, 2.24m, 2.24m), (totals.Currency, totals.Runs, totals.RawMinutes, totals.QuotaMinutes, totals.ListAmount, totals.PaidAmount));
        var rejection = Assert.Single(report.Rejections);
        Assert.Equal(7, rejection.Line);
        Assert.Contains("column 'Quantity': 'abc' is not a number", rejection.Reason, StringComparison.Ordinal);

        await using var db = portal.NewDbContext();
        var jobs = await db.CiUsageRecords.AsNoTracking().Where(r => r.BatchId == report.BatchId).OrderBy(r => r.ListAmountMicros).ToListAsync();
        Assert.Contains(jobs, r => r.JobName == "Build, test and \"ship\"" && r.Os == RunnerOs.Windows && r.QuotaMinutes == 60m && r.ListAmountMicros == 480_000);
        Assert.All(jobs, r => Assert.Equal("acme/legacy-fixture", r.Project));
        var months = await MonthsAsync("acme/legacy-fixture");
        Assert.Equal((3L, 160m, 280m, 2_240_000L), (months.Sum(m => m.Runs), months.Sum(m => m.Raw), months.Sum(m => m.Quota), months.Sum(m => m.List)));
        Assert.All(months, m => Assert.Equal(new DateOnly(2023, 3, 1), m.Month));
        await AssertRollupMatchesRecordsAsync("acme/legacy-fixture");
    }

    [Fact]
    public async Task GitHub_enhanced_report_keeps_gross_as_list_value_and_net_as_paid_by_utc_month()
    {
        var report = await ImportAsync(Fixture("github-enhanced.csv"), GitHubActionsCsv.Instance);

        Assert.Equal(("Completed", "GitHub Actions enhanced billing report (CSV)"), (report.Status, report.Format));
        Assert.Equal((4, 2, 1, 1), (report.RowsRead, report.RowsImported, report.RowsRejected, report.RowsNotMinutes));
        var totals = Assert.Single(report.Totals);
        Assert.Equal((248m, 296m, 1.68m, 0.48m), (totals.RawMinutes, totals.QuotaMinutes, totals.ListAmount, totals.PaidAmount));
        Assert.Equal(5, report.Rejections[0].Line);
        Assert.Contains("gross 0.62 − discount 0 is 0.62, not 0.60", report.Rejections[0].Reason, StringComparison.Ordinal);

        Assert.Equal([(new DateOnly(2026, 1, 1), CiJobStatus.Success, false, 1L, 200m, 200m, 1_200_000L, 0L)], await MonthsAsync("acme/enhanced-fixture-public"));
        Assert.Equal([(new DateOnly(2026, 2, 1), CiJobStatus.Success, false, 1L, 48m, 96m, 480_000L, 480_000L)], await MonthsAsync("acme/enhanced-fixture-private"));
    }

    [Fact]
    public async Task GitLab_pages_are_priced_by_cost_factor_with_timeouts_retries_and_utc_months()
    {
        var report = await ImportAsync(Fixture("gitlab-jobs.json"));

        Assert.Equal(("Completed", "GitLab CI"), (report.Status, report.Provider));
        Assert.Equal((8, 6, 2), (report.RowsRead, report.RowsImported, report.RowsRejected));
        var totals = Assert.Single(report.Totals);
        Assert.Equal((6L, 84.1m, 84.2m, 0.842m, 0.842m), (totals.Runs, totals.RawMinutes, totals.QuotaMinutes, totals.ListAmount, totals.PaidAmount));
        Assert.Equal([29, 37], report.Rejections.Select(r => r.Line));
        Assert.Contains("job 9102 is still running", report.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("job id '9001' appears earlier in this file", report.Rejections[1].Reason, StringComparison.Ordinal);

        await using var db = portal.NewDbContext();
        var jobs = await db.CiUsageRecords.AsNoTracking().Where(r => r.BatchId == report.BatchId).ToDictionaryAsync(r => r.ExternalId);
        Assert.Equal((CiJobStatus.TimedOut, "failed: stuck_or_timeout_failure"), (jobs["9002"].Status, jobs["9002"].ProviderStatus));
        Assert.Equal(new DateTime(2026, 3, 31, 22, 30, 0, DateTimeKind.Utc), jobs["9002"].StartedAt);
        Assert.Equal((false, true), (jobs["9003"].IsRetry, jobs["9004"].IsRetry));
        Assert.Equal((CiJobStatus.Cancelled, 0L), (jobs["9101"].Status, jobs["9101"].ListAmountMicros));
        // A project's own runner uses no compute quota and is not on GitLab's bill.
        Assert.Equal((RunnerOs.Windows, 2m, 0m, 0L), (jobs["9103"].Os, jobs["9103"].RawMinutes, jobs["9103"].QuotaMinutes, jobs["9103"].ListAmountMicros));

        // 23:30 on 31 March at +01:00 and 00:30 on 1 April at +02:00 are both March in UTC.
        var months = await MonthsAsync("acme/gitlab-fixture");
        Assert.Equal(2L, months.Where(m => m.Month == new DateOnly(2026, 3, 1)).Sum(m => m.Runs));
        Assert.Equal(642_000L, months.Where(m => m.Month == new DateOnly(2026, 3, 1)).Sum(m => m.List));
        Assert.Contains(months, m => m is { Status: CiJobStatus.TimedOut, Runs: 1, List: 600_000 });
        Assert.Contains(months, m => m is { Status: CiJobStatus.Success, IsRetry: true, Runs: 1, List: 100_000 });
        await AssertRollupMatchesRecordsAsync("acme/gitlab-fixture");
    }

    [Fact]
    public async Task GitLab_one_job_per_line_is_read_too()
    {
        var report = await ImportAsync(Fixture("gitlab-jobs.ndjson"), GitLabJobsJson.Instance);

        Assert.Equal((2, 2, 0), (report.RowsRead, report.RowsImported, report.RowsRejected));
        Assert.Equal((810m, 8.10m), (report.Totals[0].QuotaMinutes, report.Totals[0].ListAmount));
        Assert.Contains(await MonthsAsync("acme/gitlab-ndjson-fixture"), m => m is { Status: CiJobStatus.TimedOut, List: 7_200_000 });
    }

    [Fact]
    public async Task CircleCI_files_of_one_export_store_each_job_once_and_price_credits()
    {
        var first = await ImportAsync(Fixture("circleci-usage-1.csv"));
        var second = await ImportAsync(Fixture("circleci-usage-2.csv"), CircleCiUsageCsv.Instance);

        Assert.Equal((3, 2, 1), (first.RowsRead, first.RowsImported, first.RowsRejected));
        Assert.Equal(4, first.Rejections[0].Line);
        Assert.Contains("JOB_RUN_SECONDS", first.Rejections[0].Reason, StringComparison.Ordinal);
        // 100 and 450.5 credits at $0.0006.
        Assert.Equal((550.5m, 0.3303m, 13m), (first.Totals[0].Credits, first.Totals[0].ListAmount, first.Totals[0].RawMinutes));
        Assert.Equal((2, 1, 1, 0), (second.RowsRead, second.RowsImported, second.RowsAlreadyStored, second.RowsRejected));
        Assert.Equal(0.18m, second.Totals[0].ListAmount);

        await using var db = portal.NewDbContext();
        Assert.Equal(1, await db.CiUsageRecords.CountAsync(r => r.ExternalId == "6d1c7e1a-0000-4000-8000-000000000002"));
        var months = await MonthsAsync("circle-fixture");
        Assert.Equal((3L, 0.5103m), (months.Sum(m => m.Runs), months.Sum(m => m.List) / 1_000_000m));
        Assert.All(months, m => Assert.Equal(new DateOnly(2026, 1, 1), m.Month));
        await AssertRollupMatchesRecordsAsync("circle-fixture");
    }

    [Fact]
    public async Task Generic_csv_takes_costs_as_given_prices_the_rest_and_names_every_bad_row()
    {
        int providerId;
        await using (var db = portal.NewDbContext())
        {
            var provider = CiProvider.New($"AppVeyor {Guid.NewGuid():N}", CiProviderKind.AppVeyor, CiRounding.PerTotal, 0, "USD").Value!;
            provider.AddPrice("Visual Studio 2022", RunnerOs.Windows, 0.0023m, 1m, new DateOnly(2023, 1, 1));
            db.CiProviders.Add(provider);
            await db.SaveChangesAsync();
            providerId = provider.Id;
        }

        var report = await ImportAsync(Fixture("generic.csv"), GenericCsv.Instance, providerId);

        Assert.Equal((8, 3, 5), (report.RowsRead, report.RowsImported, report.RowsRejected));
        Assert.Equal((115m, 1.488m), (report.Totals[0].RawMinutes, report.Totals[0].ListAmount));
        Assert.Equal([5, 6, 7, 8, 9], report.Rejections.Select(r => r.Line));
        Assert.Contains("longer than the 7 days", report.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("column 'external_id' is empty", report.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("job id 'av-1' appears earlier in this file", report.Rejections[2].Reason, StringComparison.Ordinal);
        Assert.Contains("no CI provider is called 'No Such Provider'", report.Rejections[3].Reason, StringComparison.Ordinal);
        Assert.Contains("column 'status': 'exploded'", report.Rejections[4].Reason, StringComparison.Ordinal);

        await using var check = portal.NewDbContext();
        var timedOut = await check.CiUsageRecords.AsNoTracking().SingleAsync(r => r.ProviderId == providerId && r.ExternalId == "av-2");
        Assert.Equal((CiJobStatus.TimedOut, new DateTime(2026, 2, 10, 12, 0, 0, DateTimeKind.Utc), 138_000L), (timedOut.Status, timedOut.StartedAt, timedOut.ListAmountMicros));
        await AssertRollupMatchesRecordsAsync("acme/generic-fixture");
    }

    [Fact]
    public async Task Overlapping_exports_across_chunks_store_each_job_once_and_roll_up_only_what_was_stored()
    {
        var project = $"acme/overlap-{Guid.NewGuid():N}"[..26];
        string Row(int i) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"GitLab CI,{project},nightly,job-{i % 7},saas-linux-small-amd64,{new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i * 3):yyyy-MM-ddTHH:mm:ssZ},,{60 + (i % 900)},success,0.01,USD,{project}-{i}");
        string Export(IEnumerable<int> ids) => TempFile(string.Join('\n', [string.Join(",", GenericCsv.Header), .. ids.Select(Row)]));
        // More rows than one chunk, so the overlap and the repeat cross chunk and statement boundaries.
        var first = Export(Enumerable.Range(0, 15_000));
        var second = Export([.. Enumerable.Range(10_000, 15_000), 24_000, 3]);

        var a = await ImportAsync(first, GenericCsv.Instance);
        var b = await ImportAsync(second, GenericCsv.Instance);

        Assert.Equal((15_000, 15_000, 0, 0), (a.RowsRead, a.RowsImported, a.RowsAlreadyStored, a.RowsRejected));
        Assert.Equal((15_002, 10_000, 5_001, 1), (b.RowsRead, b.RowsImported, b.RowsAlreadyStored, b.RowsRejected));
        Assert.Contains($"job id '{project}-24000' appears earlier in this file", Assert.Single(b.Rejections).Reason, StringComparison.Ordinal);
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(25_000, await db.CiUsageRecords.CountAsync(r => r.Project == project));
        }
        await AssertRollupMatchesRecordsAsync(project);
    }

    [Fact]
    public async Task Re_importing_a_file_adds_nothing_and_a_rollback_takes_it_out_and_allows_it_again()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer, "Rita Reviewer");
        var admin = await portal.CreateAdminAsync();
        var file = TempFile($"""
            provider,project,pipeline,job,runner,started_at,finished_at,duration_seconds,status,cost,currency,external_id
            GitLab CI,acme/rollback-{Guid.NewGuid():N},nightly,build,saas-linux-small-amd64,2026-06-01T10:00:00Z,,600,success,,,rb-{Guid.NewGuid():N}
            """);
        var project = File.ReadAllLines(file)[1].Split(',')[1];
        var first = await ImportAsync(file, userId: reviewer.Id);
        Assert.Equal((1, 0.10m), (first.RowsImported, first.Totals[0].ListAmount));

        var again = await portal.WithScopeAsync<ImportCiUsage, Result<ImportReport>>(i => i.ImportAsync(new ImportRequest(file, "again.csv", null, null), reviewer.Id));
        Assert.Equal(ProblemKind.Conflict, again.Problem?.Kind);
        Assert.Contains($"batch #{first.BatchId}", again.Problem!.Message, StringComparison.Ordinal);
        Assert.Single(await MonthsAsync(project));

        var refused = await portal.WithScopeAsync<RollBackImport, Result<int>>(r => r.RollBackAsync(first.BatchId, reviewer.Id));
        Assert.Equal(ProblemKind.Forbidden, refused.Problem?.Kind);
        var rolledBack = await portal.WithScopeAsync<RollBackImport, Result<int>>(r => r.RollBackAsync(first.BatchId, admin.Id));
        Assert.Equal(1, rolledBack.Value);

        await using (var db = portal.NewDbContext())
        {
            Assert.Empty(await MonthsAsync(project));
            Assert.False(await db.CiUsageRecords.AnyAsync(r => r.BatchId == first.BatchId));
            Assert.Equal(ImportBatchStatus.RolledBack, (await db.ImportBatches.SingleAsync(b => b.Id == first.BatchId)).Status);
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "ci-import.rolled-back" && a.EntityId == first.BatchId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var twice = await portal.WithScopeAsync<RollBackImport, Result<int>>(r => r.RollBackAsync(first.BatchId, admin.Id));
        Assert.Equal(ProblemKind.Conflict, twice.Problem?.Kind);

        var reimported = await ImportAsync(file, userId: reviewer.Id);
        Assert.Equal(1, reimported.RowsImported);
        Assert.Equal(1L, (await MonthsAsync(project)).Single().Runs);
    }

    [Fact]
    public async Task Only_reviewers_import()
    {
        var outsider = await portal.CreateUserAsync(name: "Otto Outsider");
        var result = await portal.WithScopeAsync<ImportCiUsage, Result<ImportReport>>(i =>
            i.ImportAsync(new ImportRequest(Fixture("generic.csv"), "generic.csv", null, null), outsider.Id));
        Assert.Equal(ProblemKind.Forbidden, result.Problem?.Kind);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "semicolons", "provider;project;job\nx;y;z\n", "separated by semicolons" },
        { "renamed column", "Date,Product,SKU,Qty,Unit Type,Price Per Unit ($),Multiplier,Owner,Repository Slug,Username,Actions Workflow,Notes\n", "lacks the column 'Quantity'" },
        { "lower-case legacy header", "date,product,sku,quantity,unit type,price per unit ($),multiplier,owner,repository slug,username,actions workflow,notes\n2023-01-01,Actions,x,1,minute,1,1,a,b,c,d,e\n", "does not match any known format" },
        { "header only", string.Join(",", GenericCsv.Header) + "\n", "holds no rows" },
        { "unclosed quote", string.Join(",", GenericCsv.Header) + "\n,p,\"pipe,job\n", "Line 2: a quoted field never closes" },
        { "not a known header", "foo,bar\n1,2\n", "does not match any known format" },
        { "truncated json", "[{\"id\": 1, \"name\": \"x\"", "is not valid JSON" },
        { "json of numbers", "[1, 2, 3]", "expected a GitLab job object" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_file_that_cannot_be_imported_leaves_only_a_failed_batch_saying_why(string what, string content, string expected)
    {
        Assert.NotEmpty(what);
        var report = await ImportAsync(TempFile(content));

        Assert.Equal("Failed", report.Status);
        Assert.Contains(expected, report.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, report.RowsImported);
        Assert.Empty(report.Totals);
    }

    [Fact]
    public async Task Another_format_than_the_one_chosen_is_named_and_nothing_is_imported()
    {
        // Copies with an extra line break: the fixtures themselves are imported by other tests, and a file is imported once.
        var report = await ImportAsync(TempFile(await File.ReadAllTextAsync(Fixture("circleci-usage-1.csv")) + "\n"), GitHubActionsCsv.Instance);
        Assert.Equal("Failed", report.Status);
        Assert.Contains("looks like a CircleCI usage export (CSV), not a GitHub Actions usage report (CSV)", report.FailureReason, StringComparison.Ordinal);

        var json = await ImportAsync(TempFile(await File.ReadAllTextAsync(Fixture("gitlab-jobs.ndjson")) + "\n"), GenericCsv.Instance);
        Assert.Contains("this is a JSON file", json.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_fail_the_batch_with_the_line()
    {
        var header = System.Text.Encoding.UTF8.GetBytes(string.Join(",", GenericCsv.Header) + "\n,acme/latin1,p,j,r,2026-01-01T00:00:00Z,,60,success,,,x1\n,acme/caf");
        byte[] content = [.. header, 0xE9, .. System.Text.Encoding.UTF8.GetBytes($",p,j,r,2026-01-01T00:00:00Z,,60,success,,,{Guid.NewGuid():N}\n")];

        var report = await ImportAsync(TempFile(content));

        Assert.Equal("Failed", report.Status);
        Assert.Contains("not UTF-8", report.FailureReason, StringComparison.Ordinal);
        await using var db = portal.NewDbContext();
        Assert.False(await db.CiUsageRecords.AnyAsync(r => r.Project == "acme/latin1"));
    }

    [Fact]
    public async Task An_empty_file_is_refused_without_a_batch()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var result = await portal.WithScopeAsync<ImportCiUsage, Result<ImportReport>>(i => i.ImportAsync(new ImportRequest(TempFile(""), "empty.csv", null, null), reviewer.Id));
        Assert.Equal(("file", "The file is empty."), (result.Problem?.Field, result.Problem?.Message));
    }
}
