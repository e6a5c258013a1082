using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Administration;
using FundingPortal.Web.Features.CiUsage;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests.CiUsage;

[Collection(PortalTests.Name)]
public class CiImportApiTests(PortalFactory portal)
{
    private static string GenericFile(string project) => $""""
        provider,project,pipeline,job,runner,started_at,finished_at,duration_seconds,status,cost,currency,external_id
        GitLab CI,{project},nightly,build,saas-linux-medium-amd64,2026-06-01T10:00:00Z,,90,success,,,api-{Guid.NewGuid():N}
        "GitLab CI","{project}","nightly","test, ""all""",saas-linux-small-amd64,2026-06-01T10:05:00Z,,30,failed,0.25,USD,api-{Guid.NewGuid():N}
        """";

    private async Task<HttpClient> ClientAsync(string? role)
    {
        var user = await portal.CreateUserAsync(role);
        var token = await portal.WithScopeAsync<ManageApiTokens, Result<string>>(t => t.CreateAsync(user.Email, "CI import script", null));
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return client;
    }

    private static MultipartFormDataContent Upload(string content, string fileName = "usage.csv")
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)), "file", fileName);
        return form;
    }

    [Fact]
    public async Task A_reviewer_token_imports_a_file_and_gets_the_batch_report()
    {
        var client = await ClientAsync(Roles.Reviewer);
        var project = $"acme/api-{Guid.NewGuid():N}";
        var content = GenericFile(project);

        var response = await client.PostAsync("/api/ci-usage/imports?format=generic-csv", Upload(content));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<ImportReport>();
        Assert.Equal(("Completed", 2, 2), (report!.Status, report.RowsRead, report.RowsImported));
        // 1.5 minutes at GitLab's medium factor ($0.02) plus a cost taken as given.
        Assert.Equal(0.28m, report.Totals.Single().ListAmount);

        var again = await client.PostAsync("/api/ci-usage/imports", Upload(content));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_file_that_cannot_be_imported_answers_422_with_the_failed_batch()
    {
        var client = await ClientAsync(Roles.Reviewer);

        var response = await client.PostAsync("/api/ci-usage/imports", Upload($"a;b;c\n1;2;{Guid.NewGuid():N}\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<ImportReport>();
        Assert.Equal("Failed", report!.Status);
        Assert.Contains("semicolons", report.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer fp_0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_missing_or_wrong_token_gets_401(string? authorization)
    {
        var client = portal.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.PostAsync("/api/ci-usage/imports", Upload(GenericFile("acme/nobody")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_of_someone_who_is_not_a_reviewer_gets_403()
    {
        var client = await ClientAsync(role: null);
        var response = await client.PostAsync("/api/ci-usage/imports", Upload(GenericFile($"acme/{Guid.NewGuid():N}")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("GitLab%20CI")]
    [InlineData("gitlab ci")]
    public async Task The_provider_is_named_by_its_name_as_well_as_its_id(string provider)
    {
        var client = await ClientAsync(Roles.Reviewer);

        var response = await client.PostAsync($"/api/ci-usage/imports?format=generic-csv&provider={provider}", Upload(GenericFile($"acme/by-name-{Guid.NewGuid():N}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.NewDbContext();
        var gitLab = await db.CiProviders.SingleAsync(p => p.Name == "GitLab CI");
        var byId = await client.PostAsync($"/api/ci-usage/imports?format=generic-csv&provider={gitLab.Id}", Upload(GenericFile($"acme/by-id-{Guid.NewGuid():N}")));
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
    }

    [Fact]
    public async Task An_unknown_provider_is_refused_with_the_providers_there_are()
    {
        var client = await ClientAsync(Roles.Reviewer);

        var response = await client.PostAsync("/api/ci-usage/imports?provider=Jenkins", Upload(GenericFile("acme/nobody")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        Assert.Equal("provider", problem!["field"].ToString());
        Assert.Contains("GitLab CI", problem["detail"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/ci-usage/imports?format=excel", "format")]
    [InlineData("/api/ci-usage/imports", "file")]
    public async Task Bad_requests_get_a_problem_naming_the_field(string url, string field)
    {
        var client = await ClientAsync(Roles.Reviewer);
        using var form = new MultipartFormDataContent { { new StringContent("not a file"), "note" } };

        var response = await client.PostAsync(url, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        Assert.Equal(field, problem!["field"].ToString());
    }
}
