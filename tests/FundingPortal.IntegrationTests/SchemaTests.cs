using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace FundingPortal.IntegrationTests;

[Collection(PortalTests.Name)]
public class SchemaTests(PortalFactory portal)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=unused.db")]
    [InlineData(DatabaseProvider.Postgres, "Host=unused;Database=unused")]
    public void Each_providers_migrations_cover_the_whole_model(DatabaseProvider provider, string connectionString)
    {
        // The app's services take part: Identity reads its store options from them when it builds the model.
        var options = new DbContextOptionsBuilder<AppDbContext>().UseApplicationServiceProvider(portal.Services);
        Database.Configure(options, new DatabaseSettings(provider, connectionString));
        using var db = new AppDbContext(options.Options);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes the {provider} migrations lack: run dotnet ef migrations add for migrations/FundingPortal.Migrations.{provider}.");
    }

    [Fact]
    public async Task The_test_database_is_fully_migrated()
    {
        await using var db = portal.NewDbContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(portal.Database.Provider == DatabaseProvider.Postgres, db.Database.IsNpgsql());
    }

    [Fact]
    public async Task The_roll_up_triggers_classify_as_the_rollup_rules_say()
    {
        await using var db = portal.NewDbContext();
        var sql = db.Database.IsNpgsql()
            ? "SELECT string_agg(prosrc, ' ') AS \"Value\" FROM pg_proc WHERE proname LIKE '%roll_up%'"
            : "SELECT group_concat(sql, ' ') AS \"Value\" FROM sqlite_master WHERE type = 'trigger'";
        var triggers = await db.Database.SqlQueryRaw<string>(sql).SingleAsync();

        // Changing a list in RollupRules without a migration that recreates the triggers fails here.
        Assert.Contains($"IN {RollupRules.Sql(RollupRules.SponsorMoney)}", triggers, StringComparison.Ordinal);
        Assert.Contains($"NOT IN {RollupRules.Sql(RollupRules.OutsideHonouredRate)}", triggers, StringComparison.Ordinal);
        Assert.Contains($"IN {RollupRules.Sql(RollupRules.DeliveredTime)}", triggers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_reviewers_changing_the_same_pledge_the_second_is_told()
    {
        var pledgeId = await NewPledgeAsync();
        await using var first = portal.NewDbContext();
        await using var second = portal.NewDbContext();
        var mine = await first.Pledges.SingleAsync(p => p.Id == pledgeId);
        var theirs = await second.Pledges.SingleAsync(p => p.Id == pledgeId);

        mine.Accept("reviewer-1", "Welcome", DateTime.UtcNow);
        await first.SaveChangesAsync();
        theirs.Decline("reviewer-2", "No thanks", DateTime.UtcNow);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = portal.NewDbContext();
        var stored = await check.Pledges.Include(p => p.Installments).SingleAsync(p => p.Id == pledgeId);
        Assert.Equal(PledgeStatus.Active, stored.Status);
        Assert.Equal(3, stored.Installments.Count);
    }

    [Fact]
    public async Task Ledger_entries_are_append_only()
    {
        await using var db = portal.NewDbContext();
        var fund = await db.Funds.FirstAsync(f => f.Kind == FundKind.Central);
        var now = DateTime.UtcNow;
        var entry = LedgerEntry.Book(new LedgerPosting(fund.Id, LedgerEntryKind.Contribution, new Money(1_000, "USD"), new Money(1_000, "USD"), 1m, "Gift", now, now, null));
        db.LedgerEntries.Add(entry);
        await db.SaveChangesAsync();

        db.LedgerEntries.Remove(entry);
        Assert.Throws<InvalidOperationException>(() => db.SaveChanges());

        db.ChangeTracker.Clear();
        db.LedgerEntries.Add(entry.Reverse("Entered by mistake", null, now));
        await db.SaveChangesAsync();
        Assert.Equal(0, await db.LedgerEntries.Where(e => e.Id == entry.Id || e.ReversesEntryId == entry.Id).SumAsync(e => e.AmountMinor));
    }

    [Fact]
    public async Task Times_come_back_as_utc()
    {
        var pledgeId = await NewPledgeAsync();
        await using var db = portal.NewDbContext();

        var pledge = await db.Pledges.AsNoTracking().SingleAsync(p => p.Id == pledgeId);

        Assert.Equal(DateTimeKind.Utc, pledge.SubmittedAt.Kind);
    }

    private async Task<int> NewPledgeAsync()
    {
        var owner = await portal.CreateUserAsync();
        await using var db = portal.NewDbContext();
        var organisation = Organisation.Create(new OrganisationProfile("Pledger", $"pledger-{Guid.NewGuid():N}"[..20], null, null, "b@pledger.example", PublicListing.ByName), owner.Id, DateTime.UtcNow);
        db.Organisations.Add(organisation);
        var fund = await db.Funds.FirstAsync(f => f.Kind == FundKind.Central);
        await db.SaveChangesAsync();
        var pledge = Pledge.SubmitMoney(organisation.Id, fund.Id, new Money(25_000, "USD"),
            PledgeSchedule.Create(PledgeFrequency.Monthly, new DateOnly(2026, 1, 1), null, 3).Value!, PaymentMethod.Invoice, PaymentTiming.Now, owner.Id, DateTime.UtcNow);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();
        return pledge.Id;
    }
}
