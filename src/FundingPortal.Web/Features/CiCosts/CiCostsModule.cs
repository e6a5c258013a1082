namespace FundingPortal.Web.Features.CiCosts;

public static class CiCostsModule
{
    public static IHostApplicationBuilder AddCiCosts(this IHostApplicationBuilder builder) =>
        builder.AddHandlers(typeof(GetCiCosts), typeof(ManagePriceBook));

    public static WebApplication MapCiCostEndpoints(this WebApplication app)
    {
        app.MapGet("/devops/ci/export/{report}.csv", ExportCiCostReport.ExportAsync)
            .RequireAuthorization(Policies.Reviewer)
            .ExcludeFromDescription();
        return app;
    }
}
