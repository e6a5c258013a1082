using FundingPortal.Web.Infrastructure;

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
}
