using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Diagnostics;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// A request whose query, route or header value cannot be read as the parameter it binds to (<c>?provider=GitHub%20Actions</c> where
/// an id was expected) answers problem+json naming the parameter and saying what it expects, instead of a bare 400. Minimal APIs
/// throw <see cref="BadHttpRequestException"/> for these (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>); this reads it.
/// </summary>
public sealed partial class BadRequestProblems : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var (field, message) = Describe(bad.Message);
        await ProblemResults.Invalid(field, message, bad.StatusCode).ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The parameter and a sentence for it, from ASP.NET Core's binding messages ("Failed to bind parameter \"int? provider\" from \"x\".").</summary>
    public static (string Field, string Message) Describe(string message)
    {
        if (BindFailure().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            return (name, $"The parameter '{name}' cannot be '{failed.Groups["value"].Value}': it expects {Expected(failed.Groups["type"].Value)}.");
        }
        if (Missing().Match(message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return (name, $"The parameter '{name}' is required: send {Expected(missing.Groups["type"].Value)}.");
        }
        return ("", message);
    }

    private static string Expected(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "decimal" or "double" => "a number such as 12.5",
        "bool" or "Boolean" => "true or false",
        "DateOnly" or "DateTime" => "a date as yyyy-MM-dd",
        "Guid" => "an id such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        _ => "a value of type " + type,
    };

    [GeneratedRegex("""Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "(?<type>\S+) (?<name>\w+)" was not provided""")]
    private static partial Regex Missing();
}
