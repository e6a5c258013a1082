using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.IntegrationTests.Infrastructure;
using FundingPortal.Web.Features.Ledger;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FundingPortal.IntegrationTests.Ledger;

/// <summary>The ledger's monthly roll-ups, kept by a database trigger, against the entries they sum.</summary>
[Collection(PortalTests.Name)]
public class LedgerRollupTests(PortalFactory portal)
{
    private static readonly DateTime LastDayOfJanuary = new(2026, 1, 31, 23, 59, 59, DateTimeKind.Utc);

    private sealed record Books(int FundA, int FundB, int SponsorX, int SponsorY);

    [Fact]
    public async Task Every_kind_of_entry_lands_in_its_utc_month_and_the_sums_match_the_entries()
    {
        await using var db = portal.NewDbContext();
        var books = await ArrangeAsync(db);
        await BookEveryKindAsync(db, books);

        var months = await db.LedgerMonths.AsNoTracking().Where(m => m.FundId == books.FundA || m.FundId == books.FundB)
            .OrderBy(m => m.FundId).ThenBy(m => m.Month).ThenBy(m => m.Kind).ThenBy(m => m.OfKind).ToListAsync();
        Assert.Equal(
        [
            (books.FundA, new DateOnly(2026, 1, 1), LedgerEntryKind.Contribution, LedgerEntryKind.Contribution, 150_000L, 0L, 2L),
            (books.FundA, new DateOnly(2026, 1, 1), LedgerEntryKind.Fee, LedgerEntryKind.Fee, 0L, 290L, 1L),
            (books.FundA, new DateOnly(2026, 2, 1), LedgerEntryKind.Contribution, LedgerEntryKind.Contribution, 40_000L, 0L, 1L),
            (books.FundA, new DateOnly(2026, 2, 1), LedgerEntryKind.Expense, LedgerEntryKind.Expense, 0L, 30_000L, 1L),
            (books.FundA, new DateOnly(2026, 2, 1), LedgerEntryKind.Refund, LedgerEntryKind.Refund, 0L, 5_000L, 1L),
            // March's reversals count where what they reverse counts: February, on the same side, netting it out.
            (books.FundA, new DateOnly(2026, 2, 1), LedgerEntryKind.Reversal, LedgerEntryKind.Contribution, -40_000L, 0L, 1L),
            (books.FundA, new DateOnly(2026, 2, 1), LedgerEntryKind.Reversal, LedgerEntryKind.Transfer, 0L, -20_000L, 1L),
            (books.FundA, new DateOnly(2026, 2, 1), LedgerEntryKind.Transfer, LedgerEntryKind.Transfer, 0L, 20_000L, 1L),
            (books.FundB, new DateOnly(2026, 2, 1), LedgerEntryKind.Reversal, LedgerEntryKind.Transfer, -20_000L, 0L, 1L),
            (books.FundB, new DateOnly(2026, 2, 1), LedgerEntryKind.Transfer, LedgerEntryKind.Transfer, 20_000L, 0L, 1L),
        ],
            months.Select(m => (m.FundId, m.Month, m.Kind, m.OfKind, m.InMinor, m.OutMinor, m.Entries)));

        var sponsors = await db.SponsorMonths.AsNoTracking().Where(m => m.OrganisationId == books.SponsorX || m.OrganisationId == books.SponsorY)
            .OrderBy(m => m.OrganisationId).ThenBy(m => m.Month).ToListAsync();
        // Contributions less refunds, net of their reversals (in the month reversed); fees and transfers are not a sponsor's giving.
        Assert.Equal(
            [(books.SponsorX, new DateOnly(2026, 1, 1), 100_000L, 1L), (books.SponsorX, new DateOnly(2026, 2, 1), -5_000L, 3L), (books.SponsorY, new DateOnly(2026, 1, 1), 50_000L, 1L)],
            sponsors.Select(m => (m.OrganisationId, m.Month, m.GivenMinor, m.Entries)));

        foreach (var fund in new[] { books.FundA, books.FundB })
        {
            var fromEntries = await db.LedgerEntries.Where(e => e.FundId == fund).SumAsync(e => e.AmountMinor);
            Assert.Equal(fromEntries, (await FundBalances.OfAsync(db, fund, "USD")).MinorUnits);
        }
        Assert.Equal(114_710, (await FundBalances.OfAsync(db, books.FundA, "USD")).MinorUnits);
        // A transfer and its reversal are never money in or out.
        var february = (await Web.Features.Transparency.PublicFigures.MonthlyFlowsAsync(db, CancellationToken.None)).Single(f => f.Month == new DateOnly(2026, 2, 1));
        Assert.True(february.InMinor >= 0 && february.OutMinor >= 35_000);
    }

