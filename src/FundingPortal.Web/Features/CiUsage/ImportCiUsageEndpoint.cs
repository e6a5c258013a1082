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
        HttpContext http, ClaimsPrincipal user, ImportCiUsage import, string? format, int? provider, CancellationToken cancellationToken)
    {
        if (!CiImportFormats.TryParseName(format, out var chosen))
        {
            return Problem(StatusCodes.Status400BadRequest, "format", $"Unknown format '{format}'. Use auto or one of: {string.Join(", ", CiImportFormats.Names)}.");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = UploadToTempFile.MaxBytes + (1 << 20);
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problem(StatusCodes.Status400BadRequest, "file", "Send the export as multipart/form-data with the file in a field named 'file'.");
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
                            return Problem(StatusCodes.Status413PayloadTooLarge, "file", $"The file is larger than {UploadToTempFile.MaxBytes / (1 << 20)} MB.");
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
            {
                return Problem(StatusCodes.Status400BadRequest, "file", $"The upload could not be read: {exception.Message}");
            }
            if (fileName is null || upload is null)
            {
                return Problem(StatusCodes.Status400BadRequest, "file", "No file was sent: put the export in a multipart field named 'file'.");
            }

            var result = await import.ImportAsync(new ImportRequest(upload.FilePath, fileName, chosen, provider), user.RequiredUserId(), null, cancellationToken);
            return result.Problem switch
            {
                null when result.Value!.Status == nameof(ImportBatchStatus.Failed) => TypedResults.UnprocessableEntity(result.Value),
                null => TypedResults.Ok(result.Value!),
                { Kind: ProblemKind.Forbidden } problem => Problem(StatusCodes.Status403Forbidden, problem.Field, problem.Message),
                { Kind: ProblemKind.Conflict } problem => Problem(StatusCodes.Status409Conflict, problem.Field, problem.Message),
                { Kind: ProblemKind.NotFound } problem => Problem(StatusCodes.Status404NotFound, problem.Field, problem.Message),
                var problem => Problem(StatusCodes.Status400BadRequest, problem.Field, problem.Message),
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

    private static ProblemHttpResult Problem(int status, string field, string message) =>
        TypedResults.Problem(message, statusCode: status, extensions: new Dictionary<string, object?> { ["field"] = field });
}
