using System.Security.Claims;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>The import over the API (<c>POST /api/ci-usage/imports</c>): a multipart upload, imported from a temporary file.</summary>
internal static class ImportCiUsageEndpoint
{
    /// <summary>
    /// Streams the multipart upload to a temporary file (never into memory), imports it, and answers with the batch report:
    /// 200 when imported, 422 with the report when the file could not be imported, 409 when the same file was imported already.
    /// </summary>
    public static async Task<Results<Ok<ImportReport>, UnprocessableEntity<ImportReport>, ProblemHttpResult>> ImportAsync(
        HttpContext http, ClaimsPrincipal user, ImportCiUsage import, IDbContextFactory<AppDbContext> contexts, string? format, string? provider,
        CancellationToken cancellationToken)
    {
        if (!CiImportFormats.TryParseName(format, out var chosen))
        {
            return ProblemResults.Invalid("format", $"Unknown format '{format}'. Use auto or one of: {string.Join(", ", CiImportFormats.Names)}.");
        }
        int? providerId = null;
        if (!string.IsNullOrWhiteSpace(provider))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var providers = await db.CiProviders.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
            var named = providers.FirstOrDefault(p => p.Id.ToString(CultureInfo.InvariantCulture) == provider.Trim())
                ?? providers.FirstOrDefault(p => string.Equals(p.Name, provider.Trim(), StringComparison.OrdinalIgnoreCase));
            if (named is null)
            {
                return ProblemResults.Invalid("provider", $"No CI provider '{provider}'. Give a provider's id or name: "
                    + string.Join(", ", providers.Select(p => $"{p.Id} ({p.Name})")) + ".");
            }
            providerId = named.Id;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = UploadToTempFile.MaxBytes + (1 << 20);
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return ProblemResults.Invalid("file", "Send the export as multipart/form-data with the file in a field named 'file'.");
        }

        UploadToTempFile? upload = null;
        try
        {
            string? fileName = null;
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = UploadToTempFile.MaxBytes };
            try
            {
                while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition() && fileName is null)
                    {
                        fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload";
                        upload = await UploadToTempFile.CopyAsync(section.Body, copied: null, cancellationToken);
                        if (upload.Length > UploadToTempFile.MaxBytes)
                        {
                            return ProblemResults.Invalid("file", $"The file is larger than {UploadToTempFile.MaxBytes / (1 << 20)} MB.", StatusCodes.Status413PayloadTooLarge);
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
            {
                return ProblemResults.Invalid("file", $"The upload could not be read: {exception.Message}");
            }
            if (fileName is null || upload is null)
            {
                return ProblemResults.Invalid("file", "No file was sent: put the export in a multipart field named 'file'.");
            }

            var result = await import.ImportAsync(new ImportRequest(upload.FilePath, fileName, chosen, providerId), user.RequiredUserId(), null, cancellationToken);
            return result.Problem switch
            {
                null when result.Value!.Status == nameof(ImportBatchStatus.Failed) => TypedResults.UnprocessableEntity(result.Value),
                null => TypedResults.Ok(result.Value!),
                var problem => problem.ToHttpResult(),
            };
        }
        finally
        {
            if (upload is not null)
            {
                await upload.DisposeAsync();
            }
        }
    }
}
