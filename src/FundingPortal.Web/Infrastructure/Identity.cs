using System.Security.Claims;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Components.Account;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Infrastructure;

public static class Policies
{
    /// <summary>Reviewers and admins: the devops group.</summary>
    public const string Reviewer = "Reviewer";

    /// <summary>Admins who signed in with their second factor. An admin without it is sent to set it up.</summary>
    public const string Admin = "Admin";

    /// <summary>Scripts calling <c>/api/</c> with <c>Authorization: Bearer</c>.</summary>
    public const string ApiToken = "ApiToken";
}

public static class IdentitySetup
{
    /// <summary>The claim Identity adds when someone signs in with a second factor.</summary>
    public const string MultiFactorClaim = "amr";
    public const string MultiFactorValue = "mfa";

    public static IHostApplicationBuilder AddPortalIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "FundingPortal.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/Account/Login";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
        });

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddPasswordValidator<PasswordStrength>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // Keys live in the database so several instances (and restarts) can read each other's cookies.
        services.AddDataProtection().PersistKeysToDbContext<AppDbContext>().SetApplicationName("FundingPortal");

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Reviewer, p => p.RequireRole(Roles.Reviewer, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin).RequireClaim(MultiFactorClaim, MultiFactorValue))
            .AddPolicy(Policies.ApiToken, p => p.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return builder;
    }

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string RequiredUserId(this ClaimsPrincipal user) =>
        user.UserId() ?? throw new InvalidOperationException("This page needs a signed-in user.");

    /// <summary>An admin who has not signed in with a second factor yet: shown a notice, kept out of admin pages.</summary>
    public static bool IsAdminWithoutSecondFactor(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) && !user.HasClaim(MultiFactorClaim, MultiFactorValue);
}
