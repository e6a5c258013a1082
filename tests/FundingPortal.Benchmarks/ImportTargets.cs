using FundingPortal.Core.Data;
using FundingPortal.Core.Domain;
using FundingPortal.Web.Features.CiUsage;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FundingPortal.Benchmarks;

/// <summary>
/// One database engine the import benchmark runs on: a migrated template (providers, list prices, a reviewer) copied for every
/// import, so each import starts from the same empty database; optionally a second template already holding N records of other
/// batches; and the engine's own baselines of the rows an import stored.
/// </summary>
internal interface IImportTarget : IAsyncDisposable
{
    DatabaseProvider Provider { get; }

    /// <summary>Migrates the empty template and returns the id of the reviewer who imports.</summary>
    Task<string> PrepareTemplateAsync();

    /// <summary>Fills a copy of the template with <paramref name="records"/> records of other (completed) batches, rolled up.</summary>
    Task<FillReport> FillTemplateAsync(long records);

    /// <summary>A fresh copy of the empty or the filled template; its connection string.</summary>
    Task<string> NewDatabaseAsync(bool filled);

    Task DropAsync(string connectionString);

    /// <summary>Writes by another connection while the import runs (SQLite's one write lock); null where writers do not wait.</summary>
    SqliteWriteProbe? StartProbe(string connectionString);

    /// <summary>The engine's own ways of storing exactly the rows batch <paramref name="batchId"/> stored, each timed.</summary>
    Task<IReadOnlyList<Baseline>> BaselinesAsync(string connectionString, int batchId);
}

/// <summary>How long filling the template took: the records themselves, and their roll-up.</summary>
internal sealed record FillReport(long Records, TimeSpan Insert, TimeSpan Rollup, string Method);

/// <summary>A baseline's figure: rows it stored and how long it took.</summary>
internal sealed record Baseline(string Name, long Rows, double Seconds)
{
    public double RowsPerSecond => Rows / Seconds;
}

/// <summary>What one import through the real handler measured.</summary>
internal sealed record ImportRun(DatabaseProvider Provider, string Format, int FileRows, long Existing, double FileMegabytes, int RowsRead, int RowsImported,
    double Seconds, long PeakMegabytes, ProbeReport? Probe, IReadOnlyList<Baseline> Baselines)
{
    public double RowsPerSecond => RowsRead / Seconds;

    public string Database => Provider == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite";
}

/// <summary>An <see cref="IDbContextFactory{TContext}"/> over fixed settings, as the portal's own factory would build.</summary>
internal sealed class BenchContexts(DatabaseSettings settings) : IDbContextFactory<AppDbContext>
{
    private readonly DbContextOptions<AppDbContext> _options = Build(settings);

    public DatabaseSettings Settings => settings;

    public AppDbContext CreateDbContext() => new(_options);

    /// <summary>The schema, the seeded list prices and a reviewer to import as.</summary>
    public async Task<string> PrepareAsync()
    {
        await using var db = CreateDbContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.MigrateAsync();
        await CiListPrices.EnsureAsync(db);
        var role = new IdentityRole(Roles.Reviewer) { NormalizedName = Roles.Reviewer.ToUpperInvariant() };
        var user = new ApplicationUser { UserName = "bench@example.com", Email = "bench@example.com", DisplayName = "Benchmark" };
        db.Roles.Add(role);
        db.Users.Add(user);
        db.UserRoles.Add(new IdentityUserRole<string> { RoleId = role.Id, UserId = user.Id });
        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Completed batches for the records of a filled template, one per million records, and the provider ids to spread them over.</summary>
    public async Task<(List<int> Batches, List<int> Providers)> FillBatchesAsync(long records, string userId)
    {
        await using var db = CreateDbContext();
        var providers = await db.CiProviders.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
        var batches = new List<ImportBatch>();
        for (long n = 0; n < records; n += FillRecordsPerBatch)
        {
            var batch = ImportBatch.Start(null, GenericCsv.Instance.Id, $"existing-{batches.Count}.csv", Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), userId,
                DateTime.UtcNow);
            var count = (int)Math.Min(FillRecordsPerBatch, records - n);
            batch.Complete(count, count, rowsRejected: 0, rowsAlreadyStored: 0, rowsNotMinutes: 0, DateTime.UtcNow);
            batches.Add(batch);
        }
        db.ImportBatches.AddRange(batches);
        await db.SaveChangesAsync();
        return ([.. batches.Select(b => b.Id)], providers);
    }

    /// <summary>Adds the filled batches to the monthly roll-up, as a completed import would have.</summary>
    public async Task RollUpAsync(IEnumerable<int> batches)
    {
        await using var db = CreateDbContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        foreach (var batch in batches)
        {
            await CiUsageRollup.AddBatchAsync(db, batch);
        }
    }

    public const long FillRecordsPerBatch = 1_000_000;

    private static DbContextOptions<AppDbContext> Build(DatabaseSettings settings)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        Database.Configure(options, settings);
        return options.Options;
    }
}
