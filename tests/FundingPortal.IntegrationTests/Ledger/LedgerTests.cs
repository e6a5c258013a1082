using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Ledger;

using Microsoft.EntityFrameworkCore;

using static FundingPortal.IntegrationTests.Infrastructure.Devops;

namespace FundingPortal.IntegrationTests.Ledger;

[Collection(PortalTests.Name)]
public class LedgerTests(PortalFactory portal)
{
    private Task<Result<Guid>> TransferAsync(TestUser user, int from, int to, string amount, string reason = "Rebalance for the Windows work") =>
        portal.WithScopeAsync<TransferBetweenFunds, Result<Guid>>(t =>
            t.TransferAsync(new TransferInput { FromFundId = from, ToFundId = to, Amount = amount, Reason = reason }, user.Id));

    private async Task<(int From, int To)> TwoFundsAsync(long fromBalance)
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var (_, from) = await portal.ProposeTaskAsync(reviewer, "Source task");
        var (_, to) = await portal.ProposeTaskAsync(reviewer, "Target task");
        await portal.ContributeAsync(from, fromBalance);
        return (from, to);
    }

    [Fact]
    public async Task An_admin_transfers_between_funds_as_two_legs_and_one_audit_event()
    {
        var admin = await portal.CreateAdminAsync();
        var (from, to) = await TwoFundsAsync(100_000);

        var result = await TransferAsync(admin, from, to, "250.25");

        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.Equal((100_000 - 25_025, 25_025), (await portal.BalanceAsync(from), await portal.BalanceAsync(to)));
        await using var db = portal.NewDbContext();
        var legs = await db.LedgerEntries.Where(e => e.TransferId == result.Value).ToListAsync();
        Assert.Equal(2, legs.Count);
        Assert.All(legs, l => Assert.Equal((LedgerEntryKind.Transfer, "Rebalance for the Windows work", admin.Id), (l.Kind, l.Description, l.RecordedByUserId)));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "fund.transfer" && a.After!.Contains(result.Value.ToString())));
    }

    [Theory]
    [InlineData("1000.01", nameof(TransferInput.Amount))]
    [InlineData("0", nameof(TransferInput.Amount))]
    [InlineData("-10", nameof(TransferInput.Amount))]
    [InlineData("1.001", nameof(TransferInput.Amount))]
    [InlineData("abc", nameof(TransferInput.Amount))]
    public async Task A_transfer_of_a_bad_amount_or_more_than_the_balance_is_refused_and_nothing_is_booked(string amount, string field)
    {
        var admin = await portal.CreateAdminAsync();
        var (from, to) = await TwoFundsAsync(100_000);

        var result = await TransferAsync(admin, from, to, amount);

        Assert.Equal((ProblemKind.Invalid, field), (result.Problem!.Kind, result.Problem.Field));
        Assert.Equal((100_000, 0), (await portal.BalanceAsync(from), await portal.BalanceAsync(to)));
    }

    [Fact]
    public async Task A_transfer_needs_a_reason_and_two_different_funds()
    {
        var admin = await portal.CreateAdminAsync();
        var (from, to) = await TwoFundsAsync(100_000);

        Assert.Equal(nameof(TransferInput.Reason), (await TransferAsync(admin, from, to, "10", "  ")).Problem!.Field);
        Assert.Equal(nameof(TransferInput.ToFundId), (await TransferAsync(admin, from, from, "10")).Problem!.Field);
        Assert.Equal(100_000, await portal.BalanceAsync(from));
    }

    [Fact]
    public async Task Reviewers_and_admins_without_a_second_factor_cannot_transfer_or_reverse()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var adminWithout2fa = await portal.CreateUserAsync(Roles.Admin);
        var sponsor = await portal.CreateUserAsync();
        var (from, to) = await TwoFundsAsync(100_000);
        var entry = await portal.ContributeAsync(from, 1_000);

        foreach (var user in new[] { reviewer, adminWithout2fa, sponsor })
        {
            Assert.Equal(ProblemKind.Forbidden, (await TransferAsync(user, from, to, "10")).Problem!.Kind);
            var reverse = await portal.WithScopeAsync<ReverseEntry, Result<IReadOnlyList<long>>>(r => r.ReverseAsync(entry, "mistake", user.Id));
            Assert.Equal(ProblemKind.Forbidden, reverse.Problem!.Kind);
        }
        Assert.Equal((101_000, 0), (await portal.BalanceAsync(from), await portal.BalanceAsync(to)));
    }

    [Fact]
    public async Task An_entry_is_reversed_once_and_a_reversal_cannot_be_reversed()
    {
        var admin = await portal.CreateAdminAsync();
        var (from, _) = await TwoFundsAsync(100_000);
        var entry = await portal.ContributeAsync(from, 30_000);
        Task<Result<IReadOnlyList<long>>> Reverse(long id, string? reason = "Booked twice") =>
            portal.WithScopeAsync<ReverseEntry, Result<IReadOnlyList<long>>>(r => r.ReverseAsync(id, reason, admin.Id));

        Assert.Equal("reason", (await Reverse(entry, " ")).Problem!.Field);
        var reversed = await Reverse(entry);
        var again = await Reverse(entry);
        var ofReversal = await Reverse(reversed.Value!.Single());

        Assert.True(reversed.Succeeded, reversed.Problem?.Message);
        Assert.Equal(ProblemKind.Conflict, again.Problem!.Kind);
        Assert.Equal(ProblemKind.Conflict, ofReversal.Problem!.Kind);
        Assert.Equal(100_000, await portal.BalanceAsync(from));
        await using var db = portal.NewDbContext();
        var reversal = await db.LedgerEntries.SingleAsync(e => e.ReversesEntryId == entry);
        Assert.Equal((LedgerEntryKind.Reversal, -30_000L, "Booked twice"), (reversal.Kind, reversal.AmountMinor, reversal.Description));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "ledger.reversed" && a.EntityId == Key(entry)));
    }

    [Fact]
    public async Task Reversing_one_leg_of_a_transfer_reverses_both()
    {
        var admin = await portal.CreateAdminAsync();
        var (from, to) = await TwoFundsAsync(100_000);
        var transfer = (await TransferAsync(admin, from, to, "100")).Value;
        await using var db = portal.NewDbContext();
        var inLeg = await db.LedgerEntries.Where(e => e.TransferId == transfer && e.FundId == to).Select(e => e.Id).SingleAsync();

        var reversed = await portal.WithScopeAsync<ReverseEntry, Result<IReadOnlyList<long>>>(r => r.ReverseAsync(inLeg, "Wrong fund", admin.Id));

        Assert.Equal(2, reversed.Value!.Count);
        Assert.Equal((100_000, 0), (await portal.BalanceAsync(from), await portal.BalanceAsync(to)));
    }

    [Fact]
    public async Task Reviewers_read_balances_and_the_ledger_newest_first_filtered_by_fund_and_sponsors_cannot()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        var sponsor = await portal.CreateUserAsync();
        var (from, _) = await TwoFundsAsync(100_000);
        await portal.ContributeAsync(from, 2_000, "Second gift");

        var balances = await portal.WithScopeAsync<LedgerBook, Result<IReadOnlyList<FundBalance>>>(b => b.BalancesAsync(reviewer.Id));
        var page = await portal.WithScopeAsync<LedgerBook, Result<LedgerPage>>(b => b.PageAsync(reviewer.Id, from, 0));

        Assert.Equal(new Money(102_000, "USD"), balances.Value!.Single(b => b.FundId == from).Balance);
        Assert.Equal(2, page.Value!.Total);
        Assert.Equal(["Second gift", "Test contribution"], page.Value.Rows.Select(r => r.Description));
        Assert.Equal("Source task", page.Value.Rows[0].Fund);
        Assert.Equal(ProblemKind.Forbidden, (await portal.WithScopeAsync<LedgerBook, Result<LedgerPage>>(b => b.PageAsync(sponsor.Id, null, 0))).Problem!.Kind);
        Assert.Equal(ProblemKind.Forbidden,
            (await portal.WithScopeAsync<LedgerBook, Result<IReadOnlyList<FundBalance>>>(b => b.BalancesAsync(sponsor.Id))).Problem!.Kind);
    }
}
