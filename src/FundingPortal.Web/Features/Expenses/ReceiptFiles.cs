namespace FundingPortal.Web.Features.Expenses;

/// <summary>
/// Receipts on disk, under the data folder (never under wwwroot, so they are only served through the reviewers' endpoint). A file is
/// recognised by its first bytes, not by the name it came with.
/// </summary>
public sealed class ReceiptFiles(IConfiguration configuration, IHostEnvironment environment)
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public const string Folder = "receipts";

    public const string Accept = ".pdf,.png,.jpg,.jpeg";

    private static readonly (byte[] Magic, string ContentType, string Extension)[] Kinds =
    [
        ("%PDF-"u8.ToArray(), "application/pdf", ".pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png", ".png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg", ".jpg"),
    ];

    /// <summary>What kind of receipt these bytes are (content type and extension), or null when they are not a PDF, PNG or JPEG.</summary>
    public static (string ContentType, string Extension)? Recognise(ReadOnlySpan<byte> content)
    {
        foreach (var (magic, contentType, extension) in Kinds)
        {
            if (content.StartsWith(magic))
            {
                return (contentType, extension);
            }
        }
        return null;
    }

    /// <summary>Writes the receipt and returns its path relative to the data folder ("receipts/&lt;guid&gt;.pdf").</summary>
    public async Task<string> SaveAsync(ReadOnlyMemory<byte> content, string extension, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(DataFolderPath, Folder);
        Directory.CreateDirectory(folder);
        var relative = $"{Folder}/{Guid.NewGuid():N}{extension}";
        await File.WriteAllBytesAsync(Path.Combine(DataFolderPath, relative), content, cancellationToken);
        return relative;
    }

    public void Delete(string relativePath)
    {
        if (FullPath(relativePath) is { } path)
        {
            File.Delete(path);
        }
    }

    /// <summary>The file behind a stored path, only if it lies inside the receipts folder.</summary>
    public string? FullPath(string? relativePath)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            return null;
        }
        var receipts = Path.GetFullPath(Path.Combine(DataFolderPath, Folder)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(DataFolderPath, relativePath));
        return full.StartsWith(receipts, StringComparison.Ordinal) ? full : null;
    }

    private string DataFolderPath => Infrastructure.DataFolder.Resolve(configuration, environment);
}
