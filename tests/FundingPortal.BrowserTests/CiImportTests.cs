using System.Globalization;
using System.Text;

using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>A reviewer drags a CI usage export onto the import page, watches the progress bar, and reads the batch report.</summary>
[Collection(SharedPortal.Name)]
public sealed class CiImportTests(PortalApp app)
{
    private const int Rows = 40_000;

    [Fact]
    public async Task A_reviewer_uploads_an_export_watches_the_progress_and_reads_the_batch_report()
    {
        var reviewer = Person.New("Rita");
        var page = await app.NewPageAsync();
        await page.RegisterAsync(reviewer);
        await Expect(page.Locator("#register-confirmation")).ToContainTextAsync(reviewer.Email);
        await page.ConfirmEmailAsync(app, reviewer);
        await app.GrantRoleAsync(reviewer.Email, Roles.Reviewer);
        await page.SignInAsync(reviewer);

        // A generic export big enough (a few MB) for the progress bar to be seen: 40,000 runs at $0.01 and one bad row.
        var project = $"acme/browser-{Person.Unique()}";
        var csv = new StringBuilder("provider,project,pipeline,job,runner,started_at,finished_at,duration_seconds,status,cost,currency,external_id\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"GitLab CI,{project},nightly,\"build, test\",saas-linux-small-amd64,2026-03-{1 + (i % 28):00}T10:00:00Z,,60,success,0.01,USD,{project}-{i}\n");
        }
        csv.Append(CultureInfo.InvariantCulture, $"GitLab CI,{project},nightly,build,saas-linux-small-amd64,2026-03-01T10:00:00Z,,-60,success,,,{project}-bad\n");

        await page.GotoAsync("devops/ci-usage/import");
        await page.WaitForInteractiveAsync("#import-form input[type=file]");
        await PortalApp.ScreenshotAsync(page, "ci-import");
        await page.Locator("#import-form input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "nightly-usage.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv.ToString()),
        });

        await Expect(page.Locator("#import-progress")).ToBeVisibleAsync();
        await Expect(page.Locator("#import-phase")).ToContainTextAsync("nightly-usage.csv");
        await Expect(page.Locator("#batch-report")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(page.Locator("#import-progress")).ToHaveCountAsync(0);

        await Expect(page.Locator("#report-status")).ToHaveTextAsync("Completed");
        await Expect(page.Locator("#report-rows-imported")).ToHaveTextAsync("40,000");
        await Expect(page.Locator("#report-rows-rejected")).ToHaveTextAsync("1");
        await Expect(page.Locator("#report-totals .report-list-total")).ToHaveTextAsync("400.00");
        await Expect(page.Locator("#report-totals .report-paid-total")).ToHaveTextAsync("400.00");
        await Expect(page.Locator("#report-rejections .report-rejection")).ToContainTextAsync("duration is negative");
        await Expect(page.Locator("#report-rejections .report-rejection td").First).ToHaveTextAsync((Rows + 2).ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("#import-batches .import-batch").First).ToContainTextAsync("nightly-usage.csv");
        await PortalApp.ScreenshotAsync(page, "ci-import-report");

        await using var db = app.NewDbContext();
        Assert.Equal(Rows, await db.CiUsageMonths.Where(m => m.Project == project).SumAsync(m => m.Runs));
    }
}
