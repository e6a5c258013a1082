using System.Net;
using System.Text.Json;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Features.Payments;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>The public responses are cached, carry ETags, and are refreshed the moment money comes in.</summary>
[Collection(PortalTests.Name)]
public sealed class PublicCacheTests(PortalFactory portal)
{
    [Fact]
    public async Task A_recorded_payment_refreshes_the_cached_task_figures_page_and_badge()
    {
        var arrange = await portal.Given().SponsorshipAsync($"Cache Co {Guid.NewGuid():N}"[..20]);
        var pledge = await arrange.MoneyAsync(50_000, "USD", Given.Monthly(Given.Today, 1));
        string slug;
        await using (var db = portal.NewDbContext())
        {
            slug = await db.Tasks.Where(t => t.Fund!.Id == arrange.FundId).Select(t => t.Slug).SingleAsync();
        }
        var client = portal.CreateClient();

        Assert.Equal(0, await ReceivedAsync(client, slug));
        var second = await client.GetAsync("/api/public/tasks");
        Assert.True(second.Headers.Age is not null, "The second request is served from the output cache.");
        Assert.Contains("0.00 USD", await client.GetStringAsync($"/tasks/{slug}"), StringComparison.Ordinal);
        Assert.Contains("0% of", await client.GetStringAsync($"/badges/task/{slug}.svg"), StringComparison.Ordinal);

        var paid = await portal.WithScopeAsync<RecordPayment, Result<int>>(record => record.RecordAsync(pledge.Id,
            new PaymentInput { Amount = "500", Currency = "USD", Reference = $"bank-{Guid.NewGuid():N}", ReceivedOn = DateTime.UtcNow }, arrange.Reviewer.Id));
        Assert.True(paid.Succeeded, paid.Problem?.Message);

        Assert.Equal(50_000, await ReceivedAsync(client, slug));
        Assert.Contains("500.00 USD", await client.GetStringAsync($"/tasks/{slug}"), StringComparison.Ordinal);
        Assert.Contains("5% of 10,000.00 USD", await client.GetStringAsync($"/badges/task/{slug}.svg"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_page_is_cached_for_visitors_but_not_for_signed_in_people()
    {
        var client = portal.CreateClient();
        await client.GetAsync("/transparency");
        var again = await client.GetAsync("/transparency");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotNull(again.Headers.Age);
        Assert.False(again.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/transparency")]
    [InlineData("/api/public/summary")]
    [InlineData("/api/public/ledger.csv")]
    [InlineData("/badges/runway.svg")]
    [InlineData("/api/public/ci-costs")]
    public async Task A_random_query_string_is_served_from_the_addresses_cache_entry_instead_of_rendering_again(string address)
    {
        var client = portal.CreateClient();
        var first = await client.GetAsync($"{address}?utm_source={Guid.NewGuid():N}");
        var random = Guid.NewGuid().ToString("N");

        var second = await client.GetAsync($"{address}?utm_source={random}&{random}=1");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.True(second.Headers.Age is not null, "The second request, with another query string, is served from the output cache.");
        // Nothing from a query string the cache ignores is written into the entry everyone is served (the theme switch's return address).
        Assert.DoesNotContain(random, await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/public/ci-costs")]
    [InlineData("/api/public/ci-costs.csv")]
    public async Task Ci_costs_are_cached_separately_per_from_to_and_group(string address)
    {
        var client = portal.CreateClient();
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{address}?groupBy=provider&from={month}&to={month}")).StatusCode);
        var again = await client.GetAsync($"{address}?to={month}&from={month}&groupBy=provider&utm_source={Guid.NewGuid():N}");
        Assert.True(again.Headers.Age is not null, "The same from, to and groupBy in another order, with an unused key, is a cache hit.");

        // A cached 200 for these would be served if the cache ignored the key; each is its own entry and refused on its own.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{address}?groupBy=colour&from={month}&to={month}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{address}?groupBy=provider&from=nonsense&to={month}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{address}?groupBy=provider&from={month}&to=2000-01")).StatusCode);
        var byJob = await client.GetAsync($"{address}?groupBy=job&from={month}&to={month}");
        Assert.Equal(HttpStatusCode.OK, byJob.StatusCode);
        Assert.Null(byJob.Headers.Age);
    }

    [Theory]
    [InlineData("/api/public/summary")]
    [InlineData("/api/public/tasks")]
    [InlineData("/api/public/sponsors")]
    [InlineData("/api/public/ci-costs")]
    [InlineData("/badges/runway.svg")]
    [InlineData("/api/public/ci-costs.csv")]
    [InlineData("/api/public/ledger.csv")]
    public async Task A_matching_etag_is_answered_with_304_and_no_body(string address)
    {
        var client = portal.CreateClient();
        var first = await client.GetAsync(address);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, address);
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, address);
        stale.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"stale\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task The_streamed_ledger_csv_gets_a_new_etag_once_a_payment_is_booked()
    {
        var arrange = await portal.Given().SponsorshipAsync($"ETag Co {Guid.NewGuid():N}"[..20]);
        var pledge = await arrange.MoneyAsync(20_000, "USD", Given.Monthly(Given.Today, 1));
        var client = portal.CreateClient();
        var before = (await client.GetAsync("/api/public/ledger.csv")).Headers.ETag;

        var paid = await portal.WithScopeAsync<RecordPayment, Result<int>>(record => record.RecordAsync(pledge.Id,
            new PaymentInput { Amount = "200", Currency = "USD", Reference = $"bank-{Guid.NewGuid():N}", ReceivedOn = DateTime.UtcNow }, arrange.Reviewer.Id));
        Assert.True(paid.Succeeded, paid.Problem?.Message);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/public/ledger.csv");
        conditional.Headers.IfNoneMatch.Add(before!);
        var after = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before, after.Headers.ETag);
    }

    [Fact]
    public async Task Csv_cells_that_a_spreadsheet_would_run_are_defused()
    {
        var name = $"=HYPERLINK(\"http://evil\",\"x\") {Guid.NewGuid():N}";
        var owner = await portal.CreateUserAsync();
        await using (var db = portal.NewDbContext())
        {
            var organisation = Organisation.Create(new OrganisationProfile(name, $"org-{Guid.NewGuid():N}"[..24], null, null, "csv@example.com", PublicListing.ByName),
                owner.Id, DateTime.UtcNow);
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            var central = await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
            db.LedgerEntries.Add(LedgerEntry.Book(new LedgerPosting(central, LedgerEntryKind.Contribution, new Money(1_234, "USD"), new Money(1_234, "USD"), 1m,
                "CSV test", DateTime.UtcNow, DateTime.UtcNow, null, organisation.Id)));
            await db.SaveChangesAsync();
        }

        var csv = await portal.CreateClient().GetStringAsync("/api/public/ledger.csv");

        Assert.Contains($",\"'{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",12.34,USD", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_hides_a_ledger_lines_counterparty_from_the_public_and_it_is_audited()
    {
        var name = $"Quiet Partner {Guid.NewGuid():N}";
        var owner = await portal.CreateUserAsync();
        long entryId;
        await using (var db = portal.NewDbContext())
        {
            var organisation = Organisation.Create(new OrganisationProfile(name, $"org-{Guid.NewGuid():N}"[..24], null, null, "quiet@example.com", PublicListing.ByName),
                owner.Id, DateTime.UtcNow);
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            var central = await db.Funds.Where(f => f.Kind == FundKind.Central).Select(f => f.Id).SingleAsync();
            var entry = LedgerEntry.Book(new LedgerPosting(central, LedgerEntryKind.Contribution, new Money(4_321, "USD"), new Money(4_321, "USD"), 1m,
                "Privacy test", DateTime.UtcNow, DateTime.UtcNow, null, organisation.Id));
            db.LedgerEntries.Add(entry);
            await db.SaveChangesAsync();
            entryId = entry.Id;
        }
        var client = portal.CreateClient();
        Assert.Contains($",{name},43.21,USD", await client.GetStringAsync("/api/public/ledger.csv"), StringComparison.Ordinal);

        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var refused = await portal.WithScopeAsync<HideCounterparty, Result<bool>>(hide => hide.SetAsync(entryId, true, reviewer.Id));
        Assert.False(refused.Succeeded);
        var admin = await portal.CreateAdminAsync();
        var hidden = await portal.WithScopeAsync<HideCounterparty, Result<bool>>(hide => hide.SetAsync(entryId, true, admin.Id));
        Assert.True(hidden.Succeeded, hidden.Problem?.Message);

        var csv = await client.GetStringAsync("/api/public/ledger.csv");
        Assert.DoesNotContain(name, csv, StringComparison.Ordinal);
        Assert.Contains(",Contribution,,Central fund,Central,,Undisclosed,43.21,USD", csv, StringComparison.Ordinal);
        await using (var db = portal.NewDbContext())
        {
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "ledger.counterparty-hidden" && a.EntityId == Devops.Key(entryId) && a.UserId == admin.Id));
            Assert.Equal(4_321, await db.LedgerEntries.Where(e => e.Id == entryId).Select(e => e.AmountMinor).SingleAsync());
        }
    }

    [Fact]
    public async Task The_public_api_is_described_in_openapi()
    {
        await using var withOpenApi = portal.WithOpenApi();
        var document = await withOpenApi.CreateClient().GetStringAsync("/openapi/v1.json");
        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/public/summary", "/api/public/tasks", "/api/public/sponsors", "/api/public/ci-costs", "/api/public/ledger.csv", "/api/public/ci-costs.csv" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document.");
        }
    }

    private static async Task<long> ReceivedAsync(HttpClient client, string slug)
    {
        using var tasks = JsonDocument.Parse(await client.GetStringAsync("/api/public/tasks"));
        return tasks.RootElement.EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug)
            .GetProperty("funding").GetProperty("received").GetProperty("minorUnits").GetInt64();
    }
}

/// <summary>Public requests are limited per client address; other requests are not counted.</summary>
public sealed class PublicRateLimitTests(RateLimitedPortal portal) : IClassFixture<RateLimitedPortal>
{
    [Fact]
    public async Task The_fourth_public_request_in_a_minute_is_refused_with_429()
    {
        var client = portal.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/public/summary")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/public/sponsors")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }
}
