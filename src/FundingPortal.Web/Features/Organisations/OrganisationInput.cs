using System.Net.Mail;
using System.Text.RegularExpressions;

namespace FundingPortal.Web.Features.Organisations;

/// <summary>The organisation form as typed. <see cref="Validate"/> turns it into a profile or names the field that is wrong.</summary>
public sealed partial class OrganisationInput
{
    public string Name { get; set; } = "";

    public string Slug { get; set; } = "";

    public string? Website { get; set; }

    public string? LogoUrl { get; set; }

    public string BillingEmail { get; set; } = "";

    public PublicListing Listing { get; set; } = PublicListing.ByName;

    public static OrganisationInput From(Organisation organisation) => new()
    {
        Name = organisation.Name,
        Slug = organisation.Slug,
        Website = organisation.Website,
        LogoUrl = organisation.LogoUrl,
        BillingEmail = organisation.BillingEmail,
        Listing = organisation.Listing,
    };

    /// <summary>A slug suggestion from a name: "Acme Compilers Ltd." → "acme-compilers-ltd".</summary>
    public static string SuggestSlug(string name)
    {
        var slug = NonSlugCharacters().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length > Organisation.SlugMaxLength ? slug[..Organisation.SlugMaxLength].TrimEnd('-') : slug;
    }

    /// <summary>The organisation's profile, or every problem of the form at once, each on its field.</summary>
    public Result<OrganisationProfile> Validate()
    {
        var checks = new FieldChecks();
        var name = Name.Trim();
        if (checks.Require(name.Length > 0, nameof(Name), "Enter the organisation's name."))
        {
            checks.Require(name.Length <= Organisation.NameMaxLength, nameof(Name), $"The name can be at most {Organisation.NameMaxLength} characters.");
        }
        var slug = Slug.Trim();
        checks.Require(SlugPattern().IsMatch(slug), nameof(Slug),
            $"Use 2 to {Organisation.SlugMaxLength} lowercase letters, digits and hyphens, starting with a letter or digit.");
        checks.Require(TryUrl(Website, out var website), nameof(Website), "Enter a full web address starting with https:// (or leave it empty).");
        checks.Require(TryUrl(LogoUrl, out var logo), nameof(LogoUrl), "Enter a full image address starting with https:// (or leave it empty).");
        var email = BillingEmail.Trim();
        checks.Require(IsEmail(email), nameof(BillingEmail), "Enter an email address such as billing@example.com.");
        checks.Require(Enum.IsDefined(Listing), nameof(Listing), "Choose how the organisation is listed in public.");
        if (checks.Problem is { } problem)
        {
            return problem;
        }
        return Result<OrganisationProfile>.Ok(new OrganisationProfile(name, slug, website, logo, email, Listing));
    }

    public static bool IsEmail(string email) =>
        email.Length is > 0 and <= Organisation.EmailMaxLength
        && MailAddress.TryCreate(email, out var parsed)
        && parsed.Address == email
        && email.Contains('.', StringComparison.Ordinal);

    private static bool TryUrl(string? text, out string? url)
    {
        url = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return url is null
            || (url.Length <= Organisation.UrlMaxLength
                && Uri.TryCreate(url, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,59}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlugCharacters();
}
