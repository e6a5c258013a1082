using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>The public face: the transparency page, task pages, public JSON and CSV, badges — all cached until the data changes.</summary>
public static class TransparencyModule
{
    public const string CachePolicy = "public";

    /// <summary>How long a cached public response may live even if no change evicts it (a safety net, not the refresh mechanism).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

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
        api.MapGet("/summary", SummaryAsync).Produces<PublicSummary>().Produces(StatusCodes.Status304NotModified).WithSummary("The public page's figures: balances, money per month, runway, concentration, CI spend.");
        api.MapGet("/tasks", TasksAsync).Produces<IReadOnlyList<PublicTask>>().Produces(StatusCodes.Status304NotModified).WithSummary("Every public task with its funding.");
        api.MapGet("/sponsors", SponsorsAsync).Produces<IReadOnlyList<PublicSponsor>>().Produces(StatusCodes.Status304NotModified).WithSummary("Sponsors listed by name, and anonymous sponsors together as one line.");
        api.MapGet("/ci-costs", CiCostsAsync).Produces<IReadOnlyList<CiCostRow>>().ProducesValidationProblem()
            .WithSummary("CI cost from the monthly roll-up, grouped by month, provider or job. from and to are months (yyyy-MM), by default the last twelve.");
        api.MapGet("/ci-costs.csv", CiCostsCsvAsync).WithSummary("The same CI costs as CSV.").Produces(StatusCodes.Status200OK, contentType: "text/csv");
        foreach (var table in PublicData.Tables)
        {
            api.MapGet($"/{table.Name}.csv", (HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options, PublicCacheInvalidation data,
                    CancellationToken cancellationToken) => Export(table, csv: true, context, factory, options.Value.BaseCurrency, data, cancellationToken))
                .WithSummary(table.Summary + " Columns: " + string.Join(", ", table.Columns) + ".")
                .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status304NotModified);
            api.MapGet($"/{table.Name}.json", (HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options, PublicCacheInvalidation data,
                    CancellationToken cancellationToken) => Export(table, csv: false, context, factory, options.Value.BaseCurrency, data, cancellationToken))
                .WithSummary(table.Summary + " An array of objects with the keys " + string.Join(", ", table.Columns) + ".")
                .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces(StatusCodes.Status304NotModified);
        }

        var badges = app.MapGroup("/badges").CacheOutput(CachePolicy).ExcludeFromDescription();
        badges.MapGet("/runway.svg", RunwayBadgeAsync);
        badges.MapGet("/task/{slug}.svg", TaskBadgeAsync);
        return app;
    }

    private static async Task<IResult> SummaryAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var rates = await HonouredRates.PerOrganisationAsync(db, DateOnly.FromDateTime(now), cancellationToken);
        return WithETag(context, await PublicFigures.SummaryAsync(db, options.Value.BaseCurrency, now, rates, cancellationToken));
    }

    private static async Task<IResult> TasksAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return WithETag(context, await PublicTasks.AllAsync(db, options.Value.BaseCurrency, cancellationToken));
    }

    private static async Task<IResult> SponsorsAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rates = await HonouredRates.PerOrganisationAsync(db, today, cancellationToken);
        return WithETag(context, await PublicFigures.SponsorsAsync(db, rates, today, cancellationToken));
    }

    private static async Task<IResult> CiCostsAsync(string? from, string? to, string? groupBy,
        HttpContext context, IDbContextFactory<AppDbContext> factory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = ParseCiQuery(from, to, groupBy, clock);
        if (query.Problem is { } problem)
        {
            return problem;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return WithETag(context, await PublicExports.CiCostsAsync(db, query.From, query.To, query.GroupBy, cancellationToken));
    }

    private static async Task<IResult> CiCostsCsvAsync(string? from, string? to, string? groupBy, HttpContext context, IDbContextFactory<AppDbContext> factory,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = ParseCiQuery(from, to, groupBy, clock);
        if (query.Problem is { } problem)
        {
            return problem;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await PublicExports.CiCostsAsync(db, query.From, query.To, query.GroupBy, cancellationToken);
        // A few rows per month, provider or job: small enough to hash for a strong ETag.
        using var csv = new MemoryStream();
        await PublicExports.WriteCiCostsCsvAsync(rows, csv, cancellationToken);
        return WithETag(context, csv.ToArray(), "text/csv; charset=utf-8", "ci-costs.csv");
    }

    /// <summary>Streamed (an export can hold every ledger line), so its ETag is the public data's version rather than a hash of the body.</summary>
    private static IResult Export(PublicTable table, bool csv, HttpContext context, IDbContextFactory<AppDbContext> factory, string baseCurrency,
        PublicCacheInvalidation publicData, CancellationToken cancellationToken)
    {
        var etag = $"\"{table.Name}-{(csv ? "csv" : "json")}-{publicData.Version}\"";
        if (MarkETag(context, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Stream(async stream =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await (csv ? PublicData.WriteCsvAsync(table, db, baseCurrency, stream, cancellationToken)
                : PublicData.WriteJsonAsync(table, db, baseCurrency, stream, cancellationToken));
        }, csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", $"{table.Name}.{(csv ? "csv" : "json")}");
    }

    private static (DateOnly From, DateOnly To, CiCostGrouping GroupBy, ProblemHttpResult? Problem) ParseCiQuery(string? from, string? to, string? groupBy,
        TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var errors = new Dictionary<string, string[]>();
        DateOnly Month(string? text, string name, DateOnly fallback)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }
            if (DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var month))
            {
                return month;
            }
            errors[name] = [$"Give {name} as a month, yyyy-MM (for example 2026-01)."];
            return fallback;
        }
        var fromMonth = Month(from, "from", thisMonth.AddMonths(-11));
        var toMonth = Month(to, "to", thisMonth);
        var grouping = CiCostGrouping.Month;
        if (!string.IsNullOrWhiteSpace(groupBy) && !(Enum.TryParse(groupBy, ignoreCase: true, out grouping) && Enum.IsDefined(grouping)))
        {
            errors["groupBy"] = ["groupBy is month, provider or job."];
        }
        if (errors.Count == 0 && fromMonth > toMonth)
        {
            errors["from"] = ["from must not be after to."];
        }
        return (fromMonth, toMonth, grouping, errors.Count == 0 ? null : TypedResults.ValidationProblem(errors) is var v ? TypedResults.Problem(v.ProblemDetails) : null);
    }

    private static async Task<IResult> RunwayBadgeAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var balance = await FundBalances.TotalMinorAsync(db, cancellationToken);
        var flows = await PublicFigures.MonthlyFlowsAsync(db, cancellationToken);
        var runway = PublicFigures.Runway(balance, PublicFigures.AverageSpend(flows, new DateOnly(now.Year, now.Month, 1)));
        var (value, colour) = runway switch
        {
            null => ("no spend yet", "#4c1"),
            < 3 => ($"{runway:0.#} months", "#e05d44"),
            < 12 => ($"{runway:0.#} months", "#dfb317"),
            _ => ($"{runway:0.#} months", "#4c1"),
        };
        return WithETag(context, PublicSvg.Badge("runway", value, colour), "image/svg+xml");
    }

    private static async Task<IResult> TaskBadgeAsync(string slug, HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var task = await PublicTasks.BySlugAsync(db, slug, options.Value.BaseCurrency, cancellationToken);
        if (task is null)
        {
            return TypedResults.NotFound();
        }
        var percent = task.Task.Funding.ReceivedPercent;
        var colour = percent >= 100 ? "#4c1" : percent >= 50 ? "#dfb317" : "#e05d44";
        return WithETag(context, PublicSvg.Badge("funded", $"{Math.Floor(percent):0}% of {task.Task.Funding.Goal}", colour), "image/svg+xml");
    }

    /// <summary>JSON with a strong ETag of its bytes; a matching If-None-Match is answered with 304 and no body.</summary>
    private static IResult WithETag<T>(HttpContext context, T value) =>
        WithETag(context, JsonSerializer.SerializeToUtf8Bytes(value, Json), "application/json; charset=utf-8");

    private static IResult WithETag(HttpContext context, string text, string contentType) =>
        WithETag(context, System.Text.Encoding.UTF8.GetBytes(text), contentType);

    private static IResult WithETag(HttpContext context, byte[] body, string contentType, string? fileName = null) =>
        MarkETag(context, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"")
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(body, contentType, fileName);

    /// <summary>Sets the ETag and cache headers; true when the request's If-None-Match already names it (answer 304, no body).</summary>
    private static bool MarkETag(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "public, max-age=60";
        return context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"));
    }
}
