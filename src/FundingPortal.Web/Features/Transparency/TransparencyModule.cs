using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>The public face: the transparency page, task pages, public JSON and CSV, badges — all cached until the data changes.</summary>
public static class TransparencyModule
{
    public const string CachePolicy = "public";

    /// <summary>How long a cached public response may live even if no change evicts it (a safety net, not the refresh mechanism).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    public static IHostApplicationBuilder AddTransparency(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublicCacheInvalidation>();
        builder.Services.AddSingleton<IInterceptor>(services => services.GetRequiredService<PublicCacheInvalidation>());
        builder.Services.AddOutputCache(options => options.AddPolicy(CachePolicy, new PublicCachePolicy()));
        return builder;
    }

    public static WebApplication MapTransparencyEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api/public").WithTags("Public").CacheOutput(CachePolicy);
        api.MapGet("/summary", PublicApi.SummaryAsync).Produces<PublicSummary>().Produces(StatusCodes.Status304NotModified).WithSummary("The public page's figures: balances, money per month, runway, concentration, CI spend.");
        api.MapGet("/tasks", PublicApi.TasksAsync).Produces<IReadOnlyList<PublicTask>>().Produces(StatusCodes.Status304NotModified).WithSummary("Every public task with its funding.");
        api.MapGet("/sponsors", PublicApi.SponsorsAsync).Produces<IReadOnlyList<PublicSponsor>>().Produces(StatusCodes.Status304NotModified).WithSummary("Sponsors listed by name, and anonymous sponsors together as one line.");
        api.MapGet("/ci-costs", PublicApi.CiCostsAsync).Produces<IReadOnlyList<CiCostRow>>().ProducesValidationProblem()
            .WithSummary("CI cost from the monthly roll-up, grouped by month, provider or job. from and to are months (yyyy-MM), by default the last twelve.");
        api.MapGet("/ci-costs.csv", PublicApi.CiCostsCsvAsync).WithSummary("The same CI costs as CSV.").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        foreach (var table in PublicData.Tables)
        {
            api.MapGet($"/{table.Name}.csv", (HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options, PublicCacheInvalidation data,
                    CancellationToken cancellationToken) => PublicApi.Export(table, csv: true, context, factory, options.Value.BaseCurrency, data, cancellationToken))
                .WithSummary(table.Summary + " Columns: " + string.Join(", ", table.Columns) + ".")
                .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status304NotModified);
            api.MapGet($"/{table.Name}.json", (HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options, PublicCacheInvalidation data,
                    CancellationToken cancellationToken) => PublicApi.Export(table, csv: false, context, factory, options.Value.BaseCurrency, data, cancellationToken))
                .WithSummary(table.Summary + " An array of objects with the keys " + string.Join(", ", table.Columns) + ".")
                .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces(StatusCodes.Status304NotModified);
        }

        var badges = app.MapGroup("/badges").CacheOutput(CachePolicy).ExcludeFromDescription();
        badges.MapGet("/runway.svg", PublicApi.RunwayBadgeAsync);
        badges.MapGet("/task/{slug}.svg", PublicApi.TaskBadgeAsync);
        return app;
    }
}
