namespace FundingPortal.Core.Domain;

public enum ImportBatchStatus
{
    Running,
    Completed,
    Failed,
    RolledBack,
}

/// <summary>One imported file or API sync. The file's hash is unique, so the same file is never imported twice.</summary>
public class ImportBatch
{
    private readonly List<ImportRejection> _rejections = [];

    private ImportBatch()
    {
    }

    public int Id { get; private set; }

    public int? ProviderId { get; private set; }

    /// <summary>
    /// The import format's id (<c>GitHubActionsCsv</c>, …). A name, not an enum: the formats are the Web project's, and a new one
    /// is one file there, so the model does not list them.
    /// </summary>
    public string Format { get; private set; } = "";

    public string FileName { get; private set; } = "";

    public string FileSha256 { get; private set; } = "";

    public int RowsRead { get; private set; }

    public int RowsImported { get; private set; }

    public int RowsRejected { get; private set; }

    public ImportBatchStatus Status { get; private set; }

    public string? ImportedByUserId { get; private set; }

    public DateTime StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    /// <summary>Rows whose job was already stored by an earlier batch (overlapping exports): counted, not stored again.</summary>
    public int RowsAlreadyStored { get; private set; }

    /// <summary>Rows that are not build minutes (storage, gigabyte-hours): counted and left out of the usage records.</summary>
    public int RowsNotMinutes { get; private set; }

    /// <summary>Why a failed batch imported nothing (wrong format, missing column, unreadable file).</summary>
    public string? FailureReason { get; private set; }

    public IReadOnlyList<ImportRejection> Rejections => _rejections;

    public static ImportBatch Start(int? providerId, string format, string fileName, string sha256, string? userId, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        return new ImportBatch
        {
            ProviderId = providerId,
            Format = format,
            FileName = fileName,
            FileSha256 = sha256,
            ImportedByUserId = userId,
            StartedAt = now,
            Status = ImportBatchStatus.Running,
        };
    }

    /// <summary>Completes an import whose rejections were written straight to the database (so a huge file's list is never held in memory).</summary>
    public void Complete(int rowsRead, int rowsImported, int rowsRejected, int rowsAlreadyStored, int rowsNotMinutes, DateTime now)
    {
        if (Status != ImportBatchStatus.Running)
        {
            throw new InvalidOperationException($"A {Status} batch cannot complete.");
        }
        RowsRead = rowsRead;
        RowsImported = rowsImported;
        RowsRejected = rowsRejected;
        RowsAlreadyStored = rowsAlreadyStored;
        RowsNotMinutes = rowsNotMinutes;
        Status = ImportBatchStatus.Completed;
        FinishedAt = now;
    }

    /// <summary>A batch that imported nothing, kept so the person who uploaded the file can read why.</summary>
    public void Fail(string reason, int rowsRead, DateTime now)
    {
        if (Status != ImportBatchStatus.Running)
        {
            throw new InvalidOperationException($"A {Status} batch cannot fail.");
        }
        FailureReason = reason.Length > 1000 ? reason[..1000] : reason;
        RowsRead = rowsRead;
        RowsImported = 0;
        Status = ImportBatchStatus.Failed;
        FinishedAt = now;
    }

    public void RollBack(DateTime now)
    {
        if (Status != ImportBatchStatus.Completed)
        {
            throw new InvalidOperationException($"Only a completed batch can be rolled back; this one is {Status}.");
        }
        Status = ImportBatchStatus.RolledBack;
        FinishedAt = now;
    }
}
