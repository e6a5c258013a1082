using System.Text.RegularExpressions;

using FundingPortal.IntegrationTests.Infrastructure;

namespace FundingPortal.IntegrationTests;

/// <summary>The headers every response carries: a Content-Security-Policy with a nonce for the page's own inline script.</summary>
[Collection(PortalTests.Name)]
public sealed partial class SecurityHeadersTests(PortalFactory portal)
{
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
