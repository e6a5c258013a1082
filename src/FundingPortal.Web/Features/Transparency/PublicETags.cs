using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FundingPortal.Web.Features.Transparency;

/// <summary>Public answers carry a strong ETag, so a client that already holds the figures gets a 304 and no body.</summary>
public static class PublicETags
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>JSON with a strong ETag of its bytes; a matching If-None-Match is answered with 304 and no body.</summary>
    public static IResult With<T>(HttpContext context, T value) =>
        With(context, JsonSerializer.SerializeToUtf8Bytes(value, Json), "application/json; charset=utf-8");

    public static IResult With(HttpContext context, string text, string contentType) =>
        With(context, System.Text.Encoding.UTF8.GetBytes(text), contentType);

    public static IResult With(HttpContext context, byte[] body, string contentType, string? fileName = null) =>
        Mark(context, $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"")
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(body, contentType, fileName);

    /// <summary>Sets the ETag and cache headers; true when the request's If-None-Match already names it (answer 304, no body).</summary>
    public static bool Mark(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "public, max-age=60";
        return context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"));
    }
}
