using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Ledger;

namespace FundingPortal.IntegrationTests.Ledger;

/// <summary>The funds page reads the ledger a page at a time from the database, newest first, in an order that never shuffles between pages.</summary>
[Collection(PortalTests.Name)]
public class LedgerPagingTests(PortalFactory portal)
{
    [Fact]
    public async Task A_long_ledger_is_read_fifty_entries_a_page_newest_first_with_ties_broken_by_id_and_the_total_counted()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var (_, fundId) = await portal.ProposeTaskAsync(reviewer, "Paged fund");
        var start = new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc);
        var booked = new List<(long Id, DateTime At)>();
        for (var i = 0; i < 120; i++)
        {
            // Pairs of entries share a moment, so the order must fall back to the id to stay the same from page to page.
            var at = start.AddHours(i / 2);
            booked.Add((await portal.Given().LedgerEntryAsync(fundId, LedgerEntryKind.Contribution, 100 + i, at, description: $"Contribution {i}"), at));
        }

        var pages = new List<LedgerPage>();
        for (var page = 0; page < 3; page++)
        {
            var result = await portal.WithScopeAsync<LedgerBook, Result<LedgerPage>>(b => b.PageAsync(reviewer.Id, fundId, page));
            Assert.True(result.Succeeded, result.Problem?.Message);
            pages.Add(result.Value!);
        }

        Assert.All(pages, p => Assert.Equal((120, LedgerBook.PageSize), (p.Total, p.PageSize)));
        Assert.Equal([50, 50, 20], pages.Select(p => p.Rows.Count));
        var expected = booked.OrderByDescending(b => b.At).ThenByDescending(b => b.Id).Select(b => b.Id);
        Assert.Equal(expected, pages.SelectMany(p => p.Rows).Select(r => r.Id));
    }

    [Fact]
    public async Task Only_reviewers_read_the_ledger()
    {
        var sponsor = await portal.CreateUserAsync();

        var result = await portal.WithScopeAsync<LedgerBook, Result<LedgerPage>>(b => b.PageAsync(sponsor.Id, null, 0));

        Assert.Equal(ProblemKind.Forbidden, result.Problem!.Kind);
    }
}
