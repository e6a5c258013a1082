namespace FundingPortal.Web.Features.CiUsage;

public static class CiUsageModule
{
    public static IHostApplicationBuilder AddCiUsage(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(ImportCiUsage), typeof(ImportReports), typeof(RollBackImport));

    public static WebApplication MapCiUsageEndpoints(this WebApplication app)
    {
        app.MapPost("/api/ci-usage/imports", ImportCiUsageEndpoint.ImportAsync)
            .RequireAuthorization(Policies.ApiToken)
            .DisableAntiforgery()
            .WithTags("CI usage")
            .WithSummary("Import a CI usage export (multipart field 'file'); answers with the batch report.")
            .WithDescription($"format: auto (default) or one of {string.Join(", ", CiImportFormats.Names)}. provider: optional CI provider id.");
        return app;
    }
}
