using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Ledger;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>The public API's and badges' answers: figures read from the roll-ups, each with an ETag.</summary>
public static class PublicApi
{
    public static async Task<IResult> SummaryAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var rates = await HonouredRates.MeanHonouredSharePerOrganisationAsync(db, DateOnly.FromDateTime(now), cancellationToken);
        return PublicETags.With(context, await PublicFigures.SummaryAsync(db, options.Value.BaseCurrency, now, rates, cancellationToken));
    }

    public static async Task<IResult> TasksAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return PublicETags.With(context, await PublicTasks.AllAsync(db, options.Value.BaseCurrency, cancellationToken));
    }

    public static async Task<IResult> SponsorsAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rates = await HonouredRates.MeanHonouredSharePerOrganisationAsync(db, today, cancellationToken);
        return PublicETags.With(context, await PublicFigures.SponsorsAsync(db, rates, today, cancellationToken));
    }

    public static async Task<IResult> CiCostsAsync(string? from, string? to, string? groupBy,
        HttpContext context, IDbContextFactory<AppDbContext> factory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = ParseCiQuery(from, to, groupBy, clock);
        if (query.Problem is { } problem)
        {
            return problem;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return PublicETags.With(context, await PublicExports.CiCostsAsync(db, query.From, query.To, query.GroupBy, cancellationToken));
    }

    public static async Task<IResult> CiCostsCsvAsync(string? from, string? to, string? groupBy, HttpContext context, IDbContextFactory<AppDbContext> factory,
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
        return PublicETags.With(context, csv.ToArray(), "text/csv; charset=utf-8", "ci-costs.csv");
    }

    /// <summary>Streamed (an export can hold every ledger line), so its ETag is the public data's version rather than a hash of the body.</summary>
    public static IResult Export(PublicTable table, bool csv, HttpContext context, IDbContextFactory<AppDbContext> factory, string baseCurrency,
        PublicCacheInvalidation publicData, CancellationToken cancellationToken)
    {
        var etag = $"\"{table.Name}-{(csv ? "csv" : "json")}-{publicData.Version}\"";
        if (PublicETags.Mark(context, etag))
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

    public static async Task<IResult> RunwayBadgeAsync(HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var balance = await FundBalances.TotalMinorAsync(db, cancellationToken);
        var flows = await PublicFigures.MonthlyFlowsAsync(db, cancellationToken);
        var runway = PublicFigures.RunwayNow(flows, balance, new DateOnly(now.Year, now.Month, 1));
        var (value, colour) = runway switch
        {
            null => ("not shrinking", "#4c1"),
            < 3 => ($"{runway:0.#} months", "#e05d44"),
            < 12 => ($"{runway:0.#} months", "#dfb317"),
            _ => ($"{runway:0.#} months", "#4c1"),
        };
        return PublicETags.With(context, PublicSvg.Badge("runway", value, colour), "image/svg+xml");
    }

    public static async Task<IResult> TaskBadgeAsync(string slug, HttpContext context, IDbContextFactory<AppDbContext> factory, IOptions<PortalOptions> options,
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
        return PublicETags.With(context, PublicSvg.Badge("funded", $"{Math.Floor(percent):0}% of {task.Task.Funding.Goal}", colour), "image/svg+xml");
    }
}
