namespace FundingPortal.Web.Infrastructure;

/// <summary><c>Portal:*</c> settings that hold for the whole installation.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The currency the ledger is kept in; every payment is converted to it at a recorded rate.</summary>
    public string BaseCurrency { get; set; } = "USD";

    /// <summary>
    /// The largest amount, in major units, one recorded payment (in the base currency) or one period of a pledge (in its currency) may
    /// be; anything above it is refused as a typing mistake.
    /// </summary>
    public decimal MaxAmount { get; set; } = 1_000_000m;

    /// <summary>Serve the OpenAPI document at <c>/openapi/v1.json</c>; unset: only in Development, so production does not describe itself.</summary>
    public bool? OpenApi { get; set; }

    /// <summary>
    /// Send <c>includeSubDomains</c> in the HSTS header, so browsers use HTTPS for every subdomain too. Off by default: turn it on only
    /// when every subdomain of the portal's host serves HTTPS.
    /// </summary>
    public bool HstsIncludeSubDomains { get; set; }

    /// <summary>How long, in days, a browser keeps using only HTTPS for the portal after one HSTS header (sent outside Development, over HTTPS).</summary>
    public int HstsMaxAgeDays { get; set; } = 365;

    public static IHostApplicationBuilder Add(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(Section)
            .Validate(o => Currency.IsKnown(o.BaseCurrency), "Portal:BaseCurrency must be an ISO 4217 code the portal knows, such as USD or EUR.")
            .Validate(o => o.MaxAmount > 0, "Portal:MaxAmount must be more than 0.")
            .Validate(o => o.HstsMaxAgeDays is >= 1 and <= 730, "Portal:HstsMaxAgeDays must be from 1 to 730.")
            .ValidateOnStart();
        return builder;
    }
}
