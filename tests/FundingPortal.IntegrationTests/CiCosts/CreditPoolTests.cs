using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.CiCosts;

using static FundingPortal.IntegrationTests.Infrastructure.Given;

namespace FundingPortal.IntegrationTests.CiCosts;

[Collection(PortalTests.Name)]
public class CreditPoolTests(PortalFactory portal)
{
    [Fact]
    public async Task Pools_are_drawn_oldest_first_and_forecast_from_the_last_30_days()
    {
        var p = await portal.Given().CiProviderAsync(CiProviderKind.CircleCi);
        // January burns 600 credits (two runs), February 600 (one run on the 15th): only the February run is within 30 days of 20 February.
        await portal.Given().CiImportAsync(p,
            CiRun(p, "app", "build", new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), 600, 10m, 0, 0, credits: 250m),
            CiRun(p, "app", "build", new DateTime(2026, 1, 20, 12, 0, 0, DateTimeKind.Utc), 600, 10m, 0, 0, credits: 350m),
            CiRun(p, "app", "build", new DateTime(2026, 2, 15, 0, 0, 0, DateTimeKind.Utc), 600, 10m, 0, 0, credits: 600m));
        await using (var db = portal.NewDbContext())
        {
            db.CreditPools.AddRange(
                CreditPool.Open(p, "Bought", 1000, null, new DateOnly(2026, 1, 1), null).Value!,
                CreditPool.Open(p, "Donated", 500, null, new DateOnly(2026, 2, 10), new DateOnly(2026, 12, 31)).Value!,
                CreditPool.Open(p, "Next year", 100, null, new DateOnly(2027, 1, 1), null).Value!);
            await db.SaveChangesAsync();
        }
        await using var read = portal.NewDbContext();

        var pools = await CreditPoolForecast.AllAsync(read, new DateOnly(2026, 2, 20), p);

        // Bought takes January's 600 and 400 of February; Donated the other 200. Burn: 600 / 30 = 20 a day, so Donated's 300 last 15 days.
        Assert.Equal(
            [("Bought", 1000m, 0m, true, (DateOnly?)null), ("Donated", 200m, 300m, false, new DateOnly(2026, 3, 7)), ("Next year", 0m, 100m, false, null)],
            pools.Select(x => (x.Name, x.Used, x.Remaining, x.Exhausted, x.RunsOutOn)));
        Assert.All(pools, x => Assert.Equal((CreditUnit.Credits, 20m), (x.Unit, x.BurnPerDay)));
    }

    [Fact]
    public async Task Pools_of_minute_based_providers_count_quota_minutes_and_may_expire_before_running_out()
    {
        var p = await portal.Given().CiProviderAsync(CiProviderKind.GitHubActions);
        await portal.Given().CiImportAsync(p, CiRun(p, "app", "build", new DateTime(2026, 2, 15, 0, 0, 0, DateTimeKind.Utc), 600, 15m, 0, 0));
        await using (var db = portal.NewDbContext())
        {
            db.CreditPools.Add(CreditPool.Open(p, "Sponsored minutes", 10_000, null, new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30)).Value!);
            await db.SaveChangesAsync();
        }
        await using var read = portal.NewDbContext();

        var pool = Assert.Single(await CreditPoolForecast.AllAsync(read, new DateOnly(2026, 2, 20), p));

        // 15 raw minutes are 30 quota minutes (the arrangement doubles them): 1 a day, far beyond the pool's end in June.
        Assert.Equal((CreditUnit.QuotaMinutes, 30m, 9_970m, 1m, true), (pool.Unit, pool.Used, pool.Remaining, pool.BurnPerDay, pool.ExpiresFirst));
    }

    [Fact]
    public async Task An_admin_links_a_pool_only_to_an_accepted_infrastructure_pledge()
    {
        var admin = await portal.CreateAdminAsync();
        var p = await portal.Given().CiProviderAsync(CiProviderKind.CircleCi);

        var bought = await portal.WithScopeAsync<ManagePriceBook, Result<int>>(book => book.OpenCreditPoolAsync(p,
            new CreditPoolInput { Name = "Bought credits", Credits = "500,000", StartsOn = new DateTime(2026, 1, 1) }, admin.Id));
        var noPledge = await portal.WithScopeAsync<ManagePriceBook, Result<int>>(book => book.OpenCreditPoolAsync(p,
            new CreditPoolInput { Name = "Ghost", Credits = "10", PledgeId = int.MaxValue, StartsOn = new DateTime(2026, 1, 1) }, admin.Id));
        var backwards = await portal.WithScopeAsync<ManagePriceBook, Result<int>>(book => book.OpenCreditPoolAsync(p,
            new CreditPoolInput { Name = "Odd", Credits = "10", StartsOn = new DateTime(2026, 2, 1), ExpiresOn = new DateTime(2026, 1, 1) }, admin.Id));
        var empty = await portal.WithScopeAsync<ManagePriceBook, Result<int>>(book => book.OpenCreditPoolAsync(p,
            new CreditPoolInput { Name = "Empty", Credits = "0", StartsOn = new DateTime(2026, 2, 1) }, admin.Id));

        Assert.True(bought.Succeeded, bought.Problem?.Message);
        Assert.Equal("PledgeId", noPledge.Problem?.Field);
        Assert.Equal("ExpiresOn", backwards.Problem?.Field);
        Assert.Equal("Credits", empty.Problem?.Field);
    }
}
