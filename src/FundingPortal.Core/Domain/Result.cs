namespace FundingPortal.Core.Domain;

/// <summary>Why an expected failure happened: a field and a sentence a person can act on.</summary>
public sealed record Problem(ProblemKind Kind, string Field, string Message);

public enum ProblemKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>
/// The outcome of an operation that can fail in ways a user should be told about (validation, not found, conflict).
/// Exceptions stay for bugs.
/// </summary>
public sealed class Result<T>
{
    private Result(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public Problem? Problem { get; }

    public bool Succeeded => Problem is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Invalid(string field, string message) => new(default, new Problem(ProblemKind.Invalid, field, message));

    public static Result<T> NotFound(string what) => new(default, new Problem(ProblemKind.NotFound, "", $"{what} was not found."));

    public static Result<T> Conflict(string message) => new(default, new Problem(ProblemKind.Conflict, "", message));

    public static Result<T> Forbidden(string message) => new(default, new Problem(ProblemKind.Forbidden, "", message));

    public static Result<T> From(Problem problem) => new(default, problem);
}
