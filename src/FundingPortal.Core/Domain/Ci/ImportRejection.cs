namespace FundingPortal.Core.Domain;

public class ImportRejection
{
    internal ImportRejection(int line, string reason)
    {
        Line = line;
        Reason = reason;
    }

    public long Id { get; private set; }

    public int BatchId { get; private set; }

    public int Line { get; private set; }

    /// <summary>A rejection written on its own, outside the batch's list (imports stream them to the database in chunks).</summary>
    public static ImportRejection For(int batchId, int line, string reason) =>
        new(line, reason.Length > 1000 ? reason[..1000] : reason) { BatchId = batchId };

    public string Reason { get; private set; }
}
