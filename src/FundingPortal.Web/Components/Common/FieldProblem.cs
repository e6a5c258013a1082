namespace FundingPortal.Web.Components.Common;

/// <summary>
/// Holds the last problem a handler reported so a form can show it on the field it names (or at the top); a problem that carries
/// others (<see cref="Problem.Others"/>) shows each on its own field, all at once.
/// </summary>
public sealed class FieldProblem
{
    public Problem? Current { get; private set; }

    public bool Has(string field) => For(field) is not null;

    public string? For(string field) =>
        Current?.All.FirstOrDefault(p => string.Equals(p.Field, field, StringComparison.OrdinalIgnoreCase))?.Message;

    /// <summary>The problems not tied to a field on this form, for an alert above it; null when there are none.</summary>
    public string? General(params string[] formFields)
    {
        var general = Current?.All.Where(p => !formFields.Contains(p.Field, StringComparer.OrdinalIgnoreCase)).Select(p => p.Message).ToList();
        return general is { Count: > 0 } ? string.Join(" ", general) : null;
    }

    public void Set(Problem? problem) => Current = problem;

    public void Clear() => Current = null;
}
