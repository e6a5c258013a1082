using System.Collections.Concurrent;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace FundingPortal.BrowserTests;

/// <summary>The Content-Security-Policy stays strict and blocks nothing the portal itself needs, before and after signing in.</summary>
[Collection(SharedPortal.Name)]
public sealed class ContentSecurityPolicyTests(PortalApp app)
{
    // Runs in every document before its own scripts: each violation of the page's policy becomes a console error the test collects.
    private const string ReportViolations = """
        document.addEventListener('securitypolicyviolation', e =>
            console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || document.location.href}:${e.lineNumber}`));
        """;

    [Fact]
    public async Task The_public_page_sign_in_and_signed_in_pages_block_nothing_and_log_no_console_error()
    {
        var page = await app.NewPageAsync();
        await page.Context.AddInitScriptAsync(ReportViolations);
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Enqueue($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"{page.Url}: uncaught {error}");

        // Twice: the second visit is served from the output cache, with the nonce it was rendered with.
        for (var visit = 0; visit < 2; visit++)
        {
            await page.GotoAsync("");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funding our shared infrastructure, in the open" })).ToBeVisibleAsync();
        }
        await page.SignInLink().ClickAsync();
        await Expect(page.Field("Input.Email")).ToBeVisibleAsync();

        await page.SignUpAsync(app, Person.New("Cleo"));
        await page.GotoAsync("organisations");
        await Expect(page.GetByText("You do not belong to a sponsoring organisation yet.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New organisation" }).ClickAsync();
        // An interactive page: its circuit connects through blazor.web.js, which needs the import map.
        await page.WaitForInteractiveAsync("#org-name");
        await page.GotoAsync("Account/Manage");
        await Expect(page.AccountLink()).ToBeVisibleAsync();
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));

        // The listener does catch what the policy blocks: an inline script without the nonce is refused and reported.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.ran = true'; document.head.append(s); }");
        for (var wait = 0; wait < 50 && !problems.Any(p => p.Contains("CSP violation: script-src", StringComparison.Ordinal)); wait++)
        {
            await Task.Delay(100);
        }
        Assert.Contains(problems, p => p.Contains("CSP violation: script-src", StringComparison.Ordinal));
        Assert.False(await page.EvaluateAsync<bool>("() => window.ran === true"));
    }
}
