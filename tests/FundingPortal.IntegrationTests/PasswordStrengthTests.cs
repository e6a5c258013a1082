using System.Net;
using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

/// <summary>Passwords that are long enough but easy to guess are refused, with the reason shown on the password field.</summary>
[Collection(PortalTests.Name)]
public partial class PasswordStrengthTests(PortalFactory portal)
{
    private const string EmailAsPassword = "(the email address)";

    [Theory]
    [InlineData("aaaaaaaaaaaa", "Repeats like")]
    [InlineData("password1234", "commonly used password")]
    [InlineData(EmailAsPassword, "your email address or name")]
    public async Task Registering_with_a_guessable_password_is_refused_on_the_password_field_and_a_strong_one_is_accepted(string weak, string reason)
    {
        var email = $"reg-{Guid.NewGuid():N}@example.com";
        var password = weak == EmailAsPassword ? email : weak;
        var client = portal.NewBrowserlikeClient();

        var refused = await RegisterAsync(client, email, password);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var message = FieldMessage(await refused.Content.ReadAsStringAsync(), "Input.Password");
        Assert.Contains("This password is too easy to guess.", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Null(await FindAsync(email));

        var accepted = await RegisterAsync(client, email, "teapot glacier wander 2026");

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("Account/RegisterConfirmation", accepted.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(await FindAsync(email));
    }

    [Fact]
    public async Task Changing_to_a_guessable_password_is_refused_on_the_new_password_field_and_the_old_one_still_works()
    {
        var user = await portal.CreateUserAsync();
        var client = await SignIn.AsAsync(portal, user);

        var token = await SignIn.AntiforgeryTokenAsync(client, "/Account/Manage/ChangePassword");
        var response = await client.PostAsync("/Account/Manage/ChangePassword", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "change-password",
            ["Input.OldPassword"] = user.Password,
            ["Input.NewPassword"] = "password1234",
            ["Input.ConfirmPassword"] = "password1234",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This password is too easy to guess.", FieldMessage(await response.Content.ReadAsStringAsync(), "Input.NewPassword"), StringComparison.Ordinal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(user.Id))!, user.Password));
    }

    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password)
    {
        var token = await SignIn.AntiforgeryTokenAsync(client, "/Account/Register");
        return await client.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "register",
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Reggie Strong",
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }));
    }

    private async Task<ApplicationUser?> FindAsync(string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
    }

    /// <summary>The validation message under a form field: the first one after its input, before the next field.</summary>
    private static string FieldMessage(string html, string inputId)
    {
        var start = html.IndexOf($"id=\"{inputId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No field {inputId}");
        var next = html.IndexOf("<div class=\"form-floating", start, StringComparison.Ordinal);
        var message = ValidationMessage().Match(next < 0 ? html[start..] : html[start..next]);
        Assert.True(message.Success, $"No message under {inputId}");
        return WebUtility.HtmlDecode(message.Groups[1].Value);
    }

    [GeneratedRegex("<div[^>]*class=\"[^\"]*(?:validation-message|text-danger)[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ValidationMessage();
}
