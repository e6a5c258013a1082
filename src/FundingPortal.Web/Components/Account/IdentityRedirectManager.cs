using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace FundingPortal.Web.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>Goes to an address this code chose: base-relative (<c>Account/Lockout</c>) or absolute on this site.</summary>
    public void RedirectTo(string? uri)
    {
        uri ??= "";

        // Prevent open redirects: an absolute address elsewhere goes home rather than off-site (or to an exception).
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative)
            || uri.StartsWith("//", StringComparison.Ordinal))
        {
            uri = uri.StartsWith(navigationManager.BaseUri, StringComparison.OrdinalIgnoreCase) ? navigationManager.ToBaseRelativePath(uri) : "";
        }

        navigationManager.NavigateTo(uri);
    }

    /// <summary>Follows a return address from the request, only when <see cref="ReturnUrls.IsLocal"/> allows it; else goes home.</summary>
    public void RedirectToReturnUrl(string? returnUrl)
    {
        if (!ReturnUrls.IsLocal(returnUrl))
        {
            navigationManager.NavigateTo("");
            return;
        }
        // "~/x" is relative to the path base, which is what a base-relative "x" means to the navigation manager.
        navigationManager.NavigateTo(returnUrl.StartsWith("~/", StringComparison.Ordinal) ? returnUrl[2..] : returnUrl);
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<ApplicationUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
