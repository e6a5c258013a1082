namespace FundingPortal.BrowserTests;

/// <summary>axe-core on the pages people use most, at desktop and phone width: no serious or critical violation.</summary>
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
            await page.GotoAsync(address);
            await page.AssertAccessibleAsync();
            await page.AssertFitsAsync();
        }
    }
}
