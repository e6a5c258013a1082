namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// An upload streamed to a temporary file, never into memory, for the length of one import (the page and the API both import
/// from disk). The file is deleted when this is disposed.
/// </summary>
public sealed class UploadToTempFile : IAsyncDisposable
{
    /// <summary>The largest upload accepted, on the page and the API: a 200 MB export with room to spare.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private UploadToTempFile(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>Bytes copied so far.</summary>
    public long Length { get; private set; }

    /// <summary>Copies <paramref name="source"/> to a new temporary file, telling <paramref name="copied"/> the bytes so far after each block.</summary>
    public static async Task<UploadToTempFile> CopyAsync(Stream source, Action<long>? copied, CancellationToken cancellationToken)
    {
        var upload = new UploadToTempFile(Path.Combine(Path.GetTempPath(), $"fp-ci-import-{Guid.NewGuid():N}.upload"));
        try
        {
            await using var target = new FileStream(upload.FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                upload.Length += read;
                copied?.Invoke(upload.Length);
            }
            return upload;
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(FilePath);
        return ValueTask.CompletedTask;
    }
}
