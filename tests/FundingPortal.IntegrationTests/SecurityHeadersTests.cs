using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FundingPortal.IntegrationTests;

/// <summary>The headers every response carries and the settings behind them: CSP with a nonce, HSTS, the antiforgery cookie, OpenAPI.</summary>
[Collection(PortalTests.Name)]
public sealed partial class SecurityHeadersTests(PortalFactory portal)
{
    private static readonly Uri Https = new("https://portal.example/");

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    [InlineData("/no-such-page")]
    public async Task A_page_lets_only_its_own_import_map_run_inline_by_a_fresh_nonce(string address)
    {
        var client = portal.CreateClient();

        var first = await client.GetAsync(address);
        var second = await client.GetAsync(address);

        var nonce = AssertScriptsAllowed(first, await first.Content.ReadAsStringAsync());
        Assert.NotEqual(nonce, AssertScriptsAllowed(second, await second.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_public_page_served_from_the_cache_carries_the_policy_of_the_nonce_it_was_rendered_with()
    {
        var client = portal.CreateClient();

        var first = await client.GetAsync("/transparency");
        var cached = await client.GetAsync("/transparency");

        Assert.NotNull(cached.Headers.Age);
        var nonce = AssertScriptsAllowed(first, await first.Content.ReadAsStringAsync());
        Assert.Equal(nonce, AssertScriptsAllowed(cached, await cached.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Hsts_over_https_lasts_a_year_without_subdomains_unless_the_setting_says_so()
    {
        var plain = await portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https }).GetAsync("/healthz");
        await using var withSubdomains = portal.WithWebHostBuilder(b => b.UseSetting("Portal:HstsIncludeSubDomains", "true"));
        var subdomains = await withSubdomains.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https }).GetAsync("/healthz");

        Assert.Equal("max-age=31536000", plain.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("max-age=31536000; includeSubDomains", subdomains.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_secure_over_https()
    {
        var overHttps = await portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https }).GetAsync("/Account/Login");

        var cookie = overHttps.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_openapi_document_is_not_served_outside_development_unless_switched_on()
    {
        var off = await portal.CreateClient().GetAsync("/openapi/v1.json");
        await using var switchedOn = portal.WithOpenApi();
        var on = await switchedOn.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
    }

    /// <summary>
    /// One strict policy: scripts from this site and the nonce, never <c>'unsafe-inline'</c>; every script in the page either comes from
    /// this site or carries that nonce. Returns the nonce.
    /// </summary>
    internal static string AssertScriptsAllowed(HttpResponseMessage response, string html)
    {
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var scriptSrc = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        var match = ScriptSrc().Match(scriptSrc);
        Assert.True(match.Success, $"script-src should be 'self' and one nonce: {scriptSrc}");
        var nonce = match.Groups[1].Value;
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.Contains(scripts, s => s.Contains("type=\"importmap\"", StringComparison.Ordinal));
        Assert.All(scripts, s => Assert.True(s.Contains(" src=\"", StringComparison.Ordinal) || s.Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal),
            $"{s} would be blocked by {scriptSrc}"));
        return nonce;
    }

    [GeneratedRegex("^script-src 'self' 'nonce-([0-9a-f]{32})'$")]
    private static partial Regex ScriptSrc();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}

public sealed class KestrelHeadersTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task Kestrel_does_not_name_itself_and_a_real_page_carries_the_nonce_policy()
    {
        using var client = new HttpClient { BaseAddress = portal.BaseUrl };

        var page = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Server"), "Server: " + string.Join(", ", page.Headers.TryGetValues("Server", out var v) ? v : []));
        SecurityHeadersTests.AssertScriptsAllowed(page, await page.Content.ReadAsStringAsync());
    }
}
