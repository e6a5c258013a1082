using System.Text.RegularExpressions;

using FundingPortal.Web.Features.Organisations;

namespace FundingPortal.Web.Features.Tasks;

/// <summary>What a reviewer typed into the task form, validated into <see cref="TaskTerms"/> or a problem naming the field.</summary>
public sealed partial class TaskInput
{
    public const int DescriptionMaxLength = 20_000;

    public const int UrlMaxLength = 500;

    /// <summary>A year of one engineer's full-time work, ten times over: more than that is a typo.</summary>
    public const decimal MaxHoursGoal = 20_000m;

    public string Title { get; set; } = "";

    public string Slug { get; set; } = "";

    public string Description { get; set; } = "";

    public string MoneyGoal { get; set; } = "";

    public string Currency { get; set; } = "USD";

    public string HoursGoal { get; set; } = "0";

    public DateTime? DueDate { get; set; }

    public string? IssueUrl { get; set; }

    public string? OwnerUserId { get; set; }

    public static TaskInput From(DevopsTask task) => new()
    {
        Title = task.Title,
        Slug = task.Slug,
        Description = task.Description,
        MoneyGoal = task.MoneyGoal.ToMajor().ToString("0.##", CultureInfo.InvariantCulture),
        Currency = task.Currency,
        HoursGoal = task.HoursGoal.TotalHours.ToString("0.##", CultureInfo.InvariantCulture),
        DueDate = task.DueDate?.ToDateTime(TimeOnly.MinValue),
        IssueUrl = task.IssueUrl,
        OwnerUserId = task.OwnerUserId,
    };

    /// <summary>The task's terms, or every problem of the form at once, each on its field.</summary>
    public Result<TaskTerms> Validate()
    {
        var checks = new FieldChecks();
        var title = Title.Trim();
        checks.Require(title.Length > 0 && title.Length <= DevopsTask.TitleMaxLength, nameof(Title), $"Enter a title of at most {DevopsTask.TitleMaxLength} characters.");
        var slug = string.IsNullOrWhiteSpace(Slug) ? OrganisationInput.SuggestSlug(title) : Slug.Trim();
        checks.Require(SlugPattern().IsMatch(slug), nameof(Slug),
            $"Use 2 to {Organisation.SlugMaxLength} lowercase letters, digits and hyphens, starting with a letter or digit.");
        checks.Require(Description.Length <= DescriptionMaxLength, nameof(Description), $"Keep the description under {DescriptionMaxLength:#,0} characters.");
        var money = Money.ParsePositive(MoneyGoal, Currency);
        if (!money.Succeeded)
        {
            checks.Add(money.Problem!.Field == "currency" ? nameof(Currency) : nameof(MoneyGoal), "Money goal: " + money.Problem.Message);
        }
        var hoursRead = decimal.TryParse(string.IsNullOrWhiteSpace(HoursGoal) ? "0" : HoursGoal.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var hours);
        checks.Require(hoursRead && hours >= 0 && hours <= MaxHoursGoal && decimal.Round(hours, 2) == hours, nameof(HoursGoal),
            $"Enter the hours goal as a number from 0 to {MaxHoursGoal:#,0} (at most 2 decimals).");
        var url = string.IsNullOrWhiteSpace(IssueUrl) ? null : IssueUrl.Trim();
        checks.Require(url is null || (url.Length <= UrlMaxLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)),
            nameof(IssueUrl), "Enter the issue's full address starting with https:// or http:// (or leave it empty).");
        checks.Require(!string.IsNullOrWhiteSpace(OwnerUserId), nameof(OwnerUserId), "Choose the reviewer who owns the task.");
        if (checks.Problem is { } problem)
        {
            return problem;
        }
        return Result<TaskTerms>.Ok(new TaskTerms(title, slug, Description, money.Value, Hours.FromHours(hours),
            DueDate is { } due ? DateOnly.FromDateTime(due) : null, url, OwnerUserId!));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,59}$")]
    private static partial Regex SlugPattern();
}

/// <summary>A task's validated terms, as saved and audited.</summary>
public sealed record TaskTerms(string Title, string Slug, string Description, Money MoneyGoal, Hours HoursGoal, DateOnly? DueDate, string? IssueUrl,
    string OwnerUserId);
