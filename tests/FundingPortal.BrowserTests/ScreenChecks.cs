using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

using Microsoft.Playwright;

namespace FundingPortal.BrowserTests;

/// <summary>The checks every screen must pass at both widths the portal is checked at: it fits, nothing is cut, nothing blocks a screen reader.</summary>
public static class ScreenChecks
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>
    /// The page does not scroll sideways, and no table cell cuts its text (a cell whose content is wider than the cell while its
    /// overflow hides the rest: "323,248." of "323,248.00 USD"). A table may scroll inside its own container, never the page.
    /// </summary>
    public static async Task AssertFitsAsync(this IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url}: the page is {widths[0]} px wide in a {widths[1]} px viewport, so it scrolls sideways.");

        var cut = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('td, th')]
                .filter(cell => cell.scrollWidth > cell.clientWidth + 1 && getComputedStyle(cell).overflowX !== 'visible')
                .map(cell => cell.innerText.trim())
            """);
        Assert.True(cut.Length == 0, $"{page.Url}: these cells cut their text: {string.Join(" | ", cut)}");
    }

    /// <summary>axe-core's rules on the whole page: no violation whose impact is serious or critical.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: axe-core found " + string.Join("; ", serious.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Take(3).Select(node => node.Target?.ToString()))}";
}
