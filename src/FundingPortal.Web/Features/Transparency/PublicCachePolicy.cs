using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>
/// The output-cache policy of the public pages and data: anonymous GET and HEAD requests only (a signed-in person's layout differs), one
/// entry per path, the query keys that address reads (<see cref="QueryKeys"/>) and theme, tagged so <see cref="PublicCacheInvalidation"/> can evict it. Blazor hands every rendered page an
/// antiforgery token for later interactive pages, which comes with a cookie and <c>no-store</c>; on these static pages there is no form
/// that needs it, so the cookie and the no-store are dropped from anonymous responses, which makes them cacheable. The token left in the
/// page matches no cookie, so it is no use to anyone who reads it from the cache.
/// </summary>
public sealed class PublicCachePolicy : IOutputCachePolicy
{
    private static readonly StringValues CiCostQuery = new(["from", "to", "groupBy"]);

    /// <summary>
    /// The query keys each public address reads, by path; every other address under this policy (the public page, task pages, the
    /// other JSON and CSV exports, badges) reads none. Only these keys make separate cache entries, so a random query string added to
    /// an address is served from the same entry instead of rendering the page again. A new query parameter on a public address must be
    /// added here, or every value of it gets the first value's response.
    /// </summary>
    private static readonly Dictionary<string, StringValues> QueryKeysByPath = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/api/public/ci-costs"] = CiCostQuery,
        ["/api/public/ci-costs.csv"] = CiCostQuery,
    };

    /// <summary>The query keys the cache varies by for this path: none unless <see cref="QueryKeysByPath"/> lists it.</summary>
    public static StringValues QueryKeys(PathString path) =>
        QueryKeysByPath.TryGetValue(path.Value?.TrimEnd('/') ?? "", out var keys) ? keys : StringValues.Empty;

    /// <summary>
    /// This page's own address for links and forms in the layout (the theme switch comes back to it). On a cached public page it keeps only
    /// the query keys the cache varies by: anything else would be written into the one entry every visitor of that address is served.
    /// </summary>
    public static string LocalUrl(HttpContext context)
    {
        var request = context.Request;
        if (context.GetEndpoint()?.Metadata.GetMetadata<OutputCacheAttribute>()?.PolicyName != TransparencyModule.CachePolicy)
        {
            return request.Path + request.QueryString;
        }
        var keys = QueryKeys(request.Path);
        return request.Path + QueryString.Create(request.Query.Where(q => keys.Contains(q.Key, StringComparer.OrdinalIgnoreCase)));
    }

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var request = context.HttpContext.Request;
        var anonymous = context.HttpContext.User.Identity?.IsAuthenticated != true && string.IsNullOrEmpty(request.Headers.Authorization);
        var cacheable = anonymous && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TransparencyModule.CacheLifetime;
        context.Tags.Add(PublicCacheInvalidation.Tag);
        context.CacheVaryByRules.QueryKeys = QueryKeys(request.Path);
        context.CacheVaryByRules.VaryByValues["theme"] = Infrastructure.ThemePreference.IsDark(context.HttpContext) ? "dark" : "light";
        if (cacheable)
        {
            context.HttpContext.Response.OnStarting(state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.Remove(HeaderNames.SetCookie);
                headers.Remove(HeaderNames.Pragma);
                if (headers.CacheControl.Any(v => v?.Contains("no-store", StringComparison.OrdinalIgnoreCase) == true))
                {
                    headers.CacheControl = "no-cache";
                }
                return Task.CompletedTask;
            }, context.HttpContext.Response);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}
