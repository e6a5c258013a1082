namespace FundingPortal.Web.Components.Common;

/// <summary>
/// How pages and emails read date fields and show dates, rates, money and hours; kept in one place so every page and every email
/// says it the same way.
/// </summary>
public static class Display
{
    /// <summary>A date field (<c>input type=date</c> sends yyyy-MM-dd); null when empty or unreadable, which the handler reports on the field.</summary>
    public static DateTime? Date(string? text) =>
        DateTime.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static string Today(TimeProvider clock) => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Percent(decimal? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "nothing due yet";

    public static string Percent(double? rate) => Percent(rate is { } r ? (decimal?)Math.Round((decimal)r, 4) : null);

    /// <summary>Money in a sentence, a page's figures and every email: "1,250.00 USD", "500 JPY" — <see cref="Core.Domain.Money.ToString"/>, the one format.</summary>
    public static string Money(Money money) => money.ToString();

    public static string Money(long minor, string currency) => Money(new Money(minor, currency));

    /// <summary>
    /// An amount Stripe sent, as the books would show it ("60.00 USD", <see cref="Core.Domain.Money.ToString"/>), or its raw minor units
    /// when the currency is not one the portal knows (then it cannot be booked and a person looks at it).
    /// </summary>
    public static string StripeAmount(long minor, string currency) =>
        Currency.IsKnown(currency.ToUpperInvariant())
            ? new Money(minor, currency.ToUpperInvariant()).ToString()
            : $"{minor.ToString(CultureInfo.InvariantCulture)} {currency}";

    /// <summary>Hours in a sentence, a page's figures and every email: "2.5 h" — <see cref="Core.Domain.Hours.ToString"/>, the one format.</summary>
    public static string Hours(Hours hours) => hours.ToString();

    public static string Hours(long minutes) => Hours(new Hours(minutes));

    /// <summary>
    /// Any of the model's enum values in words, the one way every page, email and export shows them: "Partially fulfilled",
    /// "Bank transfer", "Engineer time", "CI credits", "GitHub Actions". Names of products and acronyms are spelled as their owners
    /// spell them; every other name is split at its capitals and read as a sentence.
    /// </summary>
    public static string Words(Enum value) => value switch
    {
        CiProviderKind.GitHubActions => "GitHub Actions",
        CiProviderKind.GitLabCi => "GitLab CI",
        CiProviderKind.CircleCi => "CircleCI",
        CiProviderKind.AppVeyor => "AppVeyor",
        CiProviderKind.SelfHosted => "Self-hosted",
        PledgeStatus.Submitted => "Submitted, waiting for review",
        PaymentChannel.Stripe => "Card (Stripe)",
        PledgeKind.Infrastructure => "Infrastructure in kind",
        RunnerOs.MacOs => "macOS",
        _ => Sentence(value.ToString()),
    };

    /// <summary>"PartiallyFulfilled" → "Partially fulfilled", "CiCredits" → "CI credits", "BuildServer" → "Build server".</summary>
    private static string Sentence(string name)
    {
        var words = System.Text.RegularExpressions.Regex.Split(name, "(?<=[a-z0-9])(?=[A-Z])")
            .Select(word => word switch
            {
                "Ci" => "CI",
                "Api" => "API",
                "Vm" => "VM",
                _ => word.ToLowerInvariant(),
            })
            .ToArray();
        var first = words[0];
        words[0] = char.ToUpperInvariant(first[0]) + first[1..];
        return string.Join(' ', words);
    }

    /// <summary>What an installment asks or has had: hours for engineer time, money otherwise.</summary>
    public static string Units(bool hours, long minutes, long minor, string currency) => hours ? Hours(minutes) : Money(minor, currency);
}
