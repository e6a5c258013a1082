namespace FundingPortal.Core.Domain;

/// <summary>
/// Collects what is wrong with a form's fields so the person sees every problem at once, each on its field, instead of one per submit.
/// A check that depends on another field (an amount in a currency) asks <see cref="Failed"/> for that field first and is skipped when
/// it already failed.
/// </summary>
public sealed class FieldChecks
{
    private readonly List<Problem> problems = [];

    /// <summary>Records <paramref name="message"/> on <paramref name="field"/> unless <paramref name="ok"/>; returns <paramref name="ok"/>.</summary>
    public bool Require(bool ok, string field, string message)
    {
        if (!ok)
        {
            Add(field, message);
        }
        return ok;
    }

    public void Add(string field, string message) => Add(new Problem(ProblemKind.Invalid, field, message));

    /// <summary>A problem a step reported (its others too); one per field, the first found wins.</summary>
    public void Add(Problem problem)
    {
        foreach (var one in problem.All)
        {
            if (!Failed(one.Field))
            {
                problems.Add(one with { Others = [] });
            }
        }
    }

    /// <summary>The value of a step that can fail, or default with its problem recorded.</summary>
    public T? Take<T>(Result<T> result)
    {
        if (!result.Succeeded)
        {
            Add(result.Problem!);
        }
        return result.Value;
    }

    public bool Failed(string field) => problems.Any(p => string.Equals(p.Field, field, StringComparison.OrdinalIgnoreCase));

    public bool Passed => problems.Count == 0;

    /// <summary>Every problem found, as one: the first, carrying the rest as its <see cref="Problem.Others"/>; null when all passed.</summary>
    public Problem? Problem => problems.Count == 0 ? null : problems[0] with { Others = problems[1..] };
}
