namespace FundingPortal.Core.Domain;

/// <summary>
/// Why an expected failure happened: a field and a sentence a person can act on. A form's check reports every field it finds wrong at
/// once: the first is the problem itself, the rest are <see cref="Others"/> (see <see cref="FieldChecks"/>).
/// </summary>
public sealed record Problem(ProblemKind Kind, string Field, string Message)
{
    /// <summary>Further problems of the same check, each on its own field; empty for a single problem.</summary>
    public IReadOnlyList<Problem> Others { get; init; } = [];

    /// <summary>This problem and its others, in the order the form shows its fields.</summary>
    public IEnumerable<Problem> All => [this, .. Others];
}

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

    /// <summary>A problem is a failed result of any type, so a handler passes one on with <c>return result.Problem!;</c>.</summary>
    public static implicit operator Result<T>(Problem problem) => From(problem);

    /// <summary>The value transformed when this succeeded; the same problem otherwise.</summary>
    public Result<TOut> Map<TOut>(Func<T, TOut> map) => Succeeded ? Result<TOut>.Ok(map(Value!)) : Problem!;

    /// <summary>The next step's result when this succeeded; the first problem otherwise.</summary>
    public Result<TOut> Bind<TOut>(Func<T, Result<TOut>> next) => Succeeded ? next(Value!) : Problem!;

    public async Task<Result<TOut>> BindAsync<TOut>(Func<T, Task<Result<TOut>>> next) => Succeeded ? await next(Value!) : Problem!;

    /// <summary>One answer for either outcome, e.g. an HTTP result.</summary>
    public TOut Match<TOut>(Func<T, TOut> succeeded, Func<Problem, TOut> failed) => Succeeded ? succeeded(Value!) : failed(Problem!);
}
