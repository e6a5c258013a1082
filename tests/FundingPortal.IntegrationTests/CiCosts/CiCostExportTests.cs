using System.Net;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

namespace FundingPortal.IntegrationTests.CiCosts;

[Collection(PortalTests.Name)]
public class CiCostExportTests(PortalFactory portal)
{
    public static TheoryData<string> Reports => new() { "monthly", "providers", "projects", "jobs", "waste", "budgets", "bills", "near-timeout", "credit-pools" };

    [Fact]
    public async Task A_reviewer_downloads_each_figure_as_csv_rounded_to_the_cent()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        var reviewer = await SignIn.AsAsync(portal, await portal.CreateUserAsync(Roles.Reviewer));
        var query = $"from=2026-01&to=2026-02&provider={p}";

        var monthly = await reviewer.GetAsync($"/devops/ci/export/monthly.csv?{query}");
        var jobs = await reviewer.GetStringAsync($"/devops/ci/export/jobs.csv?{query}");
        var waste = await reviewer.GetStringAsync($"/devops/ci/export/waste.csv?{query}");
        var spread = await reviewer.GetStringAsync($"/devops/ci/export/duration-spread.csv?{query}&project=app&job=build");

        Assert.Equal(HttpStatusCode.OK, monthly.StatusCode);
        Assert.Equal("text/csv", monthly.Content.Headers.ContentType?.MediaType);
        var lines = (await monthly.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,provider,runs,duration_seconds,raw_minutes,quota_minutes,credits,list_price,paid,currency", lines[0]);
        Assert.EndsWith(",6,5581,94,188,0,0.75,0.74,USD", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2026-02-01,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",2,1260,21,42,0,0.17,0.17,USD", lines[2], StringComparison.Ordinal);
        Assert.Contains(",app,test,2,3720,62,124,0,0.50,0.50,USD", jobs, StringComparison.Ordinal);
        Assert.Contains("2026-01-01,", waste, StringComparison.Ordinal);
        Assert.Contains(",1,2,0.02,1,60,0.48,1,5,0.04,67,0.54,94,0.74,USD", waste, StringComparison.Ordinal);
        Assert.Contains("2026-01-01,3,600,870,900", spread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_neutralises_names_a_spreadsheet_would_run_as_formulas()
    {
        var p = await portal.Given().CiProviderAsync();
        await portal.Given().CiImportAsync(p, Given.CiRun(p, "=HYPERLINK(\"x\",\"y\")", "job, with comma", Given.January, 60, 1m, 8_000, 8_000));
        var reviewer = await SignIn.AsAsync(portal, await portal.CreateUserAsync(Roles.Reviewer));

        var csv = await reviewer.GetStringAsync($"/devops/ci/export/jobs.csv?from=2026-01&to=2026-01&provider={p}");

        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",\"job, with comma\",1,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_period_or_unknown_report_is_refused_with_the_field()
    {
        var reviewer = await SignIn.AsAsync(portal, await portal.CreateUserAsync(Roles.Reviewer));

        var badMonth = await reviewer.GetAsync("/devops/ci/export/monthly.csv?from=January");
        var backwards = await reviewer.GetAsync("/devops/ci/export/monthly.csv?from=2026-05&to=2026-01");
        var noJob = await reviewer.GetAsync("/devops/ci/export/duration-spread.csv?from=2026-01&to=2026-02&provider=1&project=app");
        var unknown = await reviewer.GetAsync("/devops/ci/export/salaries.csv");

        Assert.Equal(HttpStatusCode.BadRequest, badMonth.StatusCode);
        Assert.Contains("\"field\":\"from\"", await badMonth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("\"field\":\"to\"", await backwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noJob.StatusCode);
        Assert.Contains("\"field\":\"job\"", await noJob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Sponsors_and_anonymous_visitors_get_no_csv(string report)
    {
        var sponsor = await SignIn.AsAsync(portal, await portal.CreateUserAsync(name: "Sam Sponsor"));
        var path = $"/devops/ci/export/{report}.csv";

        var anonymous = await portal.NewBrowserlikeClient().GetAsync(path);
        var signedIn = await sponsor.GetAsync(path);

        // Endpoints outside the pages answer with status codes rather than sign-in redirects.
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, signedIn.StatusCode);
        Assert.NotEqual("text/csv", signedIn.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/devops/ci")]
    [InlineData("/devops/ci/prices")]
    public async Task Sponsors_and_anonymous_visitors_cannot_open_the_ci_pages(string path)
    {
        var sponsor = await SignIn.AsAsync(portal, await portal.CreateUserAsync(name: "Sam Sponsor"));

        var anonymous = await portal.NewBrowserlikeClient().GetAsync(path);
        var signedIn = await sponsor.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/Account/Login", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("/Account/AccessDenied", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reviewer_opens_the_report_page_with_its_totals()
    {
        var p = await portal.Given().StandardCiUsageAsync();
        var reviewer = await SignIn.AsAsync(portal, await portal.CreateUserAsync(Roles.Reviewer));

        var html = await reviewer.GetStringAsync($"/devops/ci?from=2026-01&to=2026-02&provider={p}");

        Assert.Contains("0.90 USD", html, StringComparison.Ordinal); // 0.736 + 0.168 paid
        Assert.Contains("0.92 USD", html, StringComparison.Ordinal); // 0.752005 + 0.168 at list price
        Assert.Contains("id=\"ci-waste\"", html, StringComparison.Ordinal);
    }
}
