using FundingPortal.Core.Domain;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.BrowserTests;

/// <summary>axe-core on the pages people use most, at desktop and phone width: no serious or critical violation, and each page fits.</summary>
[Collection(SharedPortal.Name)]
public sealed class AccessibilityTests(PortalApp app)
{
    [Theory]
    [InlineData("transparency")]
    [InlineData("Account/Login")]
    public async Task A_public_page_has_no_serious_accessibility_violation(string address)
    {
        foreach (var size in new[] { ScreenChecks.Desktop, ScreenChecks.Phone })
        {
            var page = await app.NewPageAsync(size);
            await page.Context.BypassPublicCacheAsync();
            await page.GotoAsync(address);
            await page.AssertAccessibleAsync();
            await page.AssertFitsAsync();
        }
    }

    [Fact]
    public async Task A_public_task_page_has_no_serious_accessibility_violation()
    {
        var slug = await TaskAsync();
        foreach (var size in new[] { ScreenChecks.Desktop, ScreenChecks.Phone })
        {
            var page = await app.NewPageAsync(size);
            await page.Context.BypassPublicCacheAsync();
            var response = await page.GotoAsync($"tasks/{slug}");
            Assert.Equal(200, response!.Status);
            await page.AssertAccessibleAsync();
            await page.AssertFitsAsync();
        }
    }

    [Fact]
    public async Task The_ci_cost_report_has_no_serious_accessibility_violation()
    {
        // Signed in at desktop width (the sign-out button the sign-in waits for folds into the menu on a phone), then read at both.
        var page = await CiCostsJourneyTests.SignInAsAdminAsync(app);
        foreach (var size in new[] { ScreenChecks.Desktop, ScreenChecks.Phone })
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            await page.GotoAsync("devops/ci?from=2026-01&to=2026-02");
            await page.WaitForInteractiveAsync("#ci-from");
            await page.AssertAccessibleAsync();
            await page.AssertFitsAsync();
        }
    }

    /// <summary>An open task with a funder, so its page has every table.</summary>
    private async Task<string> TaskAsync()
    {
        await using var db = app.NewDbContext();
        var now = DateTime.UtcNow;
        var slug = $"a11y-{Guid.NewGuid():N}"[..20];
        var task = DevopsTask.Propose($"Readable task {slug}", slug, "A task **everyone** can read.", new Money(100_000, "USD"), Hours.FromHours(10), null, now);
        task.MoveTo(DevopsTaskStatus.Open, null, now);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return slug;
    }
}
