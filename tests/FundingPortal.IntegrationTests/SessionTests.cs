using System.Net;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Administration;
using FundingPortal.Web.Infrastructure.Sessions;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

/// <summary>Roles that count at once and sessions that really end: what an old or copied cookie can still do (nothing).</summary>
[Collection(PortalTests.Name)]
public class SessionTests(PortalFactory portal)
{
    [Fact]
    public async Task A_demoted_admins_open_session_can_do_nothing_admin_only()
    {
        var (admin, key) = await AdminWithAuthenticatorAsync();
        var other = await portal.CreateAdminAsync();
        var client = await SignIn.WithSecondFactorAsync(portal, admin, key);
        Assert.Contains("Users and roles", await client.GetStringAsync("/admin/users"), StringComparison.Ordinal);

        var demoted = await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(admin.Id, Roles.Admin, grant: false, other.Id));
        Assert.True(demoted.Succeeded, demoted.Problem?.Message);

        foreach (var page in new[] { "/admin/users", "/admin/api-tokens", "/admin/settings", "/admin/audit" })
        {
            var response = await client.GetAsync(page);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        // And the handlers, read from the database at the moment of use, refuse the demoted person whatever their cookie says.
        var regrant = await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(admin.Id, Roles.Admin, grant: true, admin.Id));
        var token = await portal.WithScopeAsync<ManageApiTokens, Result<string>>(t => t.CreateAsync(admin.Email, "sneaky", admin.Id));
        var settings = await portal.WithScopeAsync<PortalSettings, Result<string>>(s => s.ChangeAsync("GracePeriodDays", "90", admin.Id));
        Assert.Equal((ProblemKind.Forbidden, ProblemKind.Forbidden, ProblemKind.Forbidden), (regrant.Problem?.Kind, token.Problem?.Kind, settings.Problem?.Kind));
        await using var db = portal.NewDbContext();
        Assert.False(await db.UserSessions.AnyAsync(s => s.UserId == admin.Id));
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "user.role-granted" && a.EntityId == admin.Id && a.UserId == admin.Id));
    }

    [Fact]
    public async Task A_demoted_reviewers_open_session_sees_nothing_reviewer_only()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var admin = await portal.CreateAdminAsync();
        var client = await SignIn.AsAsync(portal, reviewer);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/audit")).StatusCode);

        await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(reviewer.Id, Roles.Reviewer, grant: false, admin.Id));

        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/admin/audit")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/devops")).StatusCode);
        var log = await portal.WithScopeAsync<AuditLog, Result<(IReadOnlyList<AuditRow> Rows, int Total)>>(l => l.PageAsync(null, 0, reviewer.Id));
        Assert.Equal(ProblemKind.Forbidden, log.Problem?.Kind);
    }

    [Fact]
    public async Task A_signed_out_cookie_is_refused_even_when_copied()
    {
        var user = await portal.CreateUserAsync();
        var client = portal.NewBrowserlikeClient();
        var login = await SignIn.PostLoginAsync(client, user.Email, user.Password);
        var cookie = AuthCookie(login);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(cookie).GetAsync("/Account/Manage")).StatusCode);

        var token = await SignIn.AntiforgeryTokenAsync(client, "/Account/Manage");
        var signedOut = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "",
        }));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var replayed = await WithCookie(cookie).GetAsync("/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Contains("/Account/Login", replayed.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_sees_their_sessions_and_ends_one_or_all_and_an_admin_can_end_them_too()
    {
        var user = await portal.CreateUserAsync();
        var admin = await portal.CreateAdminAsync();
        var laptop = await SignIn.AsAsync(portal, user);
        var phone = await SignIn.AsAsync(portal, user);
        var spare = await SignIn.AsAsync(portal, user);

        var page = await laptop.GetStringAsync("/Account/Manage/Sessions");
        Assert.Contains("(this browser)", page, StringComparison.Ordinal);
        await using (var db = portal.NewDbContext())
        {
            Assert.Equal(3, await db.UserSessions.CountAsync(s => s.UserId == user.Id));
        }
        var sessions = await portal.WithScopeAsync<UserSessions, IReadOnlyList<SessionRow>>(s => s.ListAsync(user.Id, null));
        var phoneSession = sessions.OrderBy(s => s.CreatedAt).ElementAt(1).Id;

        // Ending one's own session by id; someone else's id is not found.
        var stranger = await portal.CreateUserAsync();
        Assert.Equal(ProblemKind.NotFound, (await portal.WithScopeAsync<UserSessions, Result<bool>>(s => s.EndAsync(stranger.Id, phoneSession))).Problem?.Kind);
        Assert.True((await portal.WithScopeAsync<UserSessions, Result<bool>>(s => s.EndAsync(user.Id, phoneSession))).Succeeded);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/Account/Manage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/Account/Manage")).StatusCode);

        var ended = await portal.WithScopeAsync<ManageRoles, Result<int>>(r => r.EndSessionsAsync(user.Id, admin.Id));

        Assert.Equal(2, ended.Value);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/Account/Manage")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await spare.GetAsync("/Account/Manage")).StatusCode);
        var notAdmin = await portal.WithScopeAsync<ManageRoles, Result<int>>(r => r.EndSessionsAsync(admin.Id, user.Id));
        Assert.Equal(ProblemKind.Forbidden, notAdmin.Problem?.Kind);
    }

    [Fact]
    public async Task A_changed_password_ends_the_other_sessions_at_once()
    {
        var user = await portal.CreateUserAsync();
        var other = await SignIn.AsAsync(portal, user);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/Account/Manage")).StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var account = (await users.FindByIdAsync(user.Id))!;
            Assert.True((await users.ChangePasswordAsync(account, user.Password, "a-new-and-long-passphrase-2026")).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/Account/Manage")).StatusCode);
    }

    [Fact]
    public async Task Admin_powers_need_the_second_factor_everywhere()
    {
        var adminWithoutSecondFactor = await portal.CreateUserAsync(Roles.Admin);
        var client = await SignIn.AsAsync(portal, adminWithoutSecondFactor);

        var devops = await SignIn.FollowAsync(client, "/devops");
        var pledge = await portal.WithScopeAsync<Web.Features.Payments.RecordPayment, Result<int>>(h => h.RecordAsync(1, new(), adminWithoutSecondFactor.Id));
        var expense = await portal.WithScopeAsync<Web.Features.Fulfilment.PledgeFulfilment, Result<Web.Features.Fulfilment.PledgeFulfilmentView>>(
            h => h.GetAsync(1, adminWithoutSecondFactor.Id));

        Assert.Contains("Access denied", devops, StringComparison.Ordinal);
        Assert.Equal((ProblemKind.Forbidden, ProblemKind.Forbidden), (pledge.Problem?.Kind, expense.Problem?.Kind));
    }

    [Fact]
    public async Task A_machine_remembered_at_the_second_factor_counts_as_a_two_factor_sign_in()
    {
        var (admin, key) = await AdminWithAuthenticatorAsync();
        var client = portal.NewBrowserlikeClient();
        var response = await SignIn.PostLoginAsync(client, admin.Email, admin.Password);
        var path = new Uri(client.BaseAddress!, response.Headers.Location!).PathAndQuery;
        var token = await SignIn.AntiforgeryTokenAsync(client, path);
        var verified = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login-with-2fa",
            ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow),
            ["Input.RememberMachine"] = "true",
        }));
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        var logoutToken = await SignIn.AntiforgeryTokenAsync(client, "/Account/Manage");
        await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = logoutToken, ["returnUrl"] = "" }));

        var again = await SignIn.PostLoginAsync(client, admin.Email, admin.Password);

        Assert.DoesNotContain("LoginWith2fa", again.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        var page = await client.GetStringAsync("/admin/users");
        Assert.Contains("Users and roles", page, StringComparison.Ordinal);
    }

    private async Task<(TestUser User, string Key)> AdminWithAuthenticatorAsync()
    {
        var admin = await portal.CreateUserAsync(Roles.Admin, "Ada Admin");
        return (admin, await portal.EnableAuthenticatorAsync(admin));
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("FundingPortal.Auth=", StringComparison.Ordinal));

    private HttpClient WithCookie(string cookie)
    {
        var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}
