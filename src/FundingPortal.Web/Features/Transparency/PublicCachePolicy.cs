using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>
/// The output-cache policy of the public pages and data: anonymous GET and HEAD requests only (a signed-in person's layout differs), one
/// entry per path, query and theme, tagged so <see cref="PublicCacheInvalidation"/> can evict it. Blazor hands every rendered page an
/// antiforgery token for later interactive pages, which comes with a cookie and <c>no-store</c>; on these static pages there is no form
/// that needs it, so the cookie and the no-store are dropped from anonymous responses, which makes them cacheable. The token left in the
/// page matches no cookie, so it is no use to anyone who reads it from the cache.
/// </summary>
public sealed class PublicCachePolicy : IOutputCachePolicy
{
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
        context.CacheVaryByRules.QueryKeys = "*";
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
