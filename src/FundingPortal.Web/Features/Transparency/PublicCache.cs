using System.Data.Common;
using System.Runtime.CompilerServices;

using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>
/// Evicts the public pages' output cache whenever a change to what they show is saved: any handler, import or seeder that saves
/// ledger entries, pledges, payments, time, tasks, organisations or CI data through EF refreshes the public page, without knowing it.
/// Inside an explicit transaction the eviction waits for the commit, so a request in between cannot cache the old figures again.
/// </summary>
public sealed class PublicCacheInvalidation(IOutputCacheStore store) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public const string Tag = "public";

    private static readonly HashSet<Type> Watched =
    [
        typeof(LedgerEntry), typeof(Fund), typeof(Pledge), typeof(Installment), typeof(Payment), typeof(Refund), typeof(TimeEntry),
        typeof(InKindDelivery), typeof(DevopsTask), typeof(TaskStatusChange), typeof(Organisation), typeof(CiUsageMonth), typeof(CiProvider),
        typeof(ImportBatch),
    ];

    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];

    private long _generation;

    /// <summary>
    /// Changes whenever the public data may have changed (each eviction), so it serves as the ETag of responses too large to
    /// hash, such as the streamed ledger CSV. Another instance or a restart has another value: a client then simply gets the body again.
    /// </summary>
    public string Version => $"{_instance}-{Interlocked.Read(ref _generation)}";

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        EvictUnlessInTransactionAsync(eventData.Context).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await EvictUnlessInTransactionAsync(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        EvictIfPendingAsync(eventData.Context).AsTask().GetAwaiter().GetResult();

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        await EvictIfPendingAsync(eventData.Context);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>For changes made outside EF's change tracking (bulk SQL): evicts at once.</summary>
    public ValueTask EvictAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _generation);
        return store.EvictByTagAsync(Tag, cancellationToken);
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries().Any(e => e.State is not (EntityState.Unchanged or EntityState.Detached)
                && Watched.Contains(e.Metadata.ClrType)))
        {
            _pending.AddOrUpdate(context, this);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private ValueTask EvictUnlessInTransactionAsync(DbContext? context) =>
        context?.Database.CurrentTransaction is null ? EvictIfPendingAsync(context) : ValueTask.CompletedTask;

    private ValueTask EvictIfPendingAsync(DbContext? context) =>
        context is not null && _pending.Remove(context) ? EvictAsync() : ValueTask.CompletedTask;
}
