using System.Security.Claims;

using FundingPortal.Core.Domain;
using FundingPortal.Web.Infrastructure;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FundingPortal.Web.Features.CiUsage;

public static class CiUsageModule
{
    /// <summary>The largest upload accepted, on the page and the API: a 200 MB export with room to spare.</summary>
    public const long MaxUploadBytes = 256L * 1024 * 1024;

    public static IHostApplicationBuilder AddCiUsage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ImportCiUsage>();
        builder.Services.AddScoped<ImportReports>();
        builder.Services.AddScoped<RollBackImport>();
        return builder;
    }

    public static WebApplication MapCiUsageEndpoints(this WebApplication app)
    {
        app.MapPost("/api/ci-usage/imports", ImportAsync)
            .RequireAuthorization(Policies.ApiToken)
            .DisableAntiforgery()
            .WithTags("CI usage")
            .WithSummary("Import a CI usage export (multipart field 'file'); answers with the batch report.")
            .WithDescription($"format: auto (default) or one of {string.Join(", ", CiImportFormats.Names)}. provider: optional CI provider id.");
        return app;
    }

    /// <summary>
    /// Streams the multipart upload to a temporary file (never into memory), imports it, and answers with the batch report:
    /// 200 when imported, 422 with the report when the file could not be imported, 409 when the same file was imported already.
    /// </summary>
    private static async Task<Results<Ok<ImportReport>, UnprocessableEntity<ImportReport>, ProblemHttpResult>> ImportAsync(
        HttpContext http, ClaimsPrincipal user, ImportCiUsage import, string? format, int? provider, CancellationToken cancellationToken)
    {
        if (!CiImportFormats.TryParseName(format, out var chosen))
        {
            return Problem(StatusCodes.Status400BadRequest, "format", $"Unknown format '{format}'. Use auto or one of: {string.Join(", ", CiImportFormats.Names)}.");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxUploadBytes + (1 << 20);
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problem(StatusCodes.Status400BadRequest, "file", "Send the export as multipart/form-data with the file in a field named 'file'.");
        }

        var temp = Path.Combine(Path.GetTempPath(), $"fp-ci-import-{Guid.NewGuid():N}.upload");
        try
        {
            string? fileName = null;
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = MaxUploadBytes };
            try
            {
                while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition() && fileName is null)
                    {
                        fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload";
                        await using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.SequentialScan);
                        await section.Body.CopyToAsync(target, cancellationToken);
                        if (target.Length > MaxUploadBytes)
                        {
                            return Problem(StatusCodes.Status413PayloadTooLarge, "file", $"The file is larger than {MaxUploadBytes / (1 << 20)} MB.");
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
            {
                return Problem(StatusCodes.Status400BadRequest, "file", $"The upload could not be read: {exception.Message}");
            }
            if (fileName is null)
            {
                return Problem(StatusCodes.Status400BadRequest, "file", "No file was sent: put the export in a multipart field named 'file'.");
            }

            var result = await import.ImportAsync(new ImportRequest(temp, fileName, chosen, provider), user.RequiredUserId(), null, cancellationToken);
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
            File.Delete(temp);
        }
    }

    private static ProblemHttpResult Problem(int status, string field, string message) =>
        TypedResults.Problem(message, statusCode: status, extensions: new Dictionary<string, object?> { ["field"] = field });
}