    [Fact]
    public async Task Entries_booked_at_the_same_time_from_many_contexts_are_all_counted()
    {
        Books books;
        await using (var db = portal.NewDbContext())
        {
            books = await ArrangeAsync(db);
        }

        await Task.WhenAll(Enumerable.Range(1, 20).Select(async i =>
        {
            await using var db = portal.NewDbContext();
            db.LedgerEntries.Add(Entry(books.FundA, LedgerEntryKind.Contribution, i * 100, LastDayOfJanuary, books.SponsorX));
            await db.SaveChangesAsync();
        }));

        await using var check = portal.NewDbContext();
        var month = await check.LedgerMonths.AsNoTracking().SingleAsync(m => m.FundId == books.FundA);
        Assert.Equal((21_000L, 20L), (month.InMinor, month.Entries));
        var given = await check.SponsorMonths.AsNoTracking().SingleAsync(m => m.OrganisationId == books.SponsorX);
        Assert.Equal((21_000L, 20L), (given.GivenMinor, given.Entries));
    }

    [Fact]
    public async Task Migrating_a_database_that_already_has_entries_fills_the_roll_ups_from_them()
    {
        await using var database = TestDatabase.FromEnvironment();
        await database.CreateAsync();
        var options = new DbContextOptionsBuilder<AppDbContext>();
        FundingPortal.Web.Infrastructure.Database.Configure(options, new FundingPortal.Web.Infrastructure.DatabaseSettings(database.Provider, database.ConnectionString));
        await using var db = new AppDbContext(options.Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("CardPaymentsCiCostsPublicPage");
        var books = await ArrangeAsync(db);
        await BookEveryKindAsync(db, books);
        var userId = await db.Users.Select(u => u.Id).SingleAsync();
        // Three monthly installments of 100.00 from January 2026: the first paid, so one honoured in full and two owed.
        var pledge = Pledge.SubmitMoney(books.SponsorX, books.FundA, new Money(10_000, "USD"), new PledgeSchedule(PledgeFrequency.Monthly, new DateOnly(2026, 1, 5), null, 3),
            PaymentMethod.Invoice, PaymentTiming.Now, userId, DateTime.UtcNow);
        Assert.True(pledge.Accept(userId, "Thanks", DateTime.UtcNow).Succeeded);
        Assert.True(pledge.Installments[0].RecordReceived(new Money(10_000, "USD")).Succeeded);
        db.Pledges.Add(pledge);
        await db.SaveChangesAsync();

        await migrator.MigrateAsync();

        var months = await db.LedgerMonths.AsNoTracking().ToListAsync();
        var expected = await db.LedgerEntries.AsNoTracking().ToListAsync();
        Assert.Equal(10, months.Count);
        Assert.Equal(expected.Where(e => e.FundId == books.FundA).Sum(e => e.AmountMinor), months.Where(m => m.FundId == books.FundA).Sum(m => m.InMinor - m.OutMinor));
        Assert.Equal(expected.Count, months.Sum(m => m.Entries));
        Assert.Equal(-40_000L, months.Single(m => m is { Kind: LedgerEntryKind.Reversal, OfKind: LedgerEntryKind.Contribution }).InMinor);
        Assert.Equal(145_000L, await db.SponsorMonths.SumAsync(m => m.GivenMinor));
        var totals = await db.InstallmentTotals.AsNoTracking().ToListAsync();
        Assert.Equal([(InstallmentStatus.Fulfilled, 1L, 0L), (InstallmentStatus.Scheduled, 2L, 20_000L)],
            totals.OrderBy(t => t.Status.ToString()).Select(t => (t.Status, t.Installments, t.OutstandingMinor)));
        Assert.Equal([(new DateOnly(2026, 1, 1), 1L, 1.0), (new DateOnly(2026, 2, 1), 1L, 0.0), (new DateOnly(2026, 3, 1), 1L, 0.0)],
            (await db.HonouredMonths.AsNoTracking().OrderBy(m => m.Month).ToListAsync()).Select(m => (m.Month, m.Installments, m.ShareSum)));

        // And the trigger the migration created keeps them from then on.
        db.LedgerEntries.Add(Entry(books.FundB, LedgerEntryKind.Contribution, 7_00, LastDayOfJanuary, books.SponsorY));
        await db.SaveChangesAsync();
        Assert.Equal(50_700L, await db.SponsorMonths.Where(m => m.OrganisationId == books.SponsorY).SumAsync(m => m.GivenMinor));
    }

    private static LedgerEntry Entry(int fund, LedgerEntryKind kind, long cents, DateTime at, int? organisation = null, Guid? transfer = null) =>
        LedgerEntry.Book(new LedgerPosting(fund, kind, new Money(cents, "USD"), new Money(cents, "USD"), 1m, $"Roll-up test {kind}", at, at, null, organisation,
            TransferId: transfer));

    private static async Task<Books> ArrangeAsync(AppDbContext db)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var user = new ApplicationUser { UserName = $"rollup-{tag}@example.com", Email = $"rollup-{tag}@example.com" };
        db.Users.Add(user);
        Organisation Org(string name) =>
            Organisation.Create(new OrganisationProfile($"{name} {tag}", $"rollup-{name.ToLowerInvariant()}-{tag}", null, null, $"{name}-{tag}@example.com", PublicListing.ByName), user.Id, now);
        var x = Org("X");
        var y = Org("Y");
        db.Organisations.AddRange(x, y);
        var a = DevopsTask.Propose($"Roll-up A {tag}", $"rollup-a-{tag}", "A", new Money(100_000, "USD"), Hours.FromHours(0), user.Id, now);
        var b = DevopsTask.Propose($"Roll-up B {tag}", $"rollup-b-{tag}", "B", new Money(100_000, "USD"), Hours.FromHours(0), user.Id, now);
        db.Tasks.AddRange(a, b);
        await db.SaveChangesAsync();
        var funds = await db.Funds.Where(f => f.TaskId == a.Id || f.TaskId == b.Id).ToDictionaryAsync(f => f.TaskId!.Value, f => f.Id);
        return new Books(funds[a.Id], funds[b.Id], x.Id, y.Id);
    }

