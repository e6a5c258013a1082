using System.Net;
using System.Text.Json;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

/// <summary>Account pages and endpoints given what an attacker would send: off-site return addresses, skipped steps, missing tokens.</summary>
[Collection(PortalTests.Name)]
public class HostileAccountInputTests(PortalFactory portal)
{
    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Signing_in_with_an_off_site_return_address_signs_in_and_stays_on_the_portal(string returnUrl)
    {
        var user = await portal.CreateUserAsync();
        var client = portal.NewBrowserlikeClient();
        var login = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);

        var response = await PostFormAsync(client, login, login, "login", new() { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });

        AssertRedirectStaysOnThePortal(response);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Signing_in_with_a_second_factor_and_an_off_site_return_address_stays_on_the_portal(string returnUrl)
    {
        var user = await portal.CreateUserAsync();
        var key = await portal.EnableAuthenticatorAsync(user);
        var client = portal.NewBrowserlikeClient();
        var login = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);

        var password = await PostFormAsync(client, login, login, "login", new() { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        var secondStep = new Uri(client.BaseAddress!, password.Headers.Location!).PathAndQuery;
        Assert.Contains("LoginWith2fa", secondStep, StringComparison.Ordinal);
        var code = await PostFormAsync(client, secondStep, secondStep, "login-with-2fa", new() { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        AssertRedirectStaysOnThePortal(code);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task The_second_factor_pages_without_a_password_first_send_the_visitor_to_sign_in(string page)
    {
        var client = portal.NewBrowserlikeClient();

        var response = await client.GetAsync(page);

        AssertRedirectStaysOnThePortal(response);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var signIn = await SignIn.FollowAsync(client, page);
        Assert.Contains("Sign in with your email and password first", signIn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa", "login-with-2fa", "Input.TwoFactorCode", "123456")]
    [InlineData("/Account/LoginWithRecoveryCode", "login-with-recovery-code", "Input.RecoveryCode", "ABCDE-12345")]
    public async Task Posting_a_code_without_a_password_first_sends_the_visitor_to_sign_in(string page, string handler, string field, string code)
    {
        var client = portal.NewBrowserlikeClient();

        var response = await PostFormAsync(client, "/Account/Login", page, handler, new() { [field] = code });

        AssertRedirectStaysOnThePortal(response);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Account/Manage/Disable2fa")]
    [InlineData("/Account/Manage/GenerateRecoveryCodes")]
    public async Task Two_factor_pages_for_someone_without_it_explain_instead_of_failing(string page)
    {
        var user = await portal.CreateUserAsync();
        var client = await SignIn.AsAsync(portal, user);

        var response = await client.GetAsync(page);

        AssertRedirectStaysOnThePortal(response);
        var explained = await SignIn.FollowAsync(client, page);
        Assert.Contains("Two-factor authentication is not turned on for your account", explained, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Account/Manage/Disable2fa", "disable-2fa")]
    [InlineData("/Account/Manage/GenerateRecoveryCodes", "generate-recovery-codes")]
    public async Task Posting_a_two_factor_form_without_it_explains_and_makes_no_recovery_codes(string page, string handler)
    {
        var user = await portal.CreateUserAsync();
        var client = await SignIn.AsAsync(portal, user);

        var response = await PostFormAsync(client, "/Account/Manage/PersonalData", page, handler, []);

        AssertRedirectStaysOnThePortal(response);
        var explained = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("Two-factor authentication is not turned on for your account", explained, StringComparison.Ordinal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Equal(0, await users.CountRecoveryCodesAsync((await users.FindByIdAsync(user.Id))!));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Signing_out_with_an_off_site_return_address_signs_out_and_goes_home(string returnUrl)
    {
        var user = await portal.CreateUserAsync();
        var client = await SignIn.AsAsync(portal, user);

        var response = await PostFormAsync(client, "/Account/Manage", "/Account/Logout", handler: null, new() { ["ReturnUrl"] = returnUrl });

        AssertRedirectStaysOnThePortal(response);
        Assert.Equal("/", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/Account/Manage")).StatusCode);
    }

    [Theory]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    public async Task The_theme_switch_with_a_disguised_off_site_address_goes_home(string returnUrl)
    {
        var client = portal.NewBrowserlikeClient();

        var response = await client.PostAsync("/preferences/theme", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["mode"] = "dark",
            ["returnUrl"] = returnUrl,
        }));

        AssertRedirectStaysOnThePortal(response);
        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Downloading_personal_data_without_the_forms_token_is_refused()
    {
        var user = await portal.CreateUserAsync();
        var client = await SignIn.AsAsync(portal, user);

        var response = await client.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
        Assert.DoesNotContain(user.Email, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Downloading_personal_data_with_a_bogus_token_is_refused()
    {
        var user = await portal.CreateUserAsync();
        var client = await SignIn.AsAsync(portal, user);

        var response = await client.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = "CfDJ8-not-a-real-token",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
        Assert.DoesNotContain(user.Email, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Personal_data_holds_the_persons_details_and_no_secret_that_signs_in_as_them()
    {
        var user = await portal.CreateUserAsync(name: "Pia Personal");
        var key = await portal.EnableAuthenticatorAsync(user);
        string[] recoveryCodes;
        string securityStamp;
        string passwordHash;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var account = (await users.FindByIdAsync(user.Id))!;
            recoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToArray();
            account = (await users.FindByIdAsync(user.Id))!;
            securityStamp = account.SecurityStamp!;
            passwordHash = account.PasswordHash!;
        }
        var client = await SignIn.WithSecondFactorAsync(portal, user, key);

        var response = await PostFormAsync(client, "/Account/Manage/PersonalData", "/Account/Manage/DownloadPersonalData", handler: null, []);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        Assert.Equal(user.Email, data["Email"]);
        Assert.Equal("Pia Personal", data["DisplayName"]);
        Assert.Equal("True", data["TwoFactorEnabled"]);
        Assert.DoesNotContain(key, json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authenticator", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(securityStamp, json, StringComparison.Ordinal);
        Assert.DoesNotContain(passwordHash, json, StringComparison.Ordinal);
        Assert.All(recoveryCodes, code => Assert.DoesNotContain(code, json, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A redirect (never a 500) whose target, resolved as a browser would, is on the portal's own host.</summary>
    private static void AssertRedirectStaysOnThePortal(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        // A browser reads "/\host" as "//host"; System.Uri does the same, so resolving shows where the browser would go.
        var target = new Uri(new Uri("http://localhost/"), location);
        Assert.Equal("localhost", target.Host);
        Assert.DoesNotContain("evil.example", location.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", location.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Posts a form as a browser would, with the antiforgery token of the page the form is on.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, string? handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await SignIn.AntiforgeryTokenAsync(client, formPage);
        if (handler is not null)
        {
            fields["_handler"] = handler;
        }
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

}
