using System.Security.Cryptography;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// The nonce of one response's Content-Security-Policy: the security headers make it, <c>App.razor</c> puts it on Blazor's inline import
/// map, so that script runs while <c>script-src</c> still allows no other inline script. It lives in <see cref="HttpContext.Items"/>
/// rather than a scoped service because the error and not-found pages re-execute the request in a new scope, and the security headers
/// run again then, making a fresh nonce for the page that is actually sent.
/// </summary>
public static class ScriptNonce
{
    private static readonly object Key = new();

    public static string Create(HttpContext context)
    {
        // 128 random bits in hex: no character that HTML encoding would turn into an entity.
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[Key] = nonce;
        return nonce;
    }

    public static string? Of(HttpContext? context) => context?.Items[Key] as string;
}
