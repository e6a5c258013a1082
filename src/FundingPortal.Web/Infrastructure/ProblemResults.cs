using Microsoft.AspNetCore.Http.HttpResults;

namespace FundingPortal.Web.Infrastructure;

/// <summary>
/// The one mapping from an expected failure to HTTP: a problem+json answer whose status says the kind, whose <c>field</c> names the
/// input and whose <c>errors</c> lists every field found wrong (field → messages), as ASP.NET Core's validation problems do.
/// </summary>
public static class ProblemResults
{
    public static int StatusCode(this ProblemKind kind) => kind switch
    {
        ProblemKind.NotFound => StatusCodes.Status404NotFound,
        ProblemKind.Conflict => StatusCodes.Status409Conflict,
        ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult ToHttpResult(this Problem problem) => ToHttpResult(problem, problem.Kind.StatusCode());

    /// <summary>An input the request itself got wrong (before any handler ran), with the status that says how: 400, or 413 for a body too large.</summary>
    public static ProblemHttpResult Invalid(string field, string message, int statusCode = StatusCodes.Status400BadRequest) =>
        ToHttpResult(new Problem(ProblemKind.Invalid, field, message), statusCode);

    private static ProblemHttpResult ToHttpResult(Problem problem, int statusCode)
    {
        var extensions = new Dictionary<string, object?> { ["field"] = problem.Field };
        if (problem.Kind == ProblemKind.Invalid)
        {
            extensions["errors"] = problem.All.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
        }
        return TypedResults.Problem(problem.Message, statusCode: statusCode, extensions: extensions);
    }

    /// <summary>The success answer when the result succeeded; the problem as problem+json otherwise.</summary>
    public static IResult ToHttpResult<T>(this Result<T> result, Func<T, IResult> succeeded) =>
        result.Match(succeeded, problem => problem.ToHttpResult());
}
