using System.Threading.RateLimiting;

using FundingPortal.Web.Components;

using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

using MudBlazor.Services;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// The frame every page and endpoint sits in: Blazor and MudBlazor, ProblemDetails on <c>/api/</c>, friendly error pages,
/// security headers, the sign-in rate limit, health and (where <see cref="PortalOptions.OpenApi"/> allows) OpenAPI.
/// </summary>
public static class PortalShell
{
    public const string SignInRateLimitKey = "Portal:SignInAttemptsPerMinute";

    public const string PublicRateLimitKey = "Portal:PublicRequestsPerMinute";

    public static IHostApplicationBuilder AddPortalShell(this IHostApplicationBuilder builder)
    {
        PortalOptions.Add(builder);
        builder.AddWarmup();
        // The host maps the build output's static web assets (MudBlazor's CSS and JS, blazor.web.js) only in Development;
        // elsewhere, run from `bin/` (Testing, a local Staging), they would be served as empty 200s: no styles, no interactivity.
        // Published output has no runtime manifest, so there this does nothing.
        if (builder is WebApplicationBuilder web && !builder.Environment.IsDevelopment())
        {
            web.WebHost.UseStaticWebAssets();
        }
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestProblems>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.AddHttpContextAccessor();
        services.AddAntiforgery(options =>
        {
            // The security headers below send X-Frame-Options: DENY for every response; antiforgery would add a second value.
            options.SuppressXFrameOptionsHeader = true;
            // Secure whenever the request came over HTTPS; plain HTTP stays usable for a local run.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<PortalOptions>>((hsts, portal) =>
        {
            hsts.MaxAge = TimeSpan.FromDays(portal.Value.HstsMaxAgeDays);
            hsts.IncludeSubDomains = portal.Value.HstsIncludeSubDomains;
        });
        // Kestrel names itself in a Server header on every response; that tells an attacker what to look up and no visitor needs it.
        services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);

        var signInAttempts = builder.Configuration.GetValue(SignInRateLimitKey, 10);
        var publicRequests = builder.Configuration.GetValue(PublicRateLimitKey, 600);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInAttempt(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = signInAttempts, Window = TimeSpan.FromMinutes(1) })
                    : IsPublicData(context.Request)
                        ? RateLimitPartition.GetFixedWindowLimiter("public " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                            _ => new FixedWindowRateLimiterOptions { PermitLimit = publicRequests, Window = TimeSpan.FromMinutes(1) })
                        : RateLimitPartition.GetNoLimiter(""));
        });
        return builder;
    }

    public static WebApplication UsePortalShell(this WebApplication app)
    {
        // HEAD on a public address answers exactly as GET would, headers and all, without the body.
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method) && IsPublicData(context.Request))
            {
                context.Request.Method = HttpMethods.Get;
                context.Response.Body = Stream.Null;
            }
            return next(context);
        });
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context), pages =>
        {
            pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseSecurityHeaders();
        // Routing, authentication and authorization come explicitly after the error pages, so a re-executed request is routed
        // again and a 401 or 403 passes through the status-code pages (ProblemDetails on /api/).
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: the default policy neither serves nor stores cached responses for signed-in users.
        app.UseOutputCache();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalShell(this WebApplication app)
    {
        app.MapStaticAssets();
        // The security headers already forbid framing; Blazor's own frame-ancestors header would add a second policy.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAdditionalIdentityEndpoints().ExcludeFromDescription();
        app.MapHealthChecks("/healthz", Warmup.HealthOptions);
        if (app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.OpenApi ?? app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
        }

        // Light or dark: a cookie, set by a plain form so it works without an interactive circuit or JavaScript.
        app.MapPost("/preferences/theme", ([FromForm] string mode, [FromForm] string? returnUrl, HttpContext context) =>
        {
            context.Response.Cookies.Append(ThemePreference.CookieName, mode == "dark" ? "dark" : "light",
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), Secure = context.Request.IsHttps });
            return TypedResults.LocalRedirect(ReturnUrls.LocalOrHome(returnUrl));
        }).ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>Public data anyone may fetch without signing in: limited per client address so one scraper cannot crowd out the rest.</summary>
    private static bool IsPublicData(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/public") || request.Path.StartsWithSegments("/badges")
        || request.Path == "/" || request.Path.StartsWithSegments("/transparency") || request.Path.StartsWithSegments("/tasks");

    private static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/Account/Login", StringComparison.OrdinalIgnoreCase);

    private static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        // MudBlazor sets inline styles; scripts come only from this site, plus the one inline script that carries this response's nonce
        // (Blazor's import map, see App.razor). A public page served from the output cache does not need a nonce of its own: the cache
        // stores the response's headers with its body and writes them over these on a hit, so a cached page arrives with the policy,
        // and the nonce, it was rendered with. That nonce was unguessable when the page was rendered, so nothing shown in it (a task
        // title, a sponsor's name) can have been written to match it; reusing it for the cache entry's lifetime lets no other script run.
        var nonce = ScriptNonce.Create(context);
        headers.ContentSecurityPolicy =
            $"default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self' 'nonce-{nonce}'; " +
            "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";
        await next();
    });
}

public static class ThemePreference
{
    public const string CookieName = "fp-theme";

    public static bool IsDark(HttpContext? context) => context?.Request.Cookies[CookieName] == "dark";
}
