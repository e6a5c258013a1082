using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Identity;

namespace FundingPortal.UnitTests;

public class AccountRulesTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/pledges/12")]
    [InlineData("/Account/Manage?tab=2fa#codes")]
    [InlineData("~/")]
    [InlineData("~/pledges")]
    public void A_path_on_this_site_is_a_local_return_address(string url) => Assert.True(ReturnUrls.IsLocal(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("~//evil.example/")]
    [InlineData("~/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\r\n/evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("pledges")]
    [InlineData("~")]
    public void Anything_else_is_not_and_goes_home(string? url)
    {
        Assert.False(ReturnUrls.IsLocal(url));
        Assert.Equal("~/", ReturnUrls.LocalOrHome(url));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaa", "Repeats like")]
    [InlineData("password1234", "commonly used password")]
    [InlineData("abcdefghijklmn", "Sequences like")]
    [InlineData("zxcvbnm,./", "Straight rows of keys")]
    [InlineData("P@ssw0rd2024", "substitutions")]
    [InlineData("pia.person@example.com", "your email address or name")]
    [InlineData("PiaPerson1234", "your email address or name")]
    public async Task A_guessable_password_is_refused_with_what_makes_it_guessable(string password, string reason)
    {
        var result = await Validate(password);

        var error = Assert.Single(result.Errors);
        Assert.Equal(PasswordStrength.ErrorCode, error.Code);
        Assert.StartsWith("This password is too easy to guess.", error.Description, StringComparison.Ordinal);
        Assert.Contains(reason, error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("correct-horse-battery")]
    [InlineData("correct horse battery staple")]
    [InlineData("teapot-glacier-2026")]
    [InlineData("a-long-admin-password")]
    public async Task A_password_that_is_hard_to_guess_passes(string password) => Assert.True((await Validate(password)).Succeeded);

    private static Task<IdentityResult> Validate(string password) =>
        new PasswordStrength().ValidateAsync(null!, new ApplicationUser { UserName = "pia.person@example.com", Email = "pia.person@example.com", DisplayName = "Pia Person" }, password);
}
