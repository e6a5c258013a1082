using System.Net;
using System.Text.RegularExpressions;

using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

/// <summary>
/// Getting in: the totp verb (Development only), signing in before the address is confirmed, registering an address that has an
/// account, and the invitation page for a visitor.
/// </summary>
[Collection(PortalTests.Name)]
public partial class GettingInTests(PortalFactory portal)
{
    private Dictionary<string, string> Environment(string environment) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["Database__Provider"] = portal.Database.Provider.ToString(),
        ["ConnectionStrings__Default"] = portal.Database.ConnectionString,
        ["Portal__DataFolder"] = portal.DataFolder,
    };

    [Fact]
    public async Task Totp_prints_the_current_code_of_an_account_with_an_authenticator_key_in_Development()
    {
        var user = await portal.CreateUserAsync(Roles.Admin, "Tom Totp");
        var key = await portal.EnableAuthenticatorAsync(user);

        var before = DateTimeOffset.UtcNow;
        var outcome = await PortalProcess.RunAsync(Environment("Development"), "totp", "--email", user.Email);
        var after = DateTimeOffset.UtcNow;

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var code = SixDigits().Match(outcome.Output);
        Assert.True(code.Success, outcome.Output);
        Assert.Contains(code.Value, new[] { Totp.Code(key, before), Totp.Code(key, after) });
        Assert.Contains(user.Email, outcome.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public async Task Totp_refuses_outside_Development_and_prints_no_code(string environment)
    {
        var user = await portal.CreateUserAsync(Roles.Admin, "Nora Nodev");
        await portal.EnableAuthenticatorAsync(user);

        var outcome = await PortalProcess.RunAsync(Environment(environment), "totp", "--email", user.Email);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("only in Development", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(SixDigits(), outcome.Output);
    }

    [Fact]
    public async Task Totp_names_an_account_without_a_key()
    {
        var user = await portal.CreateUserAsync(name: "Kim Keyless");

        var outcome = await PortalProcess.RunAsync(Environment("Development"), "totp", "--email", user.Email);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"{user.Email} has no authenticator key", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_before_confirming_says_so_only_to_someone_with_the_password()
    {
        var email = await UnconfirmedAccountAsync();

        var right = await (await SignIn.PostLoginAsync(portal.NewBrowserlikeClient(), email, PortalFactory.Password)).Content.ReadAsStringAsync();
        var wrong = await (await SignIn.PostLoginAsync(portal.NewBrowserlikeClient(), email, "not-the-password-at-all")).Content.ReadAsStringAsync();
        var nobody = await (await SignIn.PostLoginAsync(portal.NewBrowserlikeClient(), $"nobody-{Guid.NewGuid():N}@example.com", "not-the-password-at-all"))
            .Content.ReadAsStringAsync();

        Assert.Contains("is not confirmed yet", right, StringComparison.Ordinal);
        Assert.Contains("Send the link again", right, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid login attempt", right, StringComparison.Ordinal);
        foreach (var page in new[] { wrong, nobody })
        {
            Assert.Contains("Invalid login attempt", page, StringComparison.Ordinal);
            Assert.DoesNotContain("not confirmed", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_resend_button_sends_a_confirmation_link_that_confirms_the_address()
    {
        var email = await UnconfirmedAccountAsync();
        var client = portal.NewBrowserlikeClient();
        var token = await SignIn.AntiforgeryTokenAsync(client, "/Account/Login");

        var resent = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "resend-confirmation",
            ["ResendTo"] = email,
        }));

        Assert.Contains("We sent a new confirmation link", await resent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mail = Assert.Single(portal.EmailsTo(email), m => m.Subject == "Confirm your FundingPortal email");
        var link = WebUtility.HtmlDecode(ConfirmLink().Match(mail.Html).Groups[1].Value);
        var confirmed = await SignIn.FollowAsync(client, new Uri(link).PathAndQuery);
        Assert.Contains("Thank you for confirming your email.", confirmed, StringComparison.Ordinal);
        var signedIn = await SignIn.PostLoginAsync(portal.NewBrowserlikeClient(), email, PortalFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task Resending_is_limited_to_a_few_emails_per_address()
    {
        var email = await UnconfirmedAccountAsync();
        var client = portal.NewBrowserlikeClient();
        for (var i = 0; i < 5; i++)
        {
            var token = await SignIn.AntiforgeryTokenAsync(client, "/Account/ResendEmailConfirmation");
            var answer = await client.PostAsync("/Account/ResendEmailConfirmation", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "resend-email-confirmation",
                ["Input.Email"] = email,
            }));
            Assert.Contains("Verification email sent.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(3, portal.EmailsTo(email).Count);
    }

    [Fact]
    public async Task Registering_a_taken_address_answers_as_a_new_registration_and_tells_the_owner()
    {
        var owner = await portal.CreateUserAsync(name: "Olga Owner");
        var fresh = $"fresh-{Guid.NewGuid():N}@example.com";

        var taken = await RegisterAsync(owner.Email);
        var created = await RegisterAsync(fresh);

        Assert.Equal(created.StatusCode, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal(created.Headers.Location!.ToString().Replace(Uri.EscapeDataString(fresh), "ADDRESS", StringComparison.Ordinal),
            taken.Headers.Location!.ToString().Replace(Uri.EscapeDataString(owner.Email), "ADDRESS", StringComparison.Ordinal));
        var mail = Assert.Single(portal.EmailsTo(owner.Email));
        Assert.Equal("Someone tried to register with your FundingPortal email", mail.Subject);
        Assert.Contains("Account/Login", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Account/ResetPassword?code=", mail.Html, StringComparison.Ordinal);
        await using var db = portal.NewDbContext();
        var normalized = owner.Email.ToUpperInvariant();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == normalized));
        Assert.Single(portal.EmailsTo(fresh), m => m.Subject == "Confirm your FundingPortal email");
    }

    [Fact]
    public async Task A_weak_password_is_refused_on_its_field_in_one_sentence_whether_or_not_the_address_is_taken()
    {
        var owner = await portal.CreateUserAsync(name: "Wanda Weak");

        foreach (var email in new[] { owner.Email, $"weak-{Guid.NewGuid():N}@example.com" })
        {
            var answer = await RegisterAsync(email, "password1234");
            var html = await answer.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.DoesNotContain("already taken", html, StringComparison.Ordinal);
            Assert.Matches("<div class=\"validation-message\">[^<]*guess", html);
        }
        Assert.Empty(portal.EmailsTo(owner.Email));
    }

    [Fact]
    public async Task A_visitor_with_an_invitation_link_sees_the_organisation_and_who_invites()
    {
        var organisation = $"Inviting Org {Guid.NewGuid():N}"[..24];
        var sponsor = await portal.Given().SponsorAsync(organisation, person: "Irene Inviter");
        var invited = $"invited-{Guid.NewGuid():N}@example.com";
        var sent = await portal.WithScopeAsync<Web.Features.Organisations.ManageMembers, Result<int>>(m =>
            m.InviteAsync(sponsor.OrganisationId, invited, sponsor.User.Id, new Uri("http://localhost/")));
        Assert.True(sent.Succeeded);
        var link = InvitationLink().Match(portal.EmailsTo(invited).Single().Html).Groups[1].Value;

        var page = await portal.CreateClient().GetStringAsync(new Uri(link).PathAndQuery);

        Assert.Contains($"Join {organisation}", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("Irene Inviter invites you to join", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("Sign in to accept", page, StringComparison.Ordinal);
        Assert.Contains(invited, page, StringComparison.Ordinal);
    }

    private async Task<string> UnconfirmedAccountAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"unconfirmed-{Guid.NewGuid():N}@example.com";
        var created = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email, DisplayName = "Una Unconfirmed" }, PortalFactory.Password);
        Assert.True(created.Succeeded);
        return email;
    }

    private async Task<HttpResponseMessage> RegisterAsync(string email, string password = "correct horse battery staple")
    {
        var client = portal.NewBrowserlikeClient();
        var token = await SignIn.AntiforgeryTokenAsync(client, "/Account/Register");
        return await client.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "register",
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Reggie Register",
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }));
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    [GeneratedRegex("href=\"([^\"]*ConfirmEmail[^\"]*)\"")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex("href=\"([^\"]*/invitations/[^\"]*)\"")]
    private static partial Regex InvitationLink();
}

/// <summary>
/// A portal in the Development environment on its own database: demo data is seeded at start, and the demo admin comes with the known
/// authenticator key.
/// </summary>
public sealed class DevelopmentPortal : PortalFactory
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseEnvironment("Development");
}

/// <summary>What a newcomer does after <c>dotnet run</c>: sign in as the demo admin with the printed key and open an admin page.</summary>
public sealed class DemoAdminTests(DevelopmentPortal portal) : IClassFixture<DevelopmentPortal>
{
    [Fact]
    public async Task The_demo_admin_signs_in_with_the_code_of_the_known_key_and_opens_admin_pages()
    {
        var admin = new TestUser("", DemoAuthenticator.AdminEmail, DemoData.DemoPassword);

        var client = await SignIn.WithSecondFactorAsync(portal, admin, DemoAuthenticator.AdminKey);
        var users = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Contains("Users and roles", await users.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_totp_verb_prints_the_demo_admins_code_without_options()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = portal.Database.Provider.ToString(),
            ["ConnectionStrings__Default"] = portal.Database.ConnectionString,
            ["Portal__DataFolder"] = portal.DataFolder,
        };
        var before = DateTimeOffset.UtcNow;
        var outcome = await PortalProcess.RunAsync(environment, "totp");
        var after = DateTimeOffset.UtcNow;

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains(DemoAuthenticator.AdminEmail, outcome.Output, StringComparison.Ordinal);
        Assert.True(outcome.Output.StartsWith(Totp.Code(DemoAuthenticator.AdminKey, before), StringComparison.Ordinal)
            || outcome.Output.StartsWith(Totp.Code(DemoAuthenticator.AdminKey, after), StringComparison.Ordinal), outcome.Output);
    }
}

/// <summary>Demo data seeded anywhere but Development gives the admin no known key: they set up their own authenticator app.</summary>
public sealed class DemoOutsideDevelopmentTests
{
    [Fact]
    public async Task Seeding_in_Production_leaves_the_demo_admin_without_an_authenticator_key()
    {
        await using var database = TestDatabase.FromEnvironment();
        await database.CreateAsync();
        var dataFolder = Directory.CreateTempSubdirectory("fp-demo-prod-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = database.Provider.ToString(),
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["Portal__DataFolder"] = dataFolder,
        };
        try
        {
            Assert.Equal(0, (await PortalProcess.RunAsync(environment, "migrate")).ExitCode);
            var seeded = await PortalProcess.RunAsync(environment, "seed-demo");
            Assert.True(seeded.ExitCode == 0, seeded.Error);
            Assert.DoesNotContain(DemoAuthenticator.AdminKey, seeded.Output, StringComparison.Ordinal);

            var options = new DbContextOptionsBuilder<AppDbContext>();
            Web.Infrastructure.Database.Configure(options, new DatabaseSettings(database.Provider, database.ConnectionString));
            await using var db = new AppDbContext(options.Options);
            var admin = await db.Users.SingleAsync(u => u.Email == DemoAuthenticator.AdminEmail);
            Assert.False(admin.TwoFactorEnabled);
            Assert.False(await db.UserTokens.AnyAsync(t => t.UserId == admin.Id));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataFolder, recursive: true);
        }
    }
}
