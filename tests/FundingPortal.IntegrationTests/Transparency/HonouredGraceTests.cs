using System.Text.Json;
using System.Text.RegularExpressions;

using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Fulfilment;
using FundingPortal.Web.Features.Pledges;

namespace FundingPortal.IntegrationTests.Transparency;

/// <summary>
/// An installment counts towards an honoured rate only once its due date plus the grace period is past: a sponsor on its first day
/// has nothing due yet on the public page, in the JSON, on its dashboard and on its pledge's page, and is counted after the grace days.
/// </summary>
[Collection(PortalTests.Name)]
public sealed partial class HonouredGraceTests(PortalFactory portal)
{
    [Fact]
    public async Task A_pledge_due_today_has_nothing_due_yet_everywhere_and_counts_once_its_grace_period_is_over()
    {
        int grace;
        await using (var db = portal.NewDbContext())
        {
            grace = await HonouredRates.GraceDaysAsync(db);
        }
        var newcomer = await SponsorWithUnpaidPledgeAsync("Day One", Given.Today);
        var inGrace = await SponsorWithUnpaidPledgeAsync("In Grace", Given.Today.AddDays(-grace));
        var late = await SponsorWithUnpaidPledgeAsync("Past Grace", Given.Today.AddDays(-grace - 1));
        var client = portal.CreateClient();

        using var summary = JsonDocument.Parse(await client.GetStringAsync("/api/public/summary"));
        Assert.Equal(grace, summary.RootElement.GetProperty("honouredGraceDays").GetInt32());
        using var sponsors = JsonDocument.Parse(await client.GetStringAsync("/api/public/sponsors"));
        JsonElement Rate(string name) => sponsors.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == name).GetProperty("honouredRate");
        Assert.Equal(JsonValueKind.Null, Rate(newcomer.Name).ValueKind);
        Assert.Equal(JsonValueKind.Null, Rate(inGrace.Name).ValueKind);
        Assert.Equal(0m, Rate(late.Name).GetDecimal());

        var page = await client.GetStringAsync("/transparency");
        Assert.Equal("nothing due yet", HonouredCell(page, newcomer.Name));
        Assert.Equal("nothing due yet", HonouredCell(page, inGrace.Name));
        Assert.Equal("0%", HonouredCell(page, late.Name));

        foreach (var (sponsor, expected) in new[] { (newcomer, "nothing due yet"), (inGrace, "nothing due yet"), (late, "0%") })
        {
            var dashboard = (await portal.WithScopeAsync<GetPledges, Result<SponsorDashboard>>(
                h => h.DashboardAsync(sponsor.Arrange.OrganisationId, sponsor.Arrange.Sponsor.Id))).Value!;
            Assert.Equal(expected, dashboard.HonouredRate);
            Assert.Equal(expected, dashboard.Pledges.Single(p => p.Id == sponsor.PledgeId).HonouredRate);
            var pledge = (await portal.WithScopeAsync<GetPledges, Result<PledgeView>>(
                h => h.ForSponsorAsync(sponsor.Arrange.OrganisationId, sponsor.PledgeId, sponsor.Arrange.Sponsor.Id))).Value!;
            Assert.Equal(expected, pledge.HonouredRate);
        }
    }

    private sealed record Arranged(Sponsorship Arrange, string Name, int PledgeId);

    /// <summary>A sponsor that gave 50.00 (so it is listed publicly) and has a monthly pledge first due on <paramref name="firstDue"/>, unpaid.</summary>
    private async Task<Arranged> SponsorWithUnpaidPledgeAsync(string prefix, DateOnly firstDue)
    {
        var name = $"{prefix} {Guid.NewGuid():N}"[..24];
        var arrange = await portal.Given().SponsorshipAsync(name);
        await portal.Given().LedgerEntryAsync(arrange.FundId, LedgerEntryKind.Contribution, 5_000, DateTime.UtcNow.AddDays(-1), arrange.OrganisationId);
        var pledge = await arrange.MoneyAsync(10_000, "USD", Given.Monthly(firstDue, 3));
        return new Arranged(arrange, name, pledge.Id);
    }

    /// <summary>The "Honoured" cell (the last) of the sponsor's row in the public page's sponsors table.</summary>
    private static string HonouredCell(string page, string sponsor)
    {
        var table = TableRegex().Match(page).Value;
        var row = RowRegex().Matches(table).Single(r => r.Value.Contains($">{sponsor}</td>", StringComparison.Ordinal)).Value;
        return CellRegex().Matches(row)[^1].Groups[1].Value.Trim();
    }

    [GeneratedRegex("""<table[^>]*id="sponsors".*?</table>""", RegexOptions.Singleline)]
    private static partial Regex TableRegex();

    [GeneratedRegex("<tr.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowRegex();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellRegex();
}
