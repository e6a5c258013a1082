namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// An admin takes a batch back out: its roll-up subtracted, its records deleted, the batch kept as RolledBack with an audit event,
/// all in one transaction. The same file can then be imported again.
/// </summary>
public sealed class RollBackImport(Handlers handlers)
{
    public Task<Result<int>> RollBackAsync(int batchId, string userId, CancellationToken cancellationToken = default) =>
        handlers.RunAsync(userId, new(Caller.Admin, "Only admins (with two-factor sign-in) can roll an import back."), async scope =>
        {
            var db = scope.Db;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.ImportBatches.FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
            if (batch is null)
            {
                return Result<int>.NotFound($"Import batch #{batchId}");
            }
            if (batch.Status != ImportBatchStatus.Completed)
            {
                return Result<int>.Conflict($"Batch #{batchId} is {batch.Status}; only a completed batch can be rolled back.");
            }
            // The roll-up is subtracted while the records still exist: it is computed from them.
            await CiUsageRollup.SubtractBatchAsync(db, batchId, cancellationToken);
            var removed = await db.CiUsageRecords.Where(r => r.BatchId == batchId).ExecuteDeleteAsync(cancellationToken);
            var now = scope.Now;
            batch.RollBack(now);
            db.Audit("ci-import.rolled-back", nameof(ImportBatch), batchId.ToString(System.Globalization.CultureInfo.InvariantCulture), userId, now,
                before: new { Status = ImportBatchStatus.Completed.ToString(), batch.FileName, batch.FileSha256, Records = removed },
                after: new { Status = batch.Status.ToString() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(removed);
        }, cancellationToken);
}
