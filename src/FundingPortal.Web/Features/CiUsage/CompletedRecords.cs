namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// The usage records a report may count. On SQLite an import commits its records in chunks under a Running batch (ADR 11), so
/// records of a batch that is not Completed are left out: no one sees half a file. PostgreSQL imports in one transaction, so no
/// such record is ever visible there and the query stays as it was.
/// </summary>
public static class CompletedRecords
{
    public static IQueryable<CiUsageRecord> CompletedCiUsageRecords(this AppDbContext db)
    {
        var records = db.CiUsageRecords.AsNoTracking();
        if (!db.Database.IsSqlite())
        {
            return records;
        }
        var unfinished = db.ImportBatches.Where(b => b.Status != ImportBatchStatus.Completed).Select(b => b.Id);
        return records.Where(r => !unfinished.Contains(r.BatchId));
    }
}
