using System.Net;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Administration;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests;

[Collection(PortalTests.Name)]
public class AccountTests(PortalFactory portal)
{
    [Fact]
    public async Task Passwords_shorter_than_twelve_characters_are_refused()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"short-{Guid.NewGuid():N}@example.com";

        var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email }, "elevenchars");

        Assert.Contains(result.Errors, e => e.Code == "PasswordTooShort");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await portal.CreateUserAsync();
        var client = portal.NewBrowserlikeClient();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await SignIn.PostLoginAsync(client, user.Email, "not-the-password!");
            Assert.Contains("Invalid login attempt", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var fifth = await SignIn.PostLoginAsync(client, user.Email, "not-the-password!");
        var right = await SignIn.PostLoginAsync(client, user.Email, user.Password);

        Assert.Contains("Account/Lockout", fifth.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Account/Lockout", right.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_address()
    {
        using var limited = portal.WithWebHostBuilder(builder => builder.UseSetting("Portal:SignInAttemptsPerMinute", "3"));
        var client = limited.CreateClient(new() { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            statuses.Add((await SignIn.PostLoginAsync(client, "nobody@example.com", "not-the-password!")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
    }

    [Fact]
    public async Task An_unconfirmed_account_cannot_sign_in()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.CreateAsync(new ApplicationUser { UserName = "unconfirmed@example.com", Email = "unconfirmed@example.com" }, PortalFactory.Password);
        }

        var response = await SignIn.PostLoginAsync(portal.NewBrowserlikeClient(), "unconfirmed@example.com", PortalFactory.Password);

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Admin_pages_need_the_admin_role_and_a_second_factor()
    {
        var admin = await portal.CreateUserAsync(Roles.Admin, "Ada Admin");
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);

        var asReviewer = await SignIn.FollowAsync(await SignIn.AsAsync(portal, reviewer), "/admin/users");
        Assert.Contains("Access denied", asReviewer, StringComparison.Ordinal);
        Assert.DoesNotContain("two-factor", asReviewer, StringComparison.Ordinal);

        var refused = await SignIn.FollowAsync(await SignIn.AsAsync(portal, admin), "/admin/users");
        Assert.Contains("Admin pages need two-factor authentication", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(reviewer.Email, refused, StringComparison.Ordinal);

        var key = await portal.EnableAuthenticatorAsync(admin);
        var withSecondFactor = await SignIn.WithSecondFactorAsync(portal, admin, key);
        var page = await withSecondFactor.GetStringAsync("/admin/users");
        Assert.Contains("Users and roles", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Access denied", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_up_an_authenticator_shows_a_qr_code_for_the_portal()
    {
        var user = await portal.CreateUserAsync();

        var page = await (await SignIn.AsAsync(portal, user)).GetStringAsync("/Account/Manage/EnableAuthenticator");

        Assert.Contains("id=\"authenticator-qr\" src=\"data:image/png;base64,", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Granting_and_taking_away_a_role_is_audited_and_an_admin_cannot_demote_themselves()
    {
        var admin = await portal.CreateAdminAsync();
        var person = await portal.CreateUserAsync();

        var granted = await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(person.Id, Roles.Reviewer, grant: true, admin.Id));
        var revoked = await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(person.Id, Roles.Reviewer, grant: false, admin.Id));
        var self = await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(admin.Id, Roles.Admin, grant: false, admin.Id));
        var bogus = await portal.WithScopeAsync<ManageRoles, Result<string>>(r => r.SetRoleAsync(person.Id, "Owner", grant: true, admin.Id));

        Assert.True(granted.Succeeded && revoked.Succeeded);
        Assert.Equal(ProblemKind.Conflict, self.Problem!.Kind);
        Assert.Equal("role", bogus.Problem!.Field);
        await using var db = portal.NewDbContext();
        var actions = await db.AuditEvents.Where(a => a.EntityId == person.Id && a.Action.StartsWith("user.role")).OrderBy(a => a.Id).Select(a => new { a.Action, a.UserId }).ToListAsync();
        Assert.Equal([new { Action = "user.role-granted", UserId = (string?)admin.Id }, new { Action = "user.role-revoked", UserId = (string?)admin.Id }], actions);
    }

    [Fact]
    public async Task Changing_a_setting_is_validated_and_audited_with_before_and_after()
    {
        var admin = await portal.CreateAdminAsync();

        var bad = await portal.WithScopeAsync<PortalSettings, Result<string>>(s => s.ChangeAsync("GracePeriodDays", "-1", admin.Id));
        var good = await portal.WithScopeAsync<PortalSettings, Result<string>>(s => s.ChangeAsync("GracePeriodDays", "45", admin.Id));
        var all = (await portal.WithScopeAsync<PortalSettings, Result<IReadOnlyList<SettingRow>>>(s => s.AllAsync(admin.Id))).Value!;

        Assert.Equal("GracePeriodDays", bad.Problem!.Field);
        Assert.True(good.Succeeded);
        Assert.Equal("45", all.Single(r => r.Definition.Key == "GracePeriodDays").Value);
        await using var db = portal.NewDbContext();
        var audit = await db.AuditEvents.Where(a => a.Action == "setting.changed" && a.UserId == admin.Id).SingleAsync();
        Assert.Contains("45", audit.After, StringComparison.Ordinal);
        Assert.NotNull(audit.Before);
    }

}
