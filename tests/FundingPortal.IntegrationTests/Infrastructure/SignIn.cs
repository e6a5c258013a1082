using System.Net;
using System.Text.RegularExpressions;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>Signs in through the real account forms (antiforgery token and all), as a browser would.</summary>
public static partial class SignIn
{
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    public static async Task<HttpClient> AsAsync(PortalFactory portal, TestUser user)
    {
        var client = portal.NewBrowserlikeClient();
        var response = await PostLoginAsync(client, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("LoginWith2fa", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        return client;
    }

    /// <summary>Signs in with password and then the authenticator code, as an admin must.</summary>
    public static async Task<HttpClient> WithSecondFactorAsync(PortalFactory portal, TestUser user, string authenticatorKey)
    {
        var client = portal.NewBrowserlikeClient();
        var response = await PostLoginAsync(client, user.Email, user.Password);
        var path = new Uri(client.BaseAddress!, response.Headers.Location!).PathAndQuery;
        Assert.Contains("LoginWith2fa", path, StringComparison.Ordinal);
        var token = await AntiforgeryTokenAsync(client, path);
        var verified = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login-with-2fa",
            ["Input.TwoFactorCode"] = Totp.Code(authenticatorKey, DateTimeOffset.UtcNow),
        }));
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        return client;
    }

    /// <summary>Gets a page, following the portal's redirects (to sign-in or access denied) as a browser would.</summary>
    public static async Task<string> FollowAsync(HttpClient client, string path)
    {
        for (var hop = 0; hop < 5; hop++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                return await response.Content.ReadAsStringAsync();
            }
            path = response.Headers.Location!.ToString();
        }
        throw new InvalidOperationException($"Too many redirects from {path}");
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
