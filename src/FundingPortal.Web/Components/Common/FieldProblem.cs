namespace FundingPortal.Web.Components.Common;

/// <summary>Holds the last problem a handler reported so a form can show it on the field it names (or at the top).</summary>
public sealed class FieldProblem
{
    public Problem? Current { get; private set; }

    public bool Has(string field) => string.Equals(Current?.Field, field, StringComparison.OrdinalIgnoreCase);

    public string? For(string field) => Has(field) ? Current!.Message : null;

    /// <summary>A problem not tied to a field on this form, for an alert above it.</summary>
    public string? General(params string[] formFields) =>
        Current is { } problem && !formFields.Contains(problem.Field, StringComparer.OrdinalIgnoreCase) ? problem.Message : null;

    public void Set(Problem? problem) => Current = problem;

    public void Clear() => Current = null;
}