    /// <summary>January: X gives 1,000.00 (in the last second of the month, UTC), Y 500.00, a fee of 2.90. February: X gives 400.00, is refunded 50.00,
    /// 300.00 is spent and 200.00 moves to fund B. March: the 400.00 and the transfer are reversed.</summary>
    private static async Task BookEveryKindAsync(AppDbContext db, Books books)
    {
        var february = new DateTime(2026, 2, 10, 12, 0, 0, DateTimeKind.Utc);
        var march = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var transfer = Guid.NewGuid();
        var february40 = Entry(books.FundA, LedgerEntryKind.Contribution, 40_000, february, books.SponsorX);
        var transferOut = Entry(books.FundA, LedgerEntryKind.Transfer, -20_000, february, transfer: transfer);
        var transferIn = Entry(books.FundB, LedgerEntryKind.Transfer, 20_000, february, transfer: transfer);
        db.LedgerEntries.AddRange(
            Entry(books.FundA, LedgerEntryKind.Contribution, 100_000, LastDayOfJanuary, books.SponsorX),
            Entry(books.FundA, LedgerEntryKind.Contribution, 50_000, new DateTime(2026, 1, 3, 0, 0, 0, DateTimeKind.Utc), books.SponsorY),
            Entry(books.FundA, LedgerEntryKind.Fee, -290, new DateTime(2026, 1, 3, 0, 0, 0, DateTimeKind.Utc), books.SponsorY),
            february40,
            Entry(books.FundA, LedgerEntryKind.Refund, -5_000, february, books.SponsorX),
            Entry(books.FundA, LedgerEntryKind.Expense, -30_000, february),
            transferOut,
            transferIn);
        await db.SaveChangesAsync();
        db.LedgerEntries.AddRange(february40.Reverse("Bounced", null, march), transferOut.Reverse("Wrong fund", null, march), transferIn.Reverse("Wrong fund", null, march));
        await db.SaveChangesAsync();
    }
}
