using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.Tasks;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>Arranging devops data for a test: tasks made through the handler, money put on a fund, admins with a second factor.</summary>
public static class Devops
{
    /// <summary>An id as the audit trail stores it.</summary>
    public static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string UniqueSlug(string prefix = "task") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static TaskInput NewTaskInput(string ownerUserId, string? slug = null, string title = "Windows build under 90 minutes") => new()
    {
        Title = title,
        Slug = slug ?? UniqueSlug(),
        Description = "Split the **test suite**.",
        MoneyGoal = "5000",
        Currency = "USD",
        HoursGoal = "40",
        IssueUrl = "https://gitlab.example/ghc/issues/1",
        OwnerUserId = ownerUserId,
    };

    /// <summary>Proposes a task as <paramref name="reviewer"/> and returns its id and its fund's id.</summary>
    public static async Task<(int TaskId, int FundId)> ProposeTaskAsync(this PortalFactory portal, TestUser reviewer, string title = "Windows build under 90 minutes")
    {
        var result = await portal.WithScopeAsync<SaveTask, Result<int>>(save => save.ProposeAsync(NewTaskInput(reviewer.Id, title: title), reviewer.Id));
        Assert.True(result.Succeeded, result.Problem?.Message);
        await using var db = portal.NewDbContext();
        var fundId = await db.Funds.Where(f => f.TaskId == result.Value).Select(f => f.Id).SingleAsync();
        return (result.Value, fundId);
    }

    /// <summary>Books money into a fund as a contribution (in USD, the test portal's base currency) and returns the entry's id.</summary>
    public static Task<long> ContributeAsync(this PortalFactory portal, int fundId, long minorUnits, string description = "Test contribution") =>
        portal.Given().LedgerEntryAsync(fundId, LedgerEntryKind.Contribution, minorUnits, DateTime.UtcNow, description: description);

    public static async Task<long> BalanceAsync(this PortalFactory portal, int fundId)
    {
        await using var db = portal.NewDbContext();
        return await db.LedgerEntries.Where(e => e.FundId == fundId).SumAsync(e => e.AmountMinor);
    }

    /// <summary>Sets up an authenticator for the person (a new key, two-factor on) and returns the key, for signing in with a code.</summary>
    public static async Task<string> EnableAuthenticatorAsync(this PortalFactory portal, TestUser user)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var account = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(account);
        await users.SetTwoFactorEnabledAsync(account, true);
        return (await users.GetAuthenticatorKeyAsync(account))!;
    }

    /// <summary>An admin who has set up two-factor authentication, as the portal requires of admins.</summary>
    public static async Task<TestUser> CreateAdminAsync(this PortalFactory portal)
    {
        var admin = await portal.CreateUserAsync(Roles.Admin, "Ada Admin");
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(admin.Id);
        await users.SetTwoFactorEnabledAsync(user!, true);
        return admin;
    }
}
