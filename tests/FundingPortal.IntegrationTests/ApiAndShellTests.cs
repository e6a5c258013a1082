using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Administration;

namespace FundingPortal.IntegrationTests;

[Collection(PortalTests.Name)]
public class ApiAndShellTests(PortalFactory portal)
{
    [Fact]
    public async Task An_api_token_authenticates_as_its_account_until_it_is_revoked()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var created = await portal.WithScopeAsync<ManageApiTokens, Result<string>>(t => t.CreateAsync(reviewer.Email, "CI import script", null));
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value);

        var me = await client.GetFromJsonAsync<WhoAmI>("/api/me");

        Assert.Equal(reviewer.Id, me!.UserId);
        Assert.Equal([Roles.Reviewer], me.Roles);

        var admin = await portal.CreateAdminAsync();
        var tokens = (await portal.WithScopeAsync<ManageApiTokens, Result<IReadOnlyList<ApiTokenRow>>>(t => t.ListAsync(admin.Id))).Value!;
        var row = tokens.Single(t => t.UserEmail == reviewer.Email);
        Assert.NotNull(row.LastUsedAt);
        await portal.WithScopeAsync<ManageApiTokens, Result<int>>(t => t.RevokeAsync(row.Id, admin.Id));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Only_the_hash_of_a_token_is_stored()
    {
        var user = await portal.CreateUserAsync();
        var token = (await portal.WithScopeAsync<ManageApiTokens, Result<string>>(t => t.CreateAsync(user.Email, "script", null))).Value!;

        await using var db = portal.NewDbContext();
        Assert.DoesNotContain(db.ApiTokens, t => t.TokenHash == token);
        Assert.StartsWith("fp_", token, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer fp_0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_missing_or_wrong_token_gets_a_401_problem(string? authorization)
    {
        var client = portal.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Token_creation_refuses_an_unknown_account_and_an_empty_name()
    {
        var user = await portal.CreateUserAsync();

        var unknown = await portal.WithScopeAsync<ManageApiTokens, Result<string>>(t => t.CreateAsync("nobody@example.com", "x", null));
        var unnamed = await portal.WithScopeAsync<ManageApiTokens, Result<string>>(t => t.CreateAsync(user.Email, "  ", null));

        Assert.Equal("email", unknown.Problem!.Field);
        Assert.Equal("name", unnamed.Problem!.Field);
    }

    [Fact]
    public async Task Unknown_api_paths_answer_with_problem_details_and_unknown_pages_with_a_friendly_page()
    {
        var client = portal.CreateClient();

        var api = await client.GetAsync("/api/nothing-here");
        var page = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("We could not find that page", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_checks_the_database()
    {
        var response = await portal.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_api_and_not_the_account_forms()
    {
        await using var withOpenApi = portal.WithOpenApi();
        var document = await withOpenApi.CreateClient().GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/me\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/Account/", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_carry_security_headers()
    {
        var response = await portal.CreateClient().GetAsync("/");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_theme_switch_sets_a_cookie_and_never_redirects_off_site()
    {
        // No antiforgery token: the public page is cached for everyone, and switching the theme is harmless.
        var client = portal.NewBrowserlikeClient();

        var response = await client.PostAsync("/preferences/theme", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["mode"] = "dark",
            ["returnUrl"] = "//evil.example/",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.ToString());
        Assert.Contains("fp-theme=dark", response.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);
    }
}
