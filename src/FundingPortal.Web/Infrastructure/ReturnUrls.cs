using System.Diagnostics.CodeAnalysis;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// The one rule for a return address taken from a request (<c>ReturnUrl</c> after sign-in, sign-out, the theme switch):
/// it is followed only when it stays on this site, otherwise the browser goes home. Anything else would be an open redirect
/// (<c>//evil.example/</c>, <c>/\evil.example/</c>, <c>https://evil.example/</c>) or a script (<c>javascript:</c>).
/// </summary>
public static class ReturnUrls
{
    /// <summary>The home page, in the form <c>LocalRedirect</c> resolves against the path base.</summary>
    public const string Home = "~/";

    /// <summary>
    /// <c>Url.IsLocalUrl</c>'s rule: a path that starts with one <c>/</c> not followed by <c>/</c> or <c>\</c>, or with <c>~/</c>
    /// not followed by either, and has no control characters (browsers drop tabs and line breaks, so <c>/\t/evil.example</c> is
    /// <c>//evil.example</c> to them).
    /// </summary>
    public static bool IsLocal([NotNullWhen(true)] string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }
        var path = url.StartsWith("~/", StringComparison.Ordinal) ? url.AsSpan(1) : url.AsSpan();
        return path is ['/'] or ['/', not ('/' or '\\'), ..] && !HasControlCharacter(path);
    }

    /// <summary>The address itself if it is local, else <see cref="Home"/>; for <c>TypedResults.LocalRedirect</c>.</summary>
    public static string LocalOrHome(string? url) => IsLocal(url) ? url : Home;

    private static bool HasControlCharacter(ReadOnlySpan<char> path)
    {
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }
}
