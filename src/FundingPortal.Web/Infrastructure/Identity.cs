using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using FundingPortal.Web.Components.Account;

using FundingPortal.Web.Infrastructure.Sessions;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Infrastructure;

public static class Policies
{
    /// <summary>Reviewers, and admins who signed in with their second factor: the devops group.</summary>
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
        services.AddScoped<ConfirmationEmails>();
        services.AddSingleton<AccountEmailThrottle>();
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
            // The security stamp is checked on every request but for static files (see ValidateSecurityStampAsync).
            cookie.Events.OnValidatePrincipal = ValidateSecurityStampAsync;
        });
        // Sessions live in the database: the cookie holds a key, and deleting the row ends the session everywhere.
        services.AddSingleton<DatabaseTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((cookie, store) => cookie.SessionStore = store);
        services.AddScoped<UserSessions>();
        // A role change, a password change or "sign out everywhere" changes the security stamp, and the very next request sees it.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.Zero;
            options.OnRefreshingPrincipal = KeepSignInClaims;
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
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();

        // Keys live in the database so several instances (and restarts) can read each other's cookies.
        var keys = services.AddDataProtection().PersistKeysToDbContext<AppDbContext>().SetApplicationName("FundingPortal");
        if (KeyCertificate(builder.Configuration) is { } certificate)
        {
            keys.ProtectKeysWithCertificate(certificate);
        }
        else
        {
            // Without a certificate the keys are stored as they are. StartUp says so once, in words, instead of Data Protection's
            // "No XML encryptor configured" warning, which reads like an error and names no fix.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Reviewer, p => p.RequireAssertion(context => context.User.IsInRole(Roles.Reviewer)
                || (context.User.IsInRole(Roles.Admin) && context.User.HasClaim(MultiFactorClaim, MultiFactorValue))))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin).RequireClaim(MultiFactorClaim, MultiFactorValue))
            .AddPolicy(Policies.ApiToken, p => p.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return builder;
    }

    public const string KeyCertificatePathKey = "DataProtection:CertificatePath";
    public const string KeyCertificatePasswordKey = "DataProtection:CertificatePassword";

    /// <summary>Whether Data Protection keys are encrypted at rest (a certificate is configured).</summary>
    public static bool KeysAreEncrypted(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[KeyCertificatePathKey]);

    /// <summary>The certificate (a PFX file with its private key) that encrypts the keys, or null when none is configured.</summary>
    private static X509Certificate2? KeyCertificate(IConfiguration configuration)
    {
        if (configuration[KeyCertificatePathKey] is not { Length: > 0 } path)
        {
            return null;
        }
        if (!File.Exists(path))
        {
            throw new ConfigurationProblemException($"{KeyCertificatePathKey} is '{path}': there is no such file (a PFX certificate with its private key).");
        }
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, configuration[KeyCertificatePasswordKey]);
        }
        catch (CryptographicException problem)
        {
            throw new ConfigurationProblemException(
                $"{KeyCertificatePathKey} is '{path}', which cannot be opened as a PFX certificate ({problem.Message.TrimEnd('.')}): check the file and {KeyCertificatePasswordKey}.");
        }
    }

    /// <summary>The key of the server-side session this request belongs to, if any.</summary>
    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirstValue(DatabaseTicketStore.SessionClaim);

    /// <summary>
    /// Checks the cookie's security stamp against the database, so a demotion, a new password or "sign out everywhere" takes effect on
    /// the next request. Static files (styles, scripts, images) skip it: they are the same for everyone and would only add queries.
    /// </summary>
    private static Task ValidateSecurityStampAsync(CookieValidatePrincipalContext context) =>
        IsStaticFile(context.Request.Path) ? Task.CompletedTask : SecurityStampValidator.ValidatePrincipalAsync(context);

    /// <summary>
    /// The refreshed principal is built from the database (fresh roles); how the person signed in (a second factor or not) and which
    /// session this is are facts of the sign-in, not of the account, so they carry over.
    /// </summary>
    private static Task KeepSignInClaims(SecurityStampRefreshingPrincipalContext context)
    {
        var identity = context.NewPrincipal?.Identities.FirstOrDefault();
        if (identity is not null && context.CurrentPrincipal is { } current)
        {
            foreach (var claim in current.Claims.Where(c => c.Type is MultiFactorClaim or DatabaseTicketStore.SessionClaim).ToList())
            {
                if (!identity.HasClaim(claim.Type, claim.Value))
                {
                    identity.AddClaim(new Claim(claim.Type, claim.Value));
                }
            }
        }
        return Task.CompletedTask;
    }

    private static readonly string[] StaticExtensions = [".css", ".js", ".mjs", ".map", ".png", ".jpg", ".svg", ".ico", ".woff", ".woff2", ".webmanifest"];

    private static bool IsStaticFile(PathString path) =>
        path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || (!path.StartsWithSegments("/api") && StaticExtensions.Contains(Path.GetExtension(path.Value ?? ""), StringComparer.OrdinalIgnoreCase));

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string RequiredUserId(this ClaimsPrincipal user) =>
        user.UserId() ?? throw new InvalidOperationException("This page needs a signed-in user.");

    /// <summary>An admin who has not signed in with a second factor yet: shown a notice, kept out of admin pages.</summary>
    public static bool IsAdminWithoutSecondFactor(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) && !user.HasClaim(MultiFactorClaim, MultiFactorValue);
}
